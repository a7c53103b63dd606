/** Resolves with `value` in a task of its own: whatever waits in the thread's queue (a message, a paint) goes first. */
export function nextTask<T = void>(value?: T): Promise<T> {
	return new Promise((resolve) => setTimeout(() => resolve(value as T), 0));
}
