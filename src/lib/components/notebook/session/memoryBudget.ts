/** Whether an experiment fits the memory a browser tab lets a run use, checked before any work is planned. */
import { estimateRunMemory } from '../../../engine/growth';
import { checkMemory, MemoryBudgetError } from '../../../engine/memory';
import { shardCount } from '../../../engine/run';
import type { Scenario } from '../../../engine/scenario/schema';
import { plannedReplications, type ResolvedExperiment } from '../../../notebook/experimentCell';

/** What a browser tab lets a run use. */
export const BROWSER_BUDGET_BYTES = 1.5 * 2 ** 30;

/** A refused run: what it needed and the budget, in GB. */
export interface OverBudget {
	neededGb: number;
	availableGb: number;
}

/** Null when the experiment fits, with its people multiplied by `growth` (a RunawayGrowthError when referrals would grow it past any budget), in `budgetBytes` on `workers` workers, else what it needs. */
export function overBudget(resolved: ResolvedExperiment, workers: number, growth: number, budgetBytes = BROWSER_BUDGET_BYTES): OverBudget | null {
	const biggest = largestScenario(resolved);
	try {
		// Counted, not built: a task list too big to fit is what the check is for; growth by referrals counts too.
		const tasks = shardCount(biggest.population.initial) * plannedReplications(resolved) * resolved.runs.length;
		checkMemory(estimateRunMemory(biggest, shardCount(biggest.population.initial), tasks, workers, growth), budgetBytes);
		return null;
	} catch (error) {
		if (!(error instanceof MemoryBudgetError)) throw error;
		return { neededGb: error.estimate.totalBytes / 2 ** 30, availableGb: error.budgetBytes / 2 ** 30 };
	}
}

/** The run with the largest population decides: every run's shards are the same size or smaller. */
export function largestScenario(resolved: ResolvedExperiment): Scenario {
	return resolved.runs.reduce((a, b) => (b.scenario.population.initial > a.scenario.population.initial ? b : a)).scenario;
}
