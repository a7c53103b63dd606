/** Which scenarios warm the simulation workers while the page is idle (see workers/warmUp.ts). */
import type { Scenario } from '../../../engine/scenario/schema';
import { resolveExperimentCell } from '../../../notebook/experimentCell';
import type { Notebook } from '../../../notebook/schema';

/** At most this many: each costs a worker about 0.15 s while the page is idle. */
const MAX_WARM_UPS = 6;

/**
 * The experiments' runs in notebook order, each content once: every variant
 * counts, since variants with the same policies still run different code
 * (a programme switched off, a rate of zero). The first ones are those the
 * first partial chart waits for.
 */
export function warmUpScenarios(notebook: Notebook): Scenario[] {
	const seen = new Set<string>();
	const scenarios: Scenario[] = [];
	for (const cell of notebook.cells) {
		if (cell.kind !== 'experiment') continue;
		const resolution = resolveExperimentCell(notebook, cell);
		if (!resolution.ok) continue;
		for (const { scenario } of resolution.resolved.runs) {
			const key = JSON.stringify(scenario);
			if (seen.has(key)) continue;
			seen.add(key);
			scenarios.push(scenario);
			if (scenarios.length === MAX_WARM_UPS) return scenarios;
		}
	}
	return scenarios;
}
