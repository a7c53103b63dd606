/**
 * Results by content hash: the most recently used few in memory (bounded,
 * since one experiment's results can be megabytes), then IndexedDB, then the
 * results shipped with the examples. A miss
 * in memory that IndexedDB answers is kept in memory again.
 */
import { shippedResult } from '../../../notebook/shippedResults';
import type { NotebookStore } from '../../../storage/notebookStore';

/** Results kept in memory; older ones are read back from IndexedDB when asked for. */
export const RESULTS_IN_MEMORY = 16;

export class ResultCache {
	/** A Map iterates in insertion order: re-inserting on use keeps the least recently used first. */
	private readonly memory = new Map<string, unknown>();
	/** Results put but not yet written to IndexedDB (a read meanwhile finds them here). */
	private readonly unwritten = new Map<string, unknown>();

	constructor(
		private readonly store: Pick<NotebookStore, 'getResult' | 'putResult'> | null,
		readonly limit = RESULTS_IN_MEMORY
	) {}

	/** The results stored under `key`, from memory or IndexedDB; undefined when neither has them. */
	async get<T>(key: string): Promise<T | undefined> {
		if (this.memory.has(key) || this.unwritten.has(key)) {
			const value = (this.memory.get(key) ?? this.unwritten.get(key)) as T;
			this.keep(key, value);
			return value;
		}
		// An example's results ship with the app under the same content hash a run stores them under.
		const stored = (await this.store?.getResult<T>(key).catch(() => undefined)) ?? (await shippedResult<T>(key));
		if (stored) this.keep(key, stored);
		return stored;
	}

	/**
	 * Keeps results under `key`, in memory and (best effort) in IndexedDB. The
	 * stored copy is written in a task of its own: IndexedDB clones the results
	 * on the page's thread, tens of milliseconds for an experiment's, which must
	 * not add to the task that shows them.
	 */
	put(key: string, value: unknown): void {
		this.keep(key, value);
		if (!this.store) return;
		const first = !this.unwritten.has(key);
		this.unwritten.set(key, value);
		if (!first) return; // the write already waiting takes the newest value
		setTimeout(() => {
			const latest = this.unwritten.get(key);
			this.unwritten.delete(key);
			// A full quota only loses the cache: the results stay on screen.
			void this.store?.putResult(key, latest).catch(() => {});
		}, 0);
	}

	/** How many results are held in memory. */
	get size(): number {
		return this.memory.size;
	}

	private keep(key: string, value: unknown): void {
		this.memory.delete(key);
		this.memory.set(key, value);
		while (this.memory.size > this.limit) this.memory.delete(this.memory.keys().next().value!);
	}
}
