import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../../src/lib/components/notebook/session/runQueue';

/** A promise and the function that settles it. */
function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

describe('the run queue', () => {
	it('runs one id at a time, in the order asked', async () => {
		const log: string[] = [];
		const queue = new RunQueue(async (id) => {
			log.push(`start ${id}`);
			await Promise.resolve();
			log.push(`end ${id}`);
		});
		await queue.enqueue(['a', 'b', 'c']);
		expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
		expect(queue.active).toBeNull();
	});

	it('a new request stops the run in flight, drops what waited, and tells overtaken work it is no longer wanted', async () => {
		const gate = deferred();
		const started: string[] = [];
		const dropped: string[] = [];
		let stops = 0;
		let firstGeneration = -1;
		const queue = new RunQueue(
			async (id, generation) => {
				started.push(id);
				if (id === 'a') {
					firstGeneration = generation;
					await gate.promise;
				}
			},
			{ onDropped: (id) => dropped.push(id), onStop: () => stops++ }
		);
		const first = queue.enqueue(['a', 'b']);
		await Promise.resolve();
		expect(queue.active).toBe('a');
		const second = queue.enqueue(['c']);
		expect(stops).toBe(1);
		expect(dropped).toEqual(['b']);
		expect(queue.isCurrent(firstGeneration)).toBe(false);
		gate.resolve();
		await Promise.all([first, second]);
		expect(started).toEqual(['a', 'c']);
	});

	it('cancel with nothing running stops nothing', () => {
		let stops = 0;
		const queue = new RunQueue(async () => {}, { onStop: () => stops++ });
		queue.cancel();
		expect(stops).toBe(0);
	});
});
