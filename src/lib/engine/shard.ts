/**
 * Shards: a replication is split into shards of at most SHARD_AGENTS initial
 * people, each with its own random streams. The shard count depends on the
 * population only, never on how many workers run the shards, so results are
 * the same whoever computes them. Small shards also keep each shard's arrays in cache.
 */
import { compileModel } from './model';
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
 * The simulation of one shard of one replication, ready to step, with room
 * for `expectedGrowth` times the people its inflow brings (growth changes
 * memory, never results). Observers are measurement policies (they book
 * nothing and change no rate), placed after the scenario's policies so
 * results are the same with or without them.
 */
export function shardSimulation(scenario: Scenario, task: ShardTask, observers: Policy[], expectedGrowth: number): Simulation {
	const model = compileModel(scenario);
	const shards = shardCount(scenario.population.initial);
	const part = {
		seed: scenario.seed,
		replication: task.replication,
		shard: task.shard,
		shards,
		initialAgents: shardPopulation(scenario.population.initial, task.shard, shards)
	};
	return new Simulation(model, [...createPolicies(model), ...observers], part, expectedGrowth);
}
