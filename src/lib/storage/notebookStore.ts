/**
 * Notebooks in IndexedDB (through idb): the current document, its recent
 * versions (to restore an earlier one), and deletion that can be undone.
 * Every failure (quota exceeded, storage unavailable in private mode, an
 * upgrade blocked by another tab) becomes a StorageError with a message for
 * the user; the caller keeps the notebook in memory, still exportable.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';
import type { Notebook } from '../notebook/schema';
import type { ColumnMapping, TransactionLog } from '../calibration/transactions';
import type { CohortTable } from '../calibration/cohortTable';

export const DB_NAME = 'lifecycle-lab';
const DB_VERSION = 3;
/** Cached experiment results kept; the least recently saved go first. */
export const RESULTS_KEPT = 40;
/** Versions kept per notebook; older ones are pruned on save. */
export const VERSIONS_KEPT = 20;

interface LabDB extends DBSchema {
	notebooks: { key: string; value: Notebook };
	versions: { key: number; value: { notebookId: string; savedAt: string; notebook: Notebook }; indexes: { byNotebook: string } };
	/** Experiment results by the content hash of what decides them (see notebook/experimentCell.ts). */
	results: { key: string; value: { key: string; savedAt: string; results: unknown }; indexes: { bySavedAt: string } };
	/** Imported transaction logs, kept beside the notebooks (the data never leaves this machine). */
	datasets: { key: string; value: StoredDataset };
}

/** An imported file as stored: a transaction log, a cohort table or a file by occasion, with where it came from. */
export interface StoredDataset {
	id: string;
	name: string;
	importedAt: string;
	/** A transaction log as it was chosen (a Blob is stored without cloning a row) and its columns: the calibration worker reads it again after a reload. */
	file?: Blob;
	mapping?: ColumnMapping;
	/** A transaction log stored parsed (typed arrays), as versions before the file was kept stored it. */
	log?: TransactionLog;
	cohorts?: CohortTable;
	/** A file of purchases at fixed occasions (BG/BB), kept as it was chosen: such files are small and read again at each fit. */
	occasions?: Blob;
}

export type StorageProblem = 'quota' | 'unavailable' | 'blocked' | 'failed' | 'conflict';

/** A storage failure, with what the user should know. */
export class StorageError extends Error {
	constructor(
		readonly problem: StorageProblem,
		message: string
	) {
		super(message);
		this.name = 'StorageError';
	}
}

const MESSAGES: Record<StorageProblem, string> = {
	quota: 'The browser’s storage is full, so the notebook could not be saved. It is still open here: export it as a file, or free some space.',
	unavailable: 'This browser does not allow local storage here (private mode?). The notebook is kept only while the page is open: export it as a file to keep it.',
	blocked: 'Another Lifecycle Lab tab is holding an older version of the storage. Close the other tabs to save; the notebook is still open here.',
	failed: 'Saving failed. The notebook is still open here: export it as a file to keep it.',
	conflict: 'This notebook was saved from another tab since this tab last saved it; nothing was overwritten.'
};

/** Turns whatever IndexedDB threw into a StorageError. */
export function storageError(error: unknown): StorageError {
	if (error instanceof StorageError) return error;
	const name = (error as { name?: string })?.name ?? '';
	const problem: StorageProblem = name === 'QuotaExceededError' ? 'quota' : name === 'InvalidStateError' || name === 'SecurityError' ? 'unavailable' : 'failed';
	return new StorageError(problem, `${MESSAGES[problem]} (${name || 'error'}: ${(error as Error)?.message ?? error})`);
}

/** Aborts a transaction that may have finished already (then there is nothing to undo). */
function abortQuietly(tx: { abort(): void } | undefined): void {
	try {
		tx?.abort();
	} catch {
		// committed or aborted already
	}
}

/** Adds a version and prunes the notebook's oldest beyond VERSIONS_KEPT. */
async function addVersion(versions: IDBPObjectStore<LabDB, ArrayLike<StoreNames<LabDB>>, 'versions', 'readwrite'>, notebook: Notebook): Promise<void> {
	await versions.add({ notebookId: notebook.id, savedAt: new Date().toISOString(), notebook });
	const keys = await versions.index('byNotebook').getAllKeys(notebook.id);
	for (const key of keys.slice(0, Math.max(0, keys.length - VERSIONS_KEPT))) await versions.delete(key);
}

export class NotebookStore {
	private constructor(private readonly db: IDBPDatabase<LabDB>) {}

	/** Opens the store; refuses with a StorageError when storage is unavailable or an upgrade is blocked by another tab. */
	static async open(): Promise<NotebookStore> {
		if (typeof indexedDB === 'undefined') throw new StorageError('unavailable', MESSAGES.unavailable);
		let refuse!: (error: Error) => void;
		const blocked = new Promise<never>((_, reject) => (refuse = reject));
		const opening = openDB<LabDB>(DB_NAME, DB_VERSION, {
					upgrade(db, oldVersion) {
						if (oldVersion < 1) {
							db.createObjectStore('notebooks', { keyPath: 'id' });
							db.createObjectStore('versions', { autoIncrement: true }).createIndex('byNotebook', 'notebookId');
						}
						if (oldVersion < 2) db.createObjectStore('results', { keyPath: 'key' }).createIndex('bySavedAt', 'savedAt');
						if (oldVersion < 3) db.createObjectStore('datasets', { keyPath: 'id' });
					},
					blocked: () => refuse(new StorageError('blocked', MESSAGES.blocked))
		});
		try {
			return new NotebookStore(await Promise.race([opening, blocked]));
		} catch (error) {
			// The open goes on after a refusal: close it when it lands, or it would hold the database against the next upgrade.
			opening.then((db) => db.close(), () => {});
			throw storageError(error);
		}
	}

