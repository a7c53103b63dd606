import { describe, expect, it } from 'vitest';
import { ResultCache } from '../../../src/lib/components/notebook/session/resultCache';

/** A stand-in for IndexedDB's results store. */
function fakeStore() {
	const stored = new Map<string, unknown>();
	return {
		stored,
		reads: 0,
		async getResult<T>(key: string) {
			this.reads++;
			return stored.get(key) as T | undefined;
		},
		async putResult(key: string, value: unknown) {
			stored.set(key, value);
		}
	};
}

describe('the result cache', () => {
	it('holds at most its limit in memory, dropping the least recently used', async () => {
		const cache = new ResultCache(null, 3);
		for (const key of ['a', 'b', 'c']) cache.put(key, key.toUpperCase());
		expect(await cache.get('a')).toBe('A'); // a is now the most recently used
		cache.put('d', 'D');
		expect(cache.size).toBe(3);
		expect(await cache.get('b')).toBeUndefined();
		expect(await cache.get('a')).toBe('A');
		expect(await cache.get('d')).toBe('D');
	});

	it('reads what memory dropped back from IndexedDB, and keeps it in memory again', async () => {
		const store = fakeStore();
		const cache = new ResultCache(store, 1);
		cache.put('a', { gmv: 1 });
		cache.put('b', { gmv: 2 });
		await Promise.resolve();
		expect(await cache.get('a')).toEqual({ gmv: 1 });
		const reads = store.reads;
		expect(await cache.get('a')).toEqual({ gmv: 1 });
		expect(store.reads).toBe(reads); // the second read came from memory
		expect(cache.size).toBe(1);
		// Written to IndexedDB in a task of its own, after the one that put them.
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(store.stored.get('a')).toEqual({ gmv: 1 });
		expect(store.stored.get('b')).toEqual({ gmv: 2 });
	});

	it('misses cleanly when IndexedDB fails', async () => {
		const cache = new ResultCache({ getResult: () => Promise.reject(new Error('gone')), putResult: () => Promise.reject(new Error('full')) }, 2);
		cache.put('a', 1); // a full quota loses only the stored copy
		expect(await cache.get('a')).toBe(1);
		expect(await cache.get('missing')).toBeUndefined();
	});
});
