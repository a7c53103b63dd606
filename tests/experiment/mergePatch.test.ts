import { describe, expect, it } from 'vitest';
import { getAtPointer, setAtPointer } from '../../src/lib/engine/scenario/jsonPointer';
import { mergePatch } from '../../src/lib/experiment/mergePatch';

describe('JSON Merge Patch follows RFC 7396 (its appendix A examples)', () => {
	const cases: [unknown, unknown, unknown][] = [
		[{ a: 'b' }, { a: 'c' }, { a: 'c' }],
		[{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
		[{ a: 'b' }, { a: null }, {}],
		[{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
		[{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
		[{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
		[{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
		[{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
		[['a', 'b'], ['c', 'd'], ['c', 'd']],
		[{ a: 'b' }, ['c'], ['c']],
		[{ a: 'foo' }, null, null],
		[{ a: 'foo' }, 'bar', 'bar'],
		[{ e: null }, { a: 1 }, { e: null, a: 1 }],
		[[1, 2], { a: 'b', c: null }, { a: 'b' }],
		[{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }]
	];
	cases.forEach(([target, patch, result], i) => it(`example ${i + 1}`, () => expect(mergePatch(target, patch)).toEqual(result)));

	it('does not change the target', () => {
		const target = { a: { b: 1 } };
		mergePatch(target, { a: { b: 2 } });
		expect(target).toEqual({ a: { b: 1 } });
	});
});

describe('JSON Pointer', () => {
	it('sets and gets inside arrays and objects, escaping ~ and /', () => {
		const doc = { policies: [{ rate: 1 }, { rate: 2 }], 'a/b': { 'c~d': 3 } };
		expect(getAtPointer(setAtPointer(doc, '/policies/1/rate', 5), '/policies/1/rate')).toBe(5);
		expect(getAtPointer(doc, '/a~1b/c~0d')).toBe(3);
		expect(doc.policies[1].rate).toBe(2);
	});
	it('names the missing part of a bad path', () => {
		expect(() => setAtPointer({ policies: [] }, '/policies/3/rate', 1)).toThrow('/policies/3/rate: nothing at /policies/3');
	});
});
