import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { createOutput, type RunOutput } from '../../src/lib/engine/output';
import type { ShardTask } from '../../src/lib/engine/run';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import { CancelledError, WorkerPool, type PoolWorker } from '../../src/lib/workers/pool';
import type { SimulationApi } from '../../src/lib/workers/simulationApi';
import { workersFor } from '../../src/lib/workers/browserPool';

/** A stand-in worker: answers after `delayMs`, or fails for the tasks `fails` picks. */
function fakeWorker(delayMs: number, fails: (task: ShardTask) => boolean, spawned: { count: number }): PoolWorker {
	spawned.count++;
	const api = {
		runShard: async (_: Scenario, task: ShardTask): Promise<RunOutput> => {
			await new Promise((r) => setTimeout(r, delayMs));
			if (fails(task)) throw new Error('out of memory');
			const out = createOutput(1, 1, 30);
			out.totals[0] = task.replication * 10 + task.shard;
			return out;
		}
	} as unknown as Remote<SimulationApi>;
	return { api, failure: new Promise<never>(() => {}), terminate: () => {} };
}

const tasks: ShardTask[] = [0, 1, 2].flatMap((replication) => [0, 1].map((shard) => ({ replication, shard })));
const scenario = {} as Scenario;

describe('the worker pool', () => {
	it('returns results in task order whatever order workers finish in', async () => {
		const spawned = { count: 0 };
		let n = 0;
		const pool = new WorkerPool(3, () => fakeWorker(5 * (3 - (n++ % 3)), () => false, spawned));
		const arrivals: number[] = [];
		const results = await pool.run(scenario, tasks, { onJobDone: (i) => arrivals.push(i) });
		expect(results.map((r) => r.totals[0])).toEqual([0, 1, 10, 11, 20, 21]);
		expect([...arrivals].sort()).toEqual([0, 1, 2, 3, 4, 5]);
		expect(arrivals).not.toEqual([0, 1, 2, 3, 4, 5]); // they did arrive out of order
	});

	it('names the replication and shard that failed, replaces the worker and stays usable', async () => {
		const spawned = { count: 0 };
		let failing = true;
		const pool = new WorkerPool(2, () => fakeWorker(1, (t) => failing && t.replication === 1 && t.shard === 1, spawned));
		await expect(pool.run(scenario, tasks)).rejects.toThrow('replication 2, shard 2 failed: out of memory');
		// The failed worker is replaced, and so is the other one, busy with the failed run's work.
		expect(spawned.count).toBe(4);
		failing = false;
		expect(await pool.run(scenario, tasks)).toHaveLength(6);
	});

	it('cancels at once and can run again afterwards', async () => {
		const spawned = { count: 0 };
		const pool = new WorkerPool(2, () => fakeWorker(50, () => false, spawned));
		const running = pool.run(scenario, tasks);
		setTimeout(() => pool.cancel(), 10);
		await expect(running).rejects.toBeInstanceOf(CancelledError);
		expect(await pool.run(scenario, tasks.slice(0, 2))).toHaveLength(2);
	});

	it('replaces a worker that died while idle before giving it work', async () => {
		let crash: (error: Error) => void = () => {};
		let first = true;
		const spawned = { count: 0 };
		const pool = new WorkerPool(1, () => {
			const worker = fakeWorker(1, () => false, spawned);
			if (first) {
				first = false;
				return { ...worker, failure: new Promise<never>((_, reject) => (crash = reject)) };
			}
			return worker;
		});
		crash(new Error('crashed while idle'));
		await new Promise((r) => setTimeout(r, 0));
		expect(await pool.run(scenario, tasks)).toHaveLength(6);
		expect(spawned.count).toBe(2);
	});

	it('refuses to run once closed', async () => {
		const pool = new WorkerPool(1, () => fakeWorker(1, () => false, { count: 0 }));
		pool.close();
		await expect(pool.run(scenario, tasks)).rejects.toThrow('closed');
	});
});

describe('a shard run in slices', () => {
	it('always has its next slice waiting in the worker, so the worker never idles while the page handles the last one', async () => {
		const horizonDays = 5;
		let day = 0;
		let outstanding = 0;
		const waitingWhenAsked: number[] = [];
		// A worker answers calls one at a time in the order they came, like a Web Worker's message queue.
		let queue: Promise<unknown> = Promise.resolve();
		const inWorker = <T>(work: () => T) => (queue = queue.then(() => new Promise((r) => setTimeout(r, 2)).then(work))) as Promise<T>;
		const api = {
			startShard: () => inWorker(() => 1),
			advanceShard: () => {
				waitingWhenAsked.push(outstanding++);
				return inWorker(() => {
					outstanding--;
					day = Math.min(horizonDays, day + 1);
					return day;
				});
			},
			finishShard: () => inWorker(() => createOutput(1, 1, horizonDays))
		} as unknown as Remote<SimulationApi>;
		const pool = new WorkerPool(1, () => ({ api, failure: new Promise<never>(() => {}), terminate: () => {} }));
		const progress: number[] = [];
		await pool.run({ horizonDays } as Scenario, [{ replication: 0, shard: 0 }], { onProgress: (p) => progress.push(p.daysDone) });
		// From the second slice on, each is asked for while the one before is still queued or running.
		expect(waitingWhenAsked.slice(1).every((n) => n >= 1)).toBe(true);
		expect(progress).toEqual([1, 2, 3, 4, 5]);
	});
});

describe('the browser pool', () => {
	it('simulates on every core of a one- or two-core machine and leaves one core for the page from three up', () => {
		expect([1, 2, 3, 4, 8].map(workersFor)).toEqual([1, 2, 2, 3, 7]);
	});
});
