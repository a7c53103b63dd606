/** Runs R replications of a scenario on a pool of worker threads and times it. */
import type { RunOutput } from '../lib/engine/output';
import { combineShards, shardTasks } from '../lib/engine/run';
import type { Scenario } from '../lib/engine/scenario/schema';
import { createNodePool } from '../lib/workers/nodePool';

export async function runOnWorkers(
	scenario: Scenario,
	replications: number,
	workers: number
): Promise<{ outputs: RunOutput[]; wallSeconds: number }> {
	const tasks = shardTasks(scenario, replications);
	const pool = createNodePool(Math.min(workers, tasks.length));
	try {
		const start = performance.now();
		const parts = await pool.run(scenario, tasks);
		const outputs = combineShards(parts, replications);
		return { outputs, wallSeconds: (performance.now() - start) / 1000 };
	} finally {
		pool.close();
	}
}
