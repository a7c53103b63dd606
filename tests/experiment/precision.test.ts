import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { controlName, resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import { FIRST_BATCH, nextTotal, runToPrecision, widestLiftHalfWidth } from '../../src/lib/experiment/precision';
import { runJobsHere, runVariants } from '../../src/lib/experiment/runVariants';
import { OUTPUT_ARRAYS } from '../../src/lib/engine/output';

const base = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));
base.population.initial = 1000;
base.horizonDays = 90;
const winBack = { type: 'winBack', id: 'wb', quietDays: 20, messageCost: 0.2, responseRate: 0.4, purchaseRateMultiplier: 3, dropoutMultiplier: 0.6, effectDays: 14, couponCost: 6 };

const checked = validateExperiment({
	schema: 'lifecycle-lab/experiment@1',
	name: 'precision',
	scenario: base,
	metrics: ['gmv'],
	variants: [
		{ name: 'control', patch: {} },
		{ name: 'win-back', patch: { policies: [...base.policies, winBack] } }
	],
	precision: { metric: 'gmv', liftHalfWidth: 0.01, maxReplications: 40 }
});
if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
const experiment = checked.experiment;
const variants = resolveVariants(experiment, base);
const control = controlName(experiment);

describe('experiments that run until the answer is clear', () => {
	it('reads a precision target from the experiment file, with a default cap, and names a bad one', () => {
		expect(experiment.precision).toEqual({ metric: 'gmv', liftHalfWidth: 0.01, maxReplications: 40 });
		const withDefault = validateExperiment({ ...experiment, precision: { metric: 'gmv', liftHalfWidth: 0.02 } });
		expect(withDefault.ok && withDefault.experiment.precision?.maxReplications).toBe(200);
		const bad = validateExperiment({ ...experiment, precision: { metric: 'gmv', liftHalfWidth: -1 } });
		expect(bad.ok).toBe(false);
		expect(!bad.ok && bad.problems[0].path).toBe('precision.liftHalfWidth');
	});

	it('plans batches from the target and the spread so far: whole tens, at least one more, at most double, never past the cap', () => {
		const target = { metric: 'gmv' as const, liftHalfWidth: 0.01, maxReplications: 200 };
		// Half-width 0.02 at 10 replications: four times as many are needed, but a batch at most doubles.
		expect(nextTotal(10, 0.02, target)).toBe(20);
		// Half-width 0.0105 at 20: 20 × 1.1025 = 22.05, rounded up to whole tens.
		expect(nextTotal(20, 0.0105, target)).toBe(30);
		expect(nextTotal(190, 0.05, target)).toBe(200);
		expect(nextTotal(10, null, target)).toBe(20);
	});

	it('stops when the target is met, says so, and gives exactly the replications a fixed run of that count gives', { timeout: 600_000 }, async () => {
		const target = { metric: 'gmv' as const, liftHalfWidth: 0.02, maxReplications: 60 };
		const { runs, stopping } = await runToPrecision(variants, control, target, runJobsHere);
		expect(stopping.reason).toBe('target');
		const last = stopping.steps.at(-1)!;
		expect(last.replications).toBe(runs[0].outputs.length);
		expect(last.halfWidth!).toBeLessThanOrEqual(0.02);
		expect(widestLiftHalfWidth(runs, control, 'gmv')).toBe(last.halfWidth);
		// Every earlier batch missed the target (otherwise it would have stopped there).
		for (const step of stopping.steps.slice(0, -1)) expect(step.halfWidth!).toBeGreaterThan(0.02);
		expect(stopping.steps[0].replications).toBe(FIRST_BATCH);
		const fixed = await runVariants(variants, last.replications, runJobsHere);
		for (let v = 0; v < runs.length; v++) {
			for (let k = 0; k < last.replications; k++) {
				for (const key of OUTPUT_ARRAYS) expect(runs[v].outputs[k][key]).toEqual(fixed[v].outputs[k][key]);
			}
		}
	});

	it('stops at the cap when the target cannot be met, and says so', { timeout: 600_000 }, async () => {
		const target = { metric: 'gmv' as const, liftHalfWidth: 1e-6, maxReplications: 12 };
		const { runs, stopping } = await runToPrecision(variants, control, target, runJobsHere);
		expect(stopping.reason).toBe('cap');
		expect(runs[0].outputs).toHaveLength(12);
		expect(stopping.steps.map((s) => s.replications)).toEqual([10, 12]);
		expect(stopping.steps[1].halfWidth!).toBeGreaterThan(1e-6);
	});
});
