/**
 * The document being edited: replaced, never mutated, on each edit, so every
 * edit is a value autosave can store and undo can bring back. Each edit is
 * announced with the cell whose content changed (null for moves, adds,
 * deletes and the title), so the session can tell what went stale.
 */
import { referenceOf } from '../../../notebook/notebook';
import type { Cell, CellKind, Notebook } from '../../../notebook/schema';

export class NotebookDocument {
	notebook = $state.raw<Notebook>(null as unknown as Notebook);
	/** Deleted cells, newest last, for undo. */
	deleted = $state.raw<{ cell: Cell; index: number }[]>([]);

	constructor(
		notebook: Notebook,
		/** Hears every edit: the new document and the cell whose content changed, if any. */
		private readonly onEdit: (notebook: Notebook, changed: string | null) => void
	) {
		this.notebook = notebook;
	}

	/** The cell with this id. */
	cell(id: string): Cell | undefined {
		return this.notebook.cells.find((c) => c.id === id);
	}

	/** Replaces the title. */
	setTitle(title: string): void {
		this.commit(this.notebook.cells, null, title);
	}

	/** Replaces one cell's fields; folding a cell is not a change of its content. */
	updateCell<K extends CellKind>(id: string, fields: Partial<Extract<Cell, { kind: K }>>): void {
		const cells = this.notebook.cells.map((c) => (c.id === id ? ({ ...c, ...fields } as Cell) : c));
		const content = Object.keys(fields).some((k) => k !== 'collapsed');
		this.commit(cells, content ? id : null);
	}

	/** Inserts a cell at `index` (the end by default). */
	addCell(cell: Cell, index = this.notebook.cells.length): void {
		const cells = [...this.notebook.cells];
		cells.splice(index, 0, cell);
		this.commit(cells, null);
	}

	/** Swaps a cell with its neighbour above (-1) or below (1). */
	moveCell(id: string, delta: -1 | 1): void {
		const cells = [...this.notebook.cells];
		const i = cells.findIndex((c) => c.id === id);
		const j = i + delta;
		if (i < 0 || j < 0 || j >= cells.length) return;
		[cells[i], cells[j]] = [cells[j], cells[i]];
		this.commit(cells, null);
	}

	/** Deletes a cell; refused (returns the cells that name it) while other cells depend on it. */
	deleteCell(id: string): string[] {
		const users = this.notebook.cells.filter((c) => referenceOf(c) === id).map((c) => c.id);
		if (users.length) return users;
		const index = this.notebook.cells.findIndex((c) => c.id === id);
		if (index < 0) return [];
		this.deleted = [...this.deleted, { cell: this.notebook.cells[index], index }];
		this.commit(this.notebook.cells.filter((c) => c.id !== id), null);
		return [];
	}

	/** Brings back the last deleted cell where it was; returns it, if any. */
	undoDelete(): Cell | undefined {
		const last = this.deleted.at(-1);
		if (!last) return undefined;
		this.deleted = this.deleted.slice(0, -1);
		this.addCell(last.cell, Math.min(last.index, this.notebook.cells.length));
		return last.cell;
	}

	/** Replaces the whole document (a restored version, another tab's copy) without announcing an edit. */
	replace(notebook: Notebook): void {
		this.notebook = notebook;
	}

	private commit(cells: Cell[], changed: string | null, title = this.notebook.title): void {
		this.notebook = { ...this.notebook, title, cells, updatedAt: new Date().toISOString() };
		this.onEdit(this.notebook, changed);
	}
}
