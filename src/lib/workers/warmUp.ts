/**
 * Warming a simulation worker while the page is idle: a fresh worker runs its
 * first shards several times slower than later ones (V8 is still compiling
 * the engine's code for what these scenarios do), and with two workers both
 * pay that at the start of a run, which is when the first partial chart waits
 * on them. Simulating the first days of each run the notebook will make, at
 * its own size, compiles the same code paths and leaves records of the right
 * size for the first shard. Variants that share their policies still differ
 * in what runs (an invitation rate of zero never invites), so every run
 * counts, not one per set of policies: a copy of a few hundred people or one
 * run per set of policies left the first round 3-10 times slower than the
 * next. Results never depend on it: what the warm-up simulates is thrown
 * away, and each shard's random streams follow its own people.
 *
 * The warm-up gives way at once: it simulates in slices and stops for good
 * when a real call arrives, so a run started meanwhile waits one slice at most.
 */
import { createShardSimulation, simulateFor } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import { nextTask } from './nextTask';

/** Each run's first days simulated for about this long. */
const WARM_BUDGET_MS = 150;
/** Between two slices the worker reads its messages: a call that arrives waits at most this long. */
const SLICE_MS = 20;

let generation = 0;

/** Called by every real call: a warm-up in progress stops at its next slice. */
export function interruptWarmUp(): void {
	generation++;
}

/** Simulates the first days of each scenario and forgets them; stops when interrupted. A scenario that fails only ends its own warm-up. */
export async function warmUp(scenarios: Scenario[]): Promise<void> {
	const mine = ++generation;
	for (const scenario of scenarios) {
		let simulation;
		try {
			// Sized by this worker's pilot, which keeps its growth by scenario content: the run's own pilot then finds it measured.
			simulation = createShardSimulation(scenario, { replication: 0, shard: 0 });
			const until = performance.now() + WARM_BUDGET_MS;
			while (!simulation.finished && performance.now() < until) {
				simulateFor(simulation, Math.min(SLICE_MS, until - performance.now()));
				await nextTask();
				if (generation !== mine) return;
			}
		} catch {
			// The run itself will meet and report the same problem.
		} finally {
			simulation?.population.release();
		}
	}
}
