import { describe, expect, it } from 'vitest';
import { checkMemory, estimateMemory, MemoryBudgetError } from '../../src/lib/engine/memory';
import { createShardSimulation, shardCount } from '../../src/lib/engine/run';
import { builtIn } from '../helpers/scenarios';

describe('memory estimates before a run', () => {
	it('covers what a shard really allocates for its people', () => {
		const scenario = builtIn('six-stage', (raw) => (raw.population.initial = 30_000));
		const shards = shardCount(30_000);
		const estimate = estimateMemory(scenario, shards, shards, 1);
		const sim = createShardSimulation(scenario, { replication: 0, shard: 0 });
		sim.run();
		expect(estimate.agentsPerShard).toBeGreaterThanOrEqual(sim.population.size);
		expect(estimate.simulationBytes).toBeGreaterThanOrEqual(sim.population.size * sim.population.bytesPerAgent());
	});

	it('sizes a shard close to the people it ends with, without growing it', () => {
		// six-stage at a million people: its channels' arrivals and a little referral growth on top of 16,130 day-0 people per shard.
		const scenario = builtIn('six-stage', (raw) => (raw.population.initial = 1_000_000));
		for (const shard of [0, 61]) {
			const sim = createShardSimulation(scenario, { replication: 0, shard });
			const first = sim.population.capacity;
			sim.run();
			expect(sim.population.capacity).toBe(first);
			expect(first).toBeLessThan(sim.population.size * 1.06);
		}
	});

	it('refuses an absurd population with the figure and what to do', () => {
		const scenario = builtIn('six-stage', (raw) => (raw.population.initial = 100_000_000));
		const shards = shardCount(100_000_000);
		const estimate = estimateMemory(scenario, shards, shards * 50, 8);
		expect(() => checkMemory(estimate, 1.5 * 2 ** 30)).toThrow(MemoryBudgetError);
		expect(() => checkMemory(estimate, 1.5 * 2 ** 30)).toThrow(/this run needs about \d+\.\d GB .* more than the 1\.5 GB available: use fewer people on day 0 or fewer replications/);
		const small = builtIn('six-stage');
		expect(() => checkMemory(estimateMemory(small, shardCount(100_000), 10, 8), 1.5 * 2 ** 30)).not.toThrow();
	});
});
