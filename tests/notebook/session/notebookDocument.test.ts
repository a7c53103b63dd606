import { describe, expect, it } from 'vitest';
import { NotebookDocument } from '../../../src/lib/components/notebook/session/notebookDocument.svelte';
import type { Notebook } from '../../../src/lib/notebook/schema';

const notebook = (): Notebook =>
	({
		schema: 'lifecycle-lab/notebook@1',
		id: 'nb',
		title: 'Doc',
		createdAt: '2026-11-23T00:00:00.000Z',
		updatedAt: '2026-11-23T00:00:00.000Z',
		cells: [
			{ id: 'base', kind: 'scenario', collapsed: false, scenario: {} },
			{ id: 'note', kind: 'text', collapsed: false, markdown: 'a' },
			{ id: 'ab', kind: 'experiment', collapsed: false, scenarioCell: 'base', variants: [], replications: 2, metrics: [], commonRandomNumbers: true }
		]
	}) as unknown as Notebook;

describe('the notebook document', () => {
	it('announces each edit with the cell whose content changed; folding a cell changes no content', () => {
		const edits: (string | null)[] = [];
		const doc = new NotebookDocument(notebook(), (_, changed) => edits.push(changed));
		const before = doc.notebook;
		doc.updateCell('note', { markdown: 'b' });
		doc.updateCell('note', { collapsed: true });
		doc.moveCell('note', -1);
		doc.setTitle('New');
		expect(edits).toEqual(['note', null, null, null]);
		expect(before.cells[1]).toMatchObject({ markdown: 'a' }); // replaced, never mutated
		expect(doc.notebook.cells.map((c) => c.id)).toEqual(['note', 'base', 'ab']);
		expect(doc.notebook.title).toBe('New');
	});

	it('refuses to delete a cell another reads, and puts a deleted cell back where it was', () => {
		const doc = new NotebookDocument(notebook(), () => {});
		expect(doc.deleteCell('base')).toEqual(['ab']);
		expect(doc.deleteCell('note')).toEqual([]);
		expect(doc.notebook.cells.map((c) => c.id)).toEqual(['base', 'ab']);
		expect(doc.undoDelete()?.id).toBe('note');
		expect(doc.notebook.cells.map((c) => c.id)).toEqual(['base', 'note', 'ab']);
		expect(doc.undoDelete()).toBeUndefined();
	});

	it('does not move a cell past either end', () => {
		const doc = new NotebookDocument(notebook(), () => {});
		doc.moveCell('base', -1);
		doc.moveCell('ab', 1);
		expect(doc.notebook.cells.map((c) => c.id)).toEqual(['base', 'note', 'ab']);
	});
});
