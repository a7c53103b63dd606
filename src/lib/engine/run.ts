/**
 * Running a scenario: a replication is split into shards of at most
 * SHARD_AGENTS initial people, each with its own random streams. The shard
 * count depends on the population only, never on how many workers run the
 * shards, so results are the same whoever computes them; shards add up in
 * shard order. Small shards also keep each shard's arrays in cache.
 */
import { compileModel } from './model';
import { addOutput, type RunOutput } from './output';
import type { Policy } from './policies/policy';
import { createPolicies } from './policies/registry';
import type { Scenario } from './scenario/schema';
import { Simulation } from './simulation';

export const SHARD_AGENTS = 16384;

/** One unit of work: a shard of a replication. */
export interface ShardTask {
	replication: number;
	shard: number;
}

/** How many shards a population is split into. */
export function shardCount(initialPopulation: number): number {
	return Math.max(1, Math.ceil(initialPopulation / SHARD_AGENTS));
}

/** The initial people of one shard: an equal split, the remainder to the first shards. */
export function shardPopulation(total: number, shard: number, shards: number): number {
	return Math.floor(total / shards) + (shard < total % shards ? 1 : 0);
}

/**
 * Creates the simulation of one shard of one replication, ready to step.
 * Observers are measurement policies (they book nothing and change no rate),
 * placed after the scenario's policies so results are the same with or without them.
 */
export function createShardSimulation(scenario: Scenario, task: ShardTask, observers: Policy[] = []): Simulation {
	const model = compileModel(scenario);
	const shards = shardCount(scenario.population.initial);
	return new Simulation(model, [...createPolicies(model), ...observers], {
		seed: scenario.seed,
		replication: task.replication,
		shard: task.shard,
		shards,
		initialAgents: shardPopulation(scenario.population.initial, task.shard, shards)
	});
}

/** Runs one shard of one replication to the horizon. */
export function runShard(scenario: Scenario, task: ShardTask): RunOutput {
	return createShardSimulation(scenario, task).run();
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
