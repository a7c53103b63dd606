/**
 * The quick run checks what a user typed before planning any work (issue 17,
 * item 6): 2e8 replications used to build a task list for 75 s and 4 GB and
 * end in an uncaught RangeError.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/lib/engine/scenario/validate';
import { MAX_REPLICATIONS, planRun, replicationsValid } from '../../src/lib/components/simulationRun.svelte';
import type { Scenario } from '../../src/lib/engine/scenario/schema';

function scenario(initial: number, horizonDays = 365): Scenario {
	const raw = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));
	const result = validateScenario({ ...raw, horizonDays, population: { ...raw.population, initial } });
	if (!result.ok) throw new Error('fixture invalid');
	return result.scenario;
}

describe('a quick run is checked before it is planned', () => {
	it('refuses replications outside 1 to the field maximum, or not whole, without planning them', () => {
		for (const bad of [2e8, MAX_REPLICATIONS + 1, 0, -1, 2.5, NaN]) {
			expect(replicationsValid(bad)).toBe(false);
			expect(planRun(scenario(1000), bad, 2)).toEqual({ kind: 'invalid' });
		}
	});

	it('refuses a population too big for a tab with the figures, before building its task list', () => {
		const plan = planRun(scenario(100_000_000, 3650), MAX_REPLICATIONS, 2);
		expect(plan.kind).toBe('tooBig');
		if (plan.kind === 'tooBig') expect(plan.neededGb).toBeGreaterThan(plan.availableGb);
	});

	it('plans one task per shard and replication for a run that fits', () => {
		const plan = planRun(scenario(40_000), 3, 2);
		expect(plan.kind).toBe('ok');
		if (plan.kind === 'ok') expect(plan.tasks).toHaveLength(3 * 3);
	});
});
