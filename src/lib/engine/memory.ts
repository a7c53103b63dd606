/**
 * How much memory a run needs, estimated before it starts, so a run that
 * cannot fit is refused with the figure and a way out instead of crashing
 * the tab or the process.
 */
import type { Scenario } from './scenario/schema';
import { COST_KINDS, SERIES } from './output';

/** Bytes a shard holds per person, a ceiling over the measured ~80 (BENCHMARKS.md) for calendar slack and policy columns. */
export const BYTES_PER_AGENT = 100;
/** Bytes per policy column per person. */
const BYTES_PER_COLUMN = 8;

/** Registered arrivals through the scenario's channels over the horizon (referrals aside). */
export function channelArrivals(scenario: Scenario): number {
	let arrivals = 0;
	for (const ch of scenario.channels) {
		const days = Math.max(0, Math.min(ch.endDay ?? scenario.horizonDays, scenario.horizonDays) - ch.startDay);
		arrivals += ch.prospectsPerDay * (1 - ch.registrationDropOff) * days;
	}
	return arrivals;
}

/** People a shard will hold: its initial people plus expected registered arrivals, with slack for referrals. */
export function expectedAgents(scenario: Scenario, initialAgents: number, shards: number): number {
	return Math.ceil((initialAgents + channelArrivals(scenario) / shards) * 1.1) + 256;
}

/**
 * Records a shard's population starts with: its initial people, its share of
 * the channels' arrivals with room for their Poisson spread (four standard
 * deviations: a shard exceeds it about once in thirty thousand), all times
 * the referral growth a pilot measured (`growth`). Sized this close, capacity
 * is a few percent above the people a run ends with; the rare shard that
 * outgrows it grows by a quarter.
 */
export function shardCapacity(scenario: Scenario, initialAgents: number, shards: number, growth: number): number {
	const arrivals = channelArrivals(scenario) / shards;
	const brought = initialAgents + arrivals + 4 * Math.sqrt(arrivals);
	// The pilot's growth is itself an estimate from a thousand people: a little room over it.
	return Math.ceil(brought * (growth > 1 ? growth * 1.02 : 1)) + 16;
}

/**
 * Growth beyond expectedAgents at which a run is stopped: referrals that
 * multiply the population this much are a runaway scenario, and memory would
 * follow them past any budget.
 */
export const GROWTH_LIMIT = 50;

/** The most people a shard may hold before the run is stopped. */
export function maxAgents(expected: number): number {
	return Math.ceil(expected * GROWTH_LIMIT);
}

export interface MemoryEstimate {
	/** People in the largest shard. */
	agentsPerShard: number;
	/** Bytes of shards simulated at the same time. */
	simulationBytes: number;
	/** Bytes of shard results held until every shard of the run is in. */
	resultBytes: number;
	totalBytes: number;
}

/** Estimates a run of `tasks` shard tasks, `concurrent` of them at a time; `growth` multiplies the people (referralGrowth). */
export function estimateMemory(scenario: Scenario, shards: number, tasks: number, concurrent: number, growth = 1): MemoryEstimate {
	const initial = Math.ceil(scenario.population.initial / shards);
	const agentsPerShard = Math.ceil(expectedAgents(scenario, initial, shards) * growth);
	const columns = 6 * scenario.policies.length; // a generous ceiling: no policy keeps more than five columns
	const simulationBytes = Math.min(concurrent, tasks) * agentsPerShard * (BYTES_PER_AGENT + BYTES_PER_COLUMN * columns);
	const periods = Math.ceil(scenario.horizonDays / scenario.metrics.cohortPeriodDays);
	const outputBytes = 8 * (scenario.horizonDays * (scenario.stages.length + SERIES.length + COST_KINDS.length + 2) + periods * (periods + 1) + 3);
	const resultBytes = tasks * outputBytes;
	return { agentsPerShard, simulationBytes, resultBytes, totalBytes: simulationBytes + resultBytes };
}

/** Thrown when a run would not fit; the message gives the figures and what to do. */
export class MemoryBudgetError extends Error {
	constructor(
		readonly estimate: MemoryEstimate,
		readonly budgetBytes: number
	) {
		const gb = (b: number) => (b / 2 ** 30).toFixed(1);
		super(
			`this run needs about ${gb(estimate.totalBytes)} GB (${estimate.agentsPerShard.toLocaleString('en')} people per shard in simulation, ` +
				`${gb(estimate.resultBytes)} GB of results), more than the ${gb(budgetBytes)} GB available: ` +
				`use fewer people on day 0 or fewer replications, or fewer workers at once`
		);
		this.name = 'MemoryBudgetError';
	}
}

/** Refuses a run whose estimate exceeds the budget. */
export function checkMemory(estimate: MemoryEstimate, budgetBytes: number): void {
	if (estimate.totalBytes > budgetBytes) throw new MemoryBudgetError(estimate, budgetBytes);
}
