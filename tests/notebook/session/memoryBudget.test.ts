import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROWSER_BUDGET_BYTES, overBudget } from '../../../src/lib/components/notebook/session/memoryBudget';
import { GROWTH_LIMIT } from '../../../src/lib/engine/memory';
import { RunawayGrowthError } from '../../../src/lib/engine/growth';
import { resolveVariants, validateExperiment } from '../../../src/lib/experiment/experiment';
import { EXPERIMENT_SCHEMA_ID } from '../../../src/lib/experiment/schema';

const scenario = JSON.parse(readFileSync(new URL('../../fixtures/small-six-stage.json', import.meta.url), 'utf8'));

function resolved(initial: number, replications: number, horizonDays = scenario.horizonDays) {
	const checked = validateExperiment({
		schema: EXPERIMENT_SCHEMA_ID,
		name: 'budget',
		scenario: { ...scenario, horizonDays, population: { ...scenario.population, initial } },
		replications,
		variants: [{ name: 'a' }, { name: 'b', patch: { dormancyDays: 30 } }]
	});
	if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
	return { experiment: checked.experiment, design: 'variants' as const, runs: resolveVariants(checked.experiment, checked.experiment.scenario) };
}

describe('the browser memory budget', () => {
	it('lets a small experiment run', () => {
		expect(overBudget(resolved(1000, 4), 2, 1)).toBeNull();
	});

	it('refuses one whose results cannot fit, with what it needs and the budget', () => {
		// Ten years of daily series for 2 × 1,000 replications: about 1 MB a run, 2 GB in all.
		const refusal = overBudget(resolved(1000, 1000, 3650), 2, 1);
		expect(refusal).not.toBeNull();
		expect(refusal!.availableGb).toBeCloseTo(BROWSER_BUDGET_BYTES / 2 ** 30);
		expect(refusal!.neededGb).toBeGreaterThan(refusal!.availableGb);
	});

	it('refuses a run whose pilot (measured in a worker) shows referrals multiplying it without bound', () => {
		const run = resolved(1000, 2);
		expect(overBudget(run, 2, GROWTH_LIMIT - 1)).toBeNull();
		expect(() => overBudget(run, 2, GROWTH_LIMIT)).toThrow(RunawayGrowthError);
	});
});
