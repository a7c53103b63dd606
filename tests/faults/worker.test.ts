/**
 * A worker thread killed in the middle of a run (out of memory, a crashed
 * tab's worker): the pool names the replication and shard it lost, every
 * other result is exactly what an undisturbed run gives, and the pool runs
 * the next job on a fresh worker.
 */
import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { runShard, shardTasks } from '../../src/lib/engine/run';
import type { JobFailure } from '../../src/lib/experiment/jobs';
import { WorkerPool, type PoolWorker } from '../../src/lib/workers/pool';
import type { SimulationApi } from '../../src/lib/workers/simulationApi';
import { builtIn } from '../helpers/scenarios';

/** Real worker threads, as the CLI's pool starts them, each one killable from the test. */
function killablePool(size: number) {
	const threads: Worker[] = [];
	const pool = new WorkerPool(size, (): PoolWorker => {
		const thread = new Worker(new URL('../../src/lib/workers/nodeWorkerBoot.mjs', import.meta.url));
		threads.push(thread);
		const failure = new Promise<never>((_, reject) => {
			thread.once('error', reject);
			thread.once('exit', (code) => reject(new Error(`the worker stopped (exit code ${code})`)));
		});
		failure.catch(() => {});
		return { api: wrap<SimulationApi>(nodeEndpoint(thread)), failure, terminate: () => void thread.terminate() };
	});
	return { pool, threads };
}

const scenario = builtIn('six-stage', (raw) => {
	raw.population.initial = 33_000; // three shards a replication
	raw.horizonDays = 90;
});
/** What each shard gives when nothing goes wrong, computed once on this thread. */
const undisturbed = new Map<string, ReturnType<typeof runShard>>();
const expected = (task: { replication: number; shard: number }) => {
	const key = `${task.replication}/${task.shard}`;
	if (!undisturbed.has(key)) undisturbed.set(key, runShard(scenario, task));
	return undisturbed.get(key);
};

const pools: WorkerPool[] = [];
afterAll(() => pools.forEach((p) => p.close()));

describe('a worker killed mid-run', () => {
	it('fails only its own shard, named by replication and shard; the rest is intact and the pool usable', async () => {
		const { pool, threads } = killablePool(2);
		pools.push(pool);
		const tasks = shardTasks(scenario, 2);
		const failures: JobFailure[] = [];
		let killed = false;
		const outputs = await pool.run(scenario, tasks, {
			failures,
			// Kill the first worker once it has simulated part of its first shard.
			onProgress: (p) => {
				if (!killed && p.daysDone > 0) {
					killed = true;
					void threads[0].terminate();
				}
			}
		});
		expect(failures).toHaveLength(1);
		expect(failures[0].message).toMatch(/^replication \d, shard \d failed: the worker stopped \(exit code 1\)$/);
		const lost = failures[0].index;
		expect(failures[0].message).toContain(`replication ${tasks[lost].replication + 1}, shard ${tasks[lost].shard + 1}`);
		// Every other shard is byte for byte what a run on this thread gives.
		tasks.forEach((task, i) => {
			if (i === lost) expect(outputs[i]).toBeUndefined();
			else expect(outputs[i]).toEqual(expected(task));
		});
		// The pool replaced the dead worker and runs the lost shard again.
		const [again] = await pool.run(scenario, [tasks[lost]]);
		expect(again).toEqual(expected(tasks[lost]));
		console.log(`fault worker: killed 1 of 2 workers mid-run; ${tasks.length - 1} of ${tasks.length} shards intact, the lost one named and re-run`);
	});

	it('without a list for failures, the run stops with the shard named, and the pool runs the next run', async () => {
		const { pool, threads } = killablePool(2);
		pools.push(pool);
		const tasks = shardTasks(scenario, 1);
		let killed = false;
		const run = pool.run(scenario, tasks, {
			onProgress: (p) => {
				if (!killed && p.daysDone > 0) {
					killed = true;
					void threads[1].terminate();
				}
			}
		});
		await expect(run).rejects.toThrow(/^replication 1, shard \d failed: the worker stopped/);
		const outputs = await pool.run(scenario, tasks);
		tasks.forEach((task, i) => expect(outputs[i]).toEqual(expected(task)));
	});
});
