import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave } from '../../src/lib/notebook/autosave';
import type { Notebook } from '../../src/lib/notebook/schema';
import { NotebookStore, StorageError, VERSIONS_KEPT, storageError } from '../../src/lib/storage/notebookStore';

function notebook(id: string, title: string, updatedAt = '2026-11-23T10:00:00.000Z'): Notebook {
	return { schema: 'lifecycle-lab/notebook@1', id, title, createdAt: updatedAt, updatedAt, cells: [{ id: 't', kind: 'text', markdown: title, collapsed: false }] };
}

let store: NotebookStore;
beforeEach(async () => {
	(globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory(); // a fresh database for each test
	store = await NotebookStore.open();
});
afterEach(() => store.close());

describe('notebooks in IndexedDB', () => {
	it('saves, lists newest first, and loads what was saved', async () => {
		await store.save(notebook('a', 'Older', '2026-11-20T00:00:00.000Z'));
		await store.save(notebook('b', 'Newer', '2026-11-22T00:00:00.000Z'));
		expect((await store.list()).map((n) => n.title)).toEqual(['Newer', 'Older']);
		expect(await store.get('a')).toEqual(notebook('a', 'Older', '2026-11-20T00:00:00.000Z'));
	});

	it('keeps the recent versions of each notebook, newest first, pruning the oldest', async () => {
		for (let i = 0; i < VERSIONS_KEPT + 5; i++) await store.save(notebook('a', `draft ${i}`));
		await store.save(notebook('b', 'other'));
		const versions = await store.versions('a');
		expect(versions).toHaveLength(VERSIONS_KEPT);
		expect(versions[0].notebook.title).toBe(`draft ${VERSIONS_KEPT + 4}`);
		expect(versions.at(-1)!.notebook.title).toBe('draft 5');
		expect(await store.versions('b')).toHaveLength(1);
	});

	it('undoes a delete, versions included', async () => {
		await store.save(notebook('a', 'v1'));
		await store.save(notebook('a', 'v2'));
		const deleted = await store.delete('a');
		expect(await store.get('a')).toBeUndefined();
		await store.undoDelete(deleted!);
		expect((await store.get('a'))!.title).toBe('v2');
		expect(await store.versions('a')).toHaveLength(2);
	});

	it('never overwrites an existing notebook silently on import', async () => {
		await store.save(notebook('a', 'mine'));
		await expect(store.add(notebook('a', 'imported'))).rejects.toThrow(/exists already/);
		expect((await store.get('a'))!.title).toBe('mine');
	});

	it('a full quota gives a clear message and leaves the stored notebook as it was', async () => {
		await store.save(notebook('a', 'saved before'));
		const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
		const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw quota;
		});
		const error = await store.save(notebook('a', 'edited')).catch((e) => e);
		put.mockRestore();
		expect(error).toBeInstanceOf(StorageError);
		expect((error as StorageError).problem).toBe('quota');
		expect((error as StorageError).message).toMatch(/storage is full.*export it as a file/);
		expect((await store.get('a'))!.title).toBe('saved before');
	});

	it('names private mode and blocked upgrades for what they are', () => {
		expect(storageError(Object.assign(new Error('x'), { name: 'InvalidStateError' })).problem).toBe('unavailable');
		expect(storageError(new StorageError('blocked', 'b')).problem).toBe('blocked');
	});
});

describe('autosave', () => {
	it('stores an edit within a second, coalescing a burst of edits into one save', async () => {
		vi.useFakeTimers();
		const saved: string[] = [];
		const autosave = new Autosave<string>(async (v) => void saved.push(v));
		autosave.schedule('a');
		autosave.schedule('ab');
		autosave.schedule('abc');
		expect(autosave.state).toBe('pending');
		await vi.advanceTimersByTimeAsync(999);
		expect(saved).toEqual(['abc']);
		expect(autosave.state).toBe('saved');
		vi.useRealTimers();
	});

	it('a failed save is reported and the next edit tries again', async () => {
		let fail = true;
		const autosave = new Autosave<string>(async () => {
			if (fail) throw new StorageError('quota', 'full');
		});
		autosave.schedule('x');
		await autosave.flush();
		expect(autosave.state).toBe('failed');
		expect(autosave.error).toBeInstanceOf(StorageError);
		fail = false;
		autosave.schedule('y');
		await autosave.flush();
		expect(autosave.state).toBe('saved');
	});
});
