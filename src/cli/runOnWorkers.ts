/** Runs work on a pool of Node worker threads that lives for one command. */
import { totalmem } from 'node:os';
import { estimateRunMemory, RunawayGrowthError } from '../lib/engine/growth';
import { checkMemory, estimateMemory, MemoryBudgetError } from '../lib/engine/memory';
import type { RunOutput } from '../lib/engine/output';
import { combineShards, shardCount, shardTasks } from '../lib/engine/run';
import { UsageError } from './scenarioFile';
import { cli, modeRunner } from './shards';
import type { Scenario } from '../lib/engine/scenario/schema';
import type { JobRunner } from '../lib/experiment/runVariants';
import { createNodePool } from '../lib/workers/nodePool';

/** Gives `work` a job runner on `workers` threads, and times it. */
export async function withWorkers<T>(workers: number, work: (run: JobRunner) => Promise<T>): Promise<{ result: T; wallSeconds: number }> {
	// A merge replays outputs it already has: no threads needed.
	const pool = cli.mode.kind === 'replay' ? null : createNodePool(workers);
	try {
		const start = performance.now();
		const result = await work(modeRunner((jobs, options) => pool!.runJobs(jobs, options)));
		return { result, wallSeconds: (performance.now() - start) / 1000 };
	} finally {
		pool?.close();
	}
}

/** The CLI may use up to 60% of the machine's memory. */
const BUDGET_BYTES = 0.6 * totalmem();

/** Refuses, as a usage error with the figures, work that would not fit in memory. */
export function checkFits(scenarios: Scenario[], replications: number, workers: number): void {
	let total = 0;
	let largest = scenarios[0];
	for (const s of scenarios) {
		const shards = shardCount(s.population.initial);
		total += estimateMemory(s, shards, shards * replications, 0).resultBytes;
		if (s.population.initial > largest.population.initial) largest = s;
	}
	const shards = shardCount(largest.population.initial);
	try {
		// The largest scenario's people, grown by its referrals as a pilot of it shows.
		const simulation = estimateRunMemory(largest, shards, shards * replications, workers);
		checkMemory({ ...simulation, resultBytes: total, totalBytes: simulation.simulationBytes + total }, BUDGET_BYTES);
	} catch (error) {
		if (error instanceof MemoryBudgetError || error instanceof RunawayGrowthError) throw new UsageError(error.message);
		throw error;
	}
}

/** Runs R replications of a scenario and times it. */
export async function runOnWorkers(scenario: Scenario, replications: number, workers: number): Promise<{ outputs: RunOutput[]; wallSeconds: number }> {
	// Check the figures before building the task list: a run too big to fit would spend minutes and gigabytes on the list alone.
	const taskCount = shardCount(scenario.population.initial) * replications;
	checkFits([scenario], replications, Math.min(workers, taskCount));
	const tasks = shardTasks(scenario, replications);
	const { result, wallSeconds } = await withWorkers(Math.min(workers, tasks.length), async (run) =>
		combineShards(await run(tasks.map((task) => ({ scenario, task }))), replications)
	);
	return { outputs: result, wallSeconds };
}
