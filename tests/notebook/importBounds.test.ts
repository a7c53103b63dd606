/**
 * Importing a notebook file someone sent: odd or hostile files are refused
 * with a clear problem before anything is stored, and no internal error text
 * (a TypeError, a stack overflow) reaches the user (issue 17, item 8).
 */
import { describe, expect, it } from 'vitest';
import { importNotebook, MAX_NOTEBOOK_CHARACTERS, MAX_NOTEBOOK_DEPTH, NotebookImportError } from '../../src/lib/notebook/notebook';

const valid = { schema: 'lifecycle-lab/notebook@1', id: 'n', title: 'n', createdAt: '2026-11-23T00:00:00.000Z', updatedAt: '2026-11-23T00:00:00.000Z', cells: [{ id: 't', kind: 'text', markdown: 'hello' }] };

/** The import's refusal message; fails the test if the import throws anything else or accepts the file. */
function refusal(text: string): string {
	try {
		importNotebook(text);
	} catch (error) {
		expect(error).toBeInstanceOf(NotebookImportError);
		return (error as Error).message;
	}
	throw new Error('the file was imported');
}

describe('importing an odd notebook file', () => {
	it('refuses a notebook nested 5,000 levels deep, saying how deep a notebook may go', () => {
		const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
		const text = JSON.stringify({ ...valid, cells: [{ id: 't', kind: 'text', markdown: 'x', extra: '§' }] }).replace('"§"', deep);
		expect(refusal(text)).toBe(`is nested more than ${MAX_NOTEBOOK_DEPTH} levels deep; no notebook field is`);
	});

	it('refuses "schema": "__proto__" with the schema problem, not "d is not a function"', () => {
		expect(refusal(JSON.stringify({ ...valid, schema: '__proto__' }))).toMatch(/^schema: /);
		expect(refusal(JSON.stringify({ ...valid, schema: 'toString' }))).toMatch(/^schema: /);
	});

	it('refuses a __proto__ key anywhere, naming where it is', () => {
		const text = JSON.stringify(valid).replace('"markdown":"hello"', '"markdown":"hello","__proto__":{"polluted":1}');
		expect(refusal(text)).toMatch(/^cells\[0\]\.__proto__: "__proto__" is not allowed as a key/);
	});

	it('refuses a file larger than any notebook, naming the size', () => {
		const text = JSON.stringify({ ...valid, title: 'x'.repeat(MAX_NOTEBOOK_CHARACTERS) });
		expect(refusal(text)).toMatch(new RegExp(`^the file has ${text.length} characters; a notebook has at most ${MAX_NOTEBOOK_CHARACTERS}`));
	});

	it('reads a file that starts with a UTF-8 byte-order mark', () => {
		expect(importNotebook('\uFEFF' + JSON.stringify(valid)).cells[0]).toMatchObject({ kind: 'text', markdown: 'hello' });
	});
});
