/**
 * Variants with different horizons (issue 17, item 9): `compare` compared a
 * 60-day variant's KPIs with a 120-day control's, and the band chart threw.
 * They are refused, naming the variant and saying why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/lib/engine/scenario/validate';
import { ExperimentError, resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import { sim } from '../helpers/cli';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));

function resolve(variants: unknown[]): string {
	const checked = validateExperiment({ schema: 'lifecycle-lab/experiment@1', name: 'x', scenario, variants });
	if (!checked.ok) throw new Error('invalid experiment');
	try {
		resolveVariants(checked.experiment, scenario);
	} catch (error) {
		if (error instanceof ExperimentError) return error.problems.map(formatProblem).join('\n');
		throw error;
	}
	return '';
}

describe('variants share one horizon', () => {
	it('refuses a variant whose patch changes horizonDays, naming it and the control', () => {
		const problem = resolve([{ name: 'control' }, { name: 'short', patch: { horizonDays: 60 } }]);
		expect(problem).toBe(
			`variants[1].patch.horizonDays: variant "short" runs 60 days and the control "control" ${scenario.horizonDays}; variants are compared over one horizon, so set horizonDays in the base scenario, not in a variant`
		);
	});

	it('accepts variants that all change the horizon alike', () => {
		expect(resolve([{ name: 'a', patch: { horizonDays: 60 } }, { name: 'b', patch: { horizonDays: 60, seed: 3 } }])).toBe('');
	});

	it('compare exits 2 with the reason instead of comparing unequal horizons', async () => {
		const experiment = JSON.stringify({ schema: 'lifecycle-lab/experiment@1', name: 'x', scenario, replications: 1, variants: [{ name: 'control' }, { name: 'short', patch: { horizonDays: 60 } }] });
		const path = join(mkdtempSync(join(tmpdir(), 'lifecycle-horizons-')), 'experiment.json');
		writeFileSync(path, experiment);
		const result = await sim('compare', path);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/variants\[1\]\.patch\.horizonDays: variant "short" runs 60 days/);
	});
});
