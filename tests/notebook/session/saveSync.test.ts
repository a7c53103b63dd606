import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SaveSync } from '../../../src/lib/components/notebook/session/saveSync.svelte';
import type { Notebook } from '../../../src/lib/notebook/schema';
import { NotebookStore } from '../../../src/lib/storage/notebookStore';

const original = (): Notebook =>
	({
		schema: 'lifecycle-lab/notebook@1',
		id: 'nb',
		title: 'Shared',
		createdAt: '2026-11-23T00:00:00.000Z',
		updatedAt: '2026-11-23T00:00:00.000Z',
		cells: [{ id: 'note', kind: 'text', collapsed: false, markdown: 'original' }]
	}) as unknown as Notebook;

/** The notebook with its text cell saying `text`, as an edit (a new updatedAt). */
const edit = (text: string, at: string): Notebook => ({ ...original(), updatedAt: at, cells: [{ id: 'note', kind: 'text', collapsed: false, markdown: text }] }) as unknown as Notebook;
const text = (nb: Notebook | undefined) => (nb?.cells[0] as { markdown: string } | undefined)?.markdown;

let store: NotebookStore;
const syncs: SaveSync[] = [];
function tab(follow = () => {}): SaveSync {
	const sync = new SaveSync(original(), store, follow);
	syncs.push(sync);
	return sync;
}

beforeEach(async () => {
	(globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
	store = await NotebookStore.open();
	await store.save(original());
});
afterEach(async () => {
	for (const s of syncs.splice(0)) await s.close();
	store.close();
});

describe('two tabs editing one notebook', () => {
	it('keeps both edits made at the same moment: one is the notebook, the other a version', async () => {
		const a = tab();
		const b = tab();
		a.schedule(edit('typed in A', '2026-11-23T00:00:01.000Z'));
		b.schedule(edit('typed in B', '2026-11-23T00:00:01.500Z'));
		await Promise.all([a.flush(), b.flush()]);
		const losers = [a, b].filter((s) => s.conflict);
		expect(losers).toHaveLength(1);
		const current = text(await store.get('nb'));
		const versions = (await store.versions('nb')).map((v) => text(v.notebook));
		expect([current, ...versions]).toContain('typed in A');
		expect([current, ...versions]).toContain('typed in B');
	});

	it('a tab with an unresolved conflict is unsafe to close until the user chooses', async () => {
		const a = tab();
		const b = tab();
		expect(a.unsafeToClose).toBe(false);
		b.schedule(edit('from B', '2026-11-23T00:00:01.000Z'));
		await b.flush();
		a.schedule(edit('from A', '2026-11-23T00:00:02.000Z'));
		await a.flush();
		expect(a.conflict).toBe(true);
		expect(a.unsafeToClose).toBe(true);
		await a.keepMine(edit('from A', '2026-11-23T00:00:02.000Z'));
		expect(a.unsafeToClose).toBe(false);
		expect(text(await store.get('nb'))).toBe('from A');
		expect((await store.versions('nb')).map((v) => text(v.notebook))).toContain('from B');
	});

	it('a tab with nothing unsaved follows the other; one with an unsaved edit is asked instead', async () => {
		const follows = vi.fn();
		const idle = tab(follows);
		const busy = tab();
		const writer = tab();
		busy.schedule(edit('unsaved in busy', '2026-11-23T00:00:03.000Z'));
		writer.schedule(edit('from writer', '2026-11-23T00:00:01.000Z'));
		await writer.flush();
		await vi.waitFor(() => expect(follows).toHaveBeenCalled(), { timeout: 2_000 });
		await vi.waitFor(() => expect(busy.conflict).toBe(true), { timeout: 2_000 });
		expect(idle.conflict).toBe(false);
	});
});
