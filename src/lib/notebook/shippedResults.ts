/**
 * Results shipped with the example notebooks, so an example opens with its
 * charts and tables filled. Each file is named by the content hash of what
 * it is the result of (resultKey, testPlanKey), the same key a run stores
 * its results under: a shipped result is exactly what running the cell
 * would give, and any edit of the cell changes the key, so it is never
 * shown for anything else. `npm run ship-results` writes them; each is its
 * own chunk, fetched only when a notebook asks for its key.
 */
const shipped = import.meta.glob<unknown>('/scenarios/results/*.json', { import: 'default' });

/** Where the result of `key` is shipped. */
export const shippedPath = (key: string) => `/scenarios/results/${key}.json`;

/** The shipped result under `key`, or undefined when none is shipped. */
export async function shippedResult<T>(key: string): Promise<T | undefined> {
	const load = shipped[shippedPath(key)];
	return load ? ((await load()) as T) : undefined;
}
