/**
 * Running a scenario: its replications shard by shard (see shard.ts); shards
 * add up in shard order.
 */
import { referralGrowth } from './growth';
import { addOutput, type RunOutput } from './output';
import type { Policy } from './policies/policy';
import type { Scenario } from './scenario/schema';
import { shardCount, shardSimulation, type ShardTask } from './shard';
import type { Simulation } from './simulation';

export { SHARD_AGENTS, shardCount, shardPopulation, type ShardTask } from './shard';

/** Room made for referral growth at most (a runaway scenario stops at the population cap anyway). */
const MAX_EXPECTED_GROWTH = 8;

/**
 * Creates the simulation of one shard of one replication, ready to step,
 * sized for the scenario's referral growth (measured once per scenario by a
 * pilot, or given by a caller who measured it) so the population is not copied as it grows. Observers are
 * measurement policies, placed after the scenario's policies.
 */
export function createShardSimulation(scenario: Scenario, task: ShardTask, observers: Policy[] = [], growth = referralGrowth(scenario)): Simulation {
	return shardSimulation(scenario, task, observers, Math.min(growth, MAX_EXPECTED_GROWTH));
}

/** Runs one shard of one replication to the horizon (growth: as createShardSimulation); its records go to the next shard of this thread. */
export function runShard(scenario: Scenario, task: ShardTask, growth?: number): RunOutput {
	return finishSimulation(createShardSimulation(scenario, task, [], growth));
}

/** Simulates days for about `budgetMs` milliseconds, or to the horizon if sooner; returns the day reached. */
export function simulateFor(simulation: Simulation, budgetMs: number): number {
	const until = performance.now() + budgetMs;
	while (!simulation.finished && performance.now() < until) simulation.step();
	return simulation.day;
}

/** Runs a simulation to the horizon and lets its records go (see Population.release): for a simulation no one reads afterwards. */
export function finishSimulation(simulation: Simulation): RunOutput {
	const output = simulation.run();
	simulation.population.release();
	return output;
}

/** Every shard task of R replications, replication-major. */
export function shardTasks(scenario: Scenario, replications: number): ShardTask[] {
	const shards = shardCount(scenario.population.initial);
	const tasks: ShardTask[] = [];
	for (let replication = 0; replication < replications; replication++) {
		for (let shard = 0; shard < shards; shard++) tasks.push({ replication, shard });
	}
	return tasks;
}

/** Adds the shards of each replication in shard order; `parts` is in shardTasks order. */
export function combineShards(parts: RunOutput[], replications: number): RunOutput[] {
	const shards = parts.length / replications;
	const out: RunOutput[] = [];
	for (let r = 0; r < replications; r++) {
		const whole = parts[r * shards];
		for (let s = 1; s < shards; s++) addOutput(whole, parts[r * shards + s]);
		out.push(whole);
	}
	return out;
}

/** Runs R replications on this thread (tests, small runs). */
export function runReplications(scenario: Scenario, replications: number): RunOutput[] {
	return combineShards(shardTasks(scenario, replications).map((task) => runShard(scenario, task)), replications);
}
