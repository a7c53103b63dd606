/** Runs work on a pool of Node worker threads that lives for one command. */
import type { RunOutput } from '../lib/engine/output';
import { combineShards, shardTasks } from '../lib/engine/run';
import type { Scenario } from '../lib/engine/scenario/schema';
import type { JobRunner } from '../lib/experiment/runVariants';
import { createNodePool } from '../lib/workers/nodePool';

/** Gives `work` a job runner on `workers` threads, and times it. */
export async function withWorkers<T>(workers: number, work: (run: JobRunner) => Promise<T>): Promise<{ result: T; wallSeconds: number }> {
	const pool = createNodePool(workers);
	try {
		const start = performance.now();
		const result = await work((jobs, options) => pool.runJobs(jobs, options));
		return { result, wallSeconds: (performance.now() - start) / 1000 };
	} finally {
		pool.close();
	}
}

/** Runs R replications of a scenario and times it. */
export async function runOnWorkers(scenario: Scenario, replications: number, workers: number): Promise<{ outputs: RunOutput[]; wallSeconds: number }> {
	const tasks = shardTasks(scenario, replications);
	const { result, wallSeconds } = await withWorkers(Math.min(workers, tasks.length), async (run) =>
		combineShards(await run(tasks.map((task) => ({ scenario, task }))), replications)
	);
	return { outputs: result, wallSeconds };
}
