/** Which scenarios warm the simulation workers while the page is idle (see workers/warmUp.ts). */
import type { Scenario } from '../../../engine/scenario/schema';
import { resolveExperimentCell } from '../../../notebook/experimentCell';
import type { Notebook } from '../../../notebook/schema';

/** At most this many: each costs a worker a few tenths of a second when cold. */
const MAX_WARM_UPS = 4;

/**
 * The experiments' runs in notebook order, one per set of policy types: runs
 * that share their policies (a sweep's cells, most variants) run the same
 * code, so one of them warms it for all.
 */
export function warmUpScenarios(notebook: Notebook): Scenario[] {
	const seen = new Set<string>();
	const scenarios: Scenario[] = [];
	for (const cell of notebook.cells) {
		if (cell.kind !== 'experiment') continue;
		const resolution = resolveExperimentCell(notebook, cell);
		if (!resolution.ok) continue;
		for (const { scenario } of resolution.resolved.runs) {
			const policies = scenario.policies.map((p) => p.type).join();
			if (seen.has(policies)) continue;
			seen.add(policies);
			scenarios.push(scenario);
		}
	}
	return scenarios.slice(0, MAX_WARM_UPS);
}
