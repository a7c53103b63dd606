/**
 * Locations in scenario documents (JSON Pointers and form paths) reach own
 * properties of plain data only: a pointer through `__proto__`, `prototype`
 * or `constructor` would write onto Object.prototype and change every object
 * in the program (issue 17, item 2). Each refusal names the location.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/lib/engine/scenario/validate';
import { getAtPointer, setAtPath, setAtPointer, valueAt } from '../../src/lib/engine/scenario/jsonPointer';
import { resolveSensitivity, resolveSweep, resolveVariants, validateExperiment, ExperimentError } from '../../src/lib/experiment/experiment';
import { mergePatch } from '../../src/lib/experiment/mergePatch';
import { setField } from '../../src/lib/components/scenario/fields';
import { importNotebook, NotebookImportError } from '../../src/lib/notebook/notebook';
import type { Experiment } from '../../src/lib/experiment/schema';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));
const experiment = (extra: Record<string, unknown>) => ({ schema: 'lifecycle-lab/experiment@1', name: 'x', scenario, ...extra });
const original = Object.prototype.toString;

/** Whatever a test did, Object.prototype must be as it was: a polluted prototype breaks every later test. */
function prototypeUntouched(): boolean {
	const clean = Object.prototype.toString === original && !Object.hasOwn(Object.prototype, 'horizonDays') && !Object.hasOwn(Array.prototype, 'x');
	Object.prototype.toString = original;
	delete (Object.prototype as Record<string, unknown>).horizonDays;
	delete (Array.prototype as unknown as Record<string, unknown>).x;
	return clean;
}
afterEach(() => expect(prototypeUntouched()).toBe(true));

const problemsOf = (run: () => unknown): string => {
	try {
		run();
	} catch (error) {
		if (error instanceof ExperimentError) return error.problems.map(formatProblem).join('\n');
		throw error;
	}
	return '';
};

describe('a location never reaches the object machinery', () => {
	const bad = ['/__proto__/toString', '/stages/0/__proto__/toString', '/constructor/prototype/toString', '/stages/constructor/prototype/x'];

	it.each(bad)('setAtPointer refuses %s, naming it, and leaves Object.prototype alone', (pointer) => {
		expect(() => setAtPointer(scenario, pointer, 2)).toThrow(new RegExp(`^${pointer.replace(/\//g, '\\/')}: "(__proto__|constructor)" is not allowed`));
		expect(() => getAtPointer(scenario, pointer)).toThrow(/is not allowed/);
	});

	it('reads only own properties: inherited ones are not there', () => {
		expect(getAtPointer(scenario, '/toString')).toBeUndefined();
		expect(getAtPointer(scenario, '/stages/length')).toBeUndefined();
		expect(getAtPointer(scenario, '/stages/0/id')).toBe(scenario.stages[0].id);
		expect(valueAt({ a: [1, 2] }, ['a', 1])).toBe(2);
		expect(() => setAtPointer(scenario, '/toString/x', 1)).toThrow('/toString/x: nothing at /toString');
	});

	it('the scenario form refuses a forbidden path too', () => {
		expect(() => setAtPath({}, ['__proto__', 'horizonDays'], 5)).toThrow(/"__proto__" is not allowed/);
		expect(() => setField(scenario, ['stages', 0, 'constructor', 'prototype', 'horizonDays'], 5)).toThrow(/"constructor" is not allowed/);
	});

	it('a sensitivity or sweep parameter through __proto__ is refused with its path, before any run', () => {
		for (const pointer of bad) {
			const checked = validateExperiment(experiment({ sensitivity: [{ parameter: pointer, low: 1, high: 2 }] }));
			expect(checked.ok).toBe(false);
			if (!checked.ok) expect(checked.problems.map(formatProblem).join('\n')).toMatch(/^sensitivity\[0\]\.parameter: .*is not allowed/);
			const sweep = validateExperiment(experiment({ sweep: [{ parameter: pointer, values: [1, 2] }] }));
			expect(sweep.ok).toBe(false);
		}
		// Even when validation is skipped, resolving refuses instead of polluting.
		const unchecked = { ...experiment({}), variants: [], replications: 1, metrics: ['gmv'], commonRandomNumbers: true } as unknown as Experiment;
		expect(problemsOf(() => resolveSensitivity({ ...unchecked, sensitivity: [{ parameter: '/__proto__/toString', low: 1, high: 2 }] }, scenario))).toMatch(/^sensitivity\[0\]\.parameter: \/__proto__\/toString: "__proto__" is not allowed/);
		expect(problemsOf(() => resolveSweep({ ...unchecked, sweep: [{ parameter: '/stages/0/__proto__/toString', values: [1] }] }, scenario))).toMatch(/sweep\[0\]\.parameter/);
	});

	it('a __proto__ key in a variant patch is refused, not silently dropped', () => {
		const text = `{"schema":"lifecycle-lab/experiment@1","name":"x","scenario":{},"variants":[{"name":"a","patch":{"__proto__":{"horizonDays":7}}}]}`;
		const checked = validateExperiment(JSON.parse(text));
		expect(checked.ok).toBe(false);
		if (!checked.ok) expect(checked.problems.map(formatProblem).join('\n')).toMatch(/^variants\[0\]\.patch\.__proto__: "__proto__" is not allowed as a key/);
		expect(() => mergePatch(scenario, JSON.parse('{"stages":{"__proto__":{"x":1}}}'))).toThrow(/^\/stages\/__proto__: a patch may not set "__proto__"/);
		const unchecked = { ...experiment({}), variants: [{ name: 'a', patch: JSON.parse('{"__proto__":{"horizonDays":7}}') }] } as unknown as Experiment;
		expect(problemsOf(() => resolveVariants(unchecked, scenario))).toMatch(/^variants\[0\]\.patch: \/__proto__: a patch may not set/);
	});

	it('a notebook whose experiment cell names /__proto__/toString is refused at import, naming the cell', () => {
		const notebook = {
			schema: 'lifecycle-lab/notebook@1', id: 'n', title: 'n', createdAt: '2026-11-23T00:00:00.000Z', updatedAt: '2026-11-23T00:00:00.000Z',
			cells: [
				{ id: 'base', kind: 'scenario', scenario },
				{ id: 'tornado', kind: 'experiment', scenarioCell: 'base', variants: [{ name: 'base' }], sensitivity: [{ parameter: '/__proto__/toString', low: 1, high: 2 }] }
			]
		};
		let problem = '';
		try {
			importNotebook(JSON.stringify(notebook));
		} catch (error) {
			expect(error).toBeInstanceOf(NotebookImportError);
			problem = (error as Error).message;
		}
		expect(problem).toMatch(/^cells\[1\]\.sensitivity\[0\]\.parameter: .*"__proto__" is not allowed/);
	});
});
