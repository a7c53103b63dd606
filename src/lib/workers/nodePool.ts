/**
 * A pool of Node worker threads running shard tasks (the CLI, the benchmark
 * and tests). Tasks are handed out as workers free up; results are stored by
 * task index, so the order of completion never changes the result.
 */
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import type { RunOutput } from '../engine/output';
import type { ShardTask } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import type { SimulationApi } from './simulationApi';

interface PoolWorker {
	thread: Worker;
	api: Remote<SimulationApi>;
	failure: Promise<never>;
}

/** Progress after each finished task. */
export type ProgressListener = (done: number, total: number) => void;

export class NodeWorkerPool {
	private workers: PoolWorker[] = [];

	constructor(readonly size: number) {
		if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be a whole number ≥ 1, got ${size}`);
		for (let i = 0; i < size; i++) this.workers.push(startWorker());
	}

	/** Runs every task; outputs come back in task order. */
	async run(scenario: Scenario, tasks: ShardTask[], onProgress?: ProgressListener): Promise<RunOutput[]> {
		const results = new Array<RunOutput>(tasks.length);
		let next = 0;
		let done = 0;
		const drain = async (worker: PoolWorker) => {
			while (next < tasks.length) {
				const i = next++;
				try {
					results[i] = await Promise.race([worker.api.runShard(scenario, tasks[i]), worker.failure]);
				} catch (error) {
					const { replication, shard } = tasks[i];
					throw new Error(`replication ${replication}, shard ${shard} failed: ${(error as Error).message ?? error}`);
				}
				onProgress?.(++done, tasks.length);
			}
		};
		await Promise.all(this.workers.map(drain));
		return results;
	}

	/** Stops every worker thread. */
	async close(): Promise<void> {
		await Promise.all(this.workers.map((w) => w.thread.terminate()));
		this.workers = [];
	}
}

function startWorker(): PoolWorker {
	const thread = new Worker(new URL('./nodeWorkerBoot.mjs', import.meta.url));
	const failure = new Promise<never>((_, reject) => {
		thread.once('error', reject);
		thread.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
	});
	failure.catch(() => {});
	return { thread, api: wrap<SimulationApi>(nodeEndpoint(thread)), failure };
}
