/**
 * How much referrals grow a scenario's population, measured before a run by
 * a small pilot of the scenario itself: growth compounds (the referred refer
 * again), so no closed form fits every funnel, but the pilot's ratio of people
 * to those its inflow brings is scale-free, and a thousand people show it in
 * milliseconds. A runaway scenario reaches the pilot's cap and is refused.
 */
import { channelArrivals, estimateMemory, GROWTH_LIMIT, type MemoryEstimate } from './memory';
import { PopulationCapError } from './population';
import { shardSimulation } from './shard';
import type { Scenario } from './scenario/schema';

/** People in the pilot (initial plus arrivals, before referrals). */
const PILOT_PEOPLE = 1000;

/** True when someone can bring in someone else. */
function refers(scenario: Scenario): boolean {
	return scenario.segments.some((s) => s.referral.invitesPerYear > 0 && s.referral.conversion > 0);
}

/** The scenario shrunk to about PILOT_PEOPLE people, in proportion. */
function pilotScenario(scenario: Scenario, people: number): Scenario {
	return scaledScenario(scenario, Math.min(1, PILOT_PEOPLE / people));
}

/** The scenario with its initial people and every channel's inflow times `scale`. */
export function scaledScenario(scenario: Scenario, scale: number): Scenario {
	return {
		...scenario,
		population: { ...scenario.population, initial: Math.round(scenario.population.initial * scale) },
		channels: scenario.channels.map((c) => ({ ...c, prospectsPerDay: c.prospectsPerDay * scale }))
	};
}

/**
 * The factor by which referrals multiply the people the scenario's inflow
 * brings (1 without referrals); GROWTH_LIMIT or more means a runaway.
 */
export function referralGrowth(scenario: Scenario): number {
	const people = scenario.population.initial + channelArrivals(scenario);
	if (!refers(scenario) || people === 0) return 1;
	// Every shard of a run asks with the same object: no need to serialise it again.
	const same = byObject.get(scenario);
	if (same !== undefined) return same;
	// A notebook checks the same scenario at every re-run: the pilot runs once per scenario content.
	const key = JSON.stringify(scenario);
	let growth = measured.get(key);
	if (growth === undefined) {
		growth = pilotGrowth(scenario, people);
		measured.set(key, growth);
		if (measured.size > MEASURED_KEPT) measured.delete(measured.keys().next().value!);
	}
	byObject.set(scenario, growth);
	return growth;
}

/** Growth by scenario object, for the shards of one run. */
const byObject = new WeakMap<Scenario, number>();

/** Growth measured by earlier pilots, by scenario content (the oldest dropped first). */
const measured = new Map<string, number>();
const MEASURED_KEPT = 32;

function pilotGrowth(scenario: Scenario, people: number): number {
	const pilot = pilotScenario(scenario, people);
	const simulation = shardSimulation(pilot, { replication: 0, shard: 0 }, [], 1);
	try {
		simulation.run();
		const brought = pilot.population.initial + channelArrivals(pilot);
		return Math.max(1, simulation.population.size / Math.max(1, brought));
	} catch (error) {
		if (error instanceof PopulationCapError) return GROWTH_LIMIT;
		throw error;
	} finally {
		simulation.population.release();
	}
}

/** Thrown before a run when a pilot shows referrals multiplying the population without bound. */
export class RunawayGrowthError extends Error {
	constructor(readonly growth: number) {
		super(
			`referrals multiply this scenario's population more than ${GROWTH_LIMIT}-fold within the horizon (a pilot of ${PILOT_PEOPLE} people grew past ${GROWTH_LIMIT} times its inflow), ` +
				`so memory would grow past any budget: lower the invitations per year, their conversion or the referral programme's multipliers, or shorten the horizon`
		);
		this.name = 'RunawayGrowthError';
	}
}

/** estimateMemory with the scenario's referral growth measured by a pilot (or given, measured elsewhere); throws RunawayGrowthError for a runaway. */
export function estimateRunMemory(scenario: Scenario, shards: number, tasks: number, concurrent: number, growth = referralGrowth(scenario)): MemoryEstimate {
	if (growth >= GROWTH_LIMIT) throw new RunawayGrowthError(growth);
	return estimateMemory(scenario, shards, tasks, concurrent, growth);
}
