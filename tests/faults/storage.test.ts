/**
 * Storage faults at the library level, on fake IndexedDB: the quota running
 * out inside a save's transaction, and an upgrade blocked by another tab.
 * What the user relies on: the notebook saved before, and its versions, are
 * exactly as they were, no half-written record appears, and the message says
 * what happened and what to do.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notebook } from '../../src/lib/notebook/schema';
import { DB_NAME, NotebookStore, StorageError } from '../../src/lib/storage/notebookStore';

function notebook(title: string, updatedAt: string): Notebook {
	return { schema: 'lifecycle-lab/notebook@1', id: 'nb', title, createdAt: '2026-11-23T10:00:00.000Z', updatedAt, cells: [{ id: 't', kind: 'text', markdown: title, collapsed: false }] };
}

const quota = () => new DOMException('the quota has been exceeded', 'QuotaExceededError');
type RawStore = { _rawObjectStore: { storeRecord: () => never }; name: string };

/**
 * Makes the next write to `storeName` fail inside the transaction, as a browser
 * does when the disk quota runs out: the request errors and the transaction aborts.
 */
function quotaInside(storeName: string, method: 'add' | 'put') {
	const real = IDBObjectStore.prototype[method];
	return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
		if (this.name !== storeName) return real.apply(this, args);
		const raw = (this as unknown as RawStore)._rawObjectStore;
		raw.storeRecord = () => {
			throw quota();
		};
		try {
			return real.apply(this, args);
		} finally {
			delete (raw as Partial<RawStore['_rawObjectStore']>).storeRecord;
		}
	});
}

/** Makes the next write to `storeName` throw at once, after the earlier writes of the same save were queued. */
function quotaThrown(storeName: string, method: 'add' | 'put') {
	const real = IDBObjectStore.prototype[method];
	return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
		if (this.name === storeName) throw quota();
		return real.apply(this, args);
	});
}

let store: NotebookStore;
beforeEach(async () => {
	(globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
	store = await NotebookStore.open();
	await store.save(notebook('first draft', '2026-11-23T10:00:00.000Z'));
	await store.save(notebook('saved before', '2026-11-23T10:01:00.000Z'));
});
afterEach(() => {
	vi.restoreAllMocks();
	store.close();
});

async function expectUntouched() {
	expect((await store.get('nb'))!.title).toBe('saved before');
	expect((await store.versions('nb')).map((v) => v.notebook.title)).toEqual(['saved before', 'first draft']);
}

describe('the quota running out in the middle of a save', () => {
	for (const [what, fault] of [
		['the version record fails inside the transaction', () => quotaInside('versions', 'add')],
		['the notebook record fails inside the transaction', () => quotaInside('notebooks', 'put')],
		['the version write throws after the notebook write was queued', () => quotaThrown('versions', 'add')]
	] as const) {
		it(`${what}: the saved notebook and its versions are intact, no half-saved record, and the user is told`, async () => {
			const mock = fault();
			const error = await store.save(notebook('edited', '2026-11-23T10:02:00.000Z'), '2026-11-23T10:01:00.000Z').catch((e) => e);
			mock.mockRestore();
			expect(error).toBeInstanceOf(StorageError);
			expect((error as StorageError).problem).toBe('quota');
			expect((error as StorageError).message).toMatch(/storage is full.*export it as a file/);
			await expectUntouched();
			// Once space is freed the same edit saves, on the same connection.
			await store.save(notebook('edited', '2026-11-23T10:02:00.000Z'), '2026-11-23T10:01:00.000Z');
			expect((await store.versions('nb')).map((v) => v.notebook.title)).toEqual(['edited', 'saved before', 'first draft']);
		});
	}
});

describe('an upgrade blocked by another tab', () => {
	it('is refused as "blocked" with what to do, and opens once the other tab lets go', async () => {
		store.close();
		// Another tab still on version 1 of the database (its stores as version 1 made them), which does not close when asked to.
		indexedDB = new IDBFactory();
		const otherTab = await openDB(DB_NAME, 1, {
			upgrade(db) {
				db.createObjectStore('notebooks', { keyPath: 'id' });
				db.createObjectStore('versions', { autoIncrement: true }).createIndex('byNotebook', 'notebookId');
			}
		});
		const error = await NotebookStore.open().catch((e) => e);
		expect(error).toBeInstanceOf(StorageError);
		expect((error as StorageError).problem).toBe('blocked');
		expect((error as StorageError).message).toMatch(/Close the other tabs/);
		otherTab.close();
		store = await NotebookStore.open();
		await store.save(notebook('after the other tab closed', '2026-11-23T11:00:00.000Z'));
		expect((await store.get('nb'))!.title).toBe('after the other tab closed');
	});
});
