/**
 * Warming a simulation worker while the page is idle: a fresh worker runs its
 * first shards two to four times slower than later ones (the engine's code is
 * still being compiled), and with two workers both pay that at the start of
 * a run, which is when the first partial chart waits on them. Running a small
 * copy of each scenario the notebook will run compiles the same code paths
 * (its policies) before the user presses Run all. Results never depend on it:
 * the copy's output is thrown away, and each shard's random streams follow
 * its own people.
 */
import { scaledScenario } from '../engine/growth';
import { shardSimulation } from '../engine/shard';
import type { Scenario } from '../engine/scenario/schema';

/** People in a warm-up copy: enough days and events to compile the hot paths, a few tenths of a second on a cold worker. */
const WARM_PEOPLE = 300;
/** And never longer than this per copy (a runaway scenario would otherwise grow to the population cap). */
const WARM_BUDGET_MS = 300;

/** The scenario shrunk to about WARM_PEOPLE initial people, its channels' inflow in proportion. */
function smallCopy(scenario: Scenario): Scenario {
	return scaledScenario(scenario, Math.min(1, WARM_PEOPLE / Math.max(1, scenario.population.initial)));
}

/** Simulates a small copy of each scenario for a while and forgets it; a copy that fails only ends its own warm-up. */
export function warmUp(scenarios: Scenario[]): void {
	for (const scenario of scenarios) {
		try {
			const simulation = shardSimulation(smallCopy(scenario), { replication: 0, shard: 0 }, [], 1);
			const until = performance.now() + WARM_BUDGET_MS;
			while (!simulation.finished && performance.now() < until) simulation.step();
		} catch {
			// The run itself will meet and report the same problem.
		}
	}
}