	/** Every notebook, most recently updated first. */
	async list(): Promise<Pick<Notebook, 'id' | 'title' | 'updatedAt'>[]> {
		try {
			const all = await this.db.getAll('notebooks');
			return all.map(({ id, title, updatedAt }) => ({ id, title, updatedAt })).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
		} catch (error) {
			throw storageError(error);
		}
	}

	async get(id: string): Promise<Notebook | undefined> {
		try {
			return await this.db.get('notebooks', id);
		} catch (error) {
			throw storageError(error);
		}
	}

	/**
	 * Saves the notebook and records it as a version, in one transaction: both
	 * or neither. With `expectedUpdatedAt` (the stored updatedAt this copy was
	 * based on, null for a new notebook) the save is refused with a 'conflict'
	 * when another tab has saved in between, so neither tab overwrites the other.
	 */
	async save(notebook: Notebook, expectedUpdatedAt?: string | null): Promise<void> {
		let tx: { abort(): void } | undefined;
		try {
			const transaction = this.db.transaction(['notebooks', 'versions'], 'readwrite');
			tx = transaction;
			// An abort (ours, or the browser's when the disk is full) rejects done; the caller hears the cause below instead.
			transaction.done.catch(() => {});
			if (expectedUpdatedAt !== undefined) {
				const stored = await transaction.objectStore('notebooks').get(notebook.id);
				if ((stored?.updatedAt ?? null) !== expectedUpdatedAt) {
					transaction.abort();
					throw new StorageError('conflict', MESSAGES.conflict);
				}
			}
			await transaction.objectStore('notebooks').put(notebook);
			await addVersion(transaction.objectStore('versions'), notebook);
			await transaction.done;
		} catch (error) {
			// A write that throws before reaching the database leaves the transaction to commit what was queued before it: abort, so it is both or neither.
			abortQuietly(tx);
			throw storageError(error);
		}
	}

	/**
	 * Records a copy among the notebook's versions without making it the
	 * current document: where an edit refused by a conflict is kept, so that
	 * whichever copy the user keeps, the other is still there to restore.
	 */
	async keepVersion(notebook: Notebook): Promise<void> {
		try {
			const transaction = this.db.transaction('versions', 'readwrite');
			await addVersion(transaction.store, notebook);
			await transaction.done;
		} catch (error) {
			throw storageError(error);
		}
	}

	/** Saves a notebook imported from a file; refuses to replace an existing one with the same id. */
	async add(notebook: Notebook): Promise<void> {
		if (await this.get(notebook.id)) throw new StorageError('failed', `A notebook with the id "${notebook.id}" exists already; import it as a copy instead.`);
		await this.save(notebook);
	}

	/** The recent versions of a notebook, newest first. */
	async versions(id: string): Promise<{ key: number; savedAt: string; notebook: Notebook }[]> {
		try {
			const tx = this.db.transaction('versions');
			const index = tx.store.index('byNotebook');
			const [keys, values] = await Promise.all([index.getAllKeys(id), index.getAll(id)]);
			return values.map((v, i) => ({ key: keys[i], savedAt: v.savedAt, notebook: v.notebook })).reverse();
		} catch (error) {
			throw storageError(error);
		}
	}

	/** Deletes a notebook and its versions; returns what undo() needs to bring them back. */
	async delete(id: string): Promise<{ notebook: Notebook; versions: { notebookId: string; savedAt: string; notebook: Notebook }[] } | undefined> {
		try {
			const notebook = await this.get(id);
			if (!notebook) return undefined;
			const tx = this.db.transaction(['notebooks', 'versions'], 'readwrite');
			const index = tx.objectStore('versions').index('byNotebook');
			const versions = await index.getAll(id);
			for (const key of await index.getAllKeys(id)) await tx.objectStore('versions').delete(key);
			await tx.objectStore('notebooks').delete(id);
			await tx.done;
			return { notebook, versions };
		} catch (error) {
			throw storageError(error);
		}
	}

	/** Undoes a delete. */
	async undoDelete(deleted: { notebook: Notebook; versions: { notebookId: string; savedAt: string; notebook: Notebook }[] }): Promise<void> {
		try {
			const tx = this.db.transaction(['notebooks', 'versions'], 'readwrite');
			await tx.objectStore('notebooks').put(deleted.notebook);
			for (const v of deleted.versions) await tx.objectStore('versions').add(v);
			await tx.done;
		} catch (error) {
			throw storageError(error);
		}
	}

	/** Cached results under a content hash, or undefined. */
	async getResult<T>(key: string): Promise<T | undefined> {
		try {
			return (await this.db.get('results', key))?.results as T | undefined;
		} catch (error) {
			throw storageError(error);
		}
	}

	/** Caches results under their content hash, dropping the oldest beyond RESULTS_KEPT. */
	async putResult(key: string, results: unknown): Promise<void> {
		try {
			const tx = this.db.transaction('results', 'readwrite');
			await tx.store.put({ key, savedAt: new Date().toISOString(), results });
			const keys = await tx.store.index('bySavedAt').getAllKeys();
			for (const old of keys.slice(0, Math.max(0, keys.length - RESULTS_KEPT))) await tx.store.delete(old);
			await tx.done;
		} catch (error) {
			throw storageError(error);
		}
	}

	async putDataset(dataset: StoredDataset): Promise<void> {
		try {
			await this.db.put('datasets', dataset);
		} catch (error) {
			throw storageError(error);
		}
	}

	async getDataset(id: string): Promise<StoredDataset | undefined> {
		try {
			return await this.db.get('datasets', id);
		} catch (error) {
			throw storageError(error);
		}
	}

	close(): void {
		this.db.close();
	}
}
