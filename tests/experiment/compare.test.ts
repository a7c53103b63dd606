import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/lib/experiment/compare';
import { ExperimentError, resolveSensitivity, resolveSweep, resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import { runJobsHere, runVariants } from '../../src/lib/experiment/runVariants';
import type { Experiment, ExperimentInput } from '../../src/lib/experiment/schema';
import { sensitivityReport, sweepReport } from '../../src/lib/experiment/sweep';
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));
base.population.initial = 10_000;
base.horizonDays = 180;

const winBack = { type: 'winBack', id: 'wb', quietDays: 30, messageCost: 0.2, responseRate: 0.3, purchaseRateMultiplier: 3, dropoutMultiplier: 0.6, effectDays: 14, couponCost: 6 };

function experiment(extra: Partial<ExperimentInput> = {}): Experiment {
	const result = validateExperiment({
		schema: 'lifecycle-lab/experiment@1',
		name: 'test',
		scenario: base,
		replications: 10,
		metrics: ['gmv', 'grossProfit', 'totalCost', 'repurchaseRate'],
		variants: [
			{ name: 'control', patch: {} },
			{ name: 'win-back', patch: { policies: [...base.policies, winBack] } }
		],
		...extra
	});
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.experiment;
}

async function compare(e: Experiment) {
	const runs = await runVariants(resolveVariants(e, base), e.replications, runJobsHere, e.commonRandomNumbers);
	return buildComparison(e, runs, 0);
}

/** The win-back comparison with common random numbers, run once for the tests that read it. */
let paired: ReturnType<typeof compare> | null = null;
const pairedComparison = () => (paired ??= compare(experiment()));
/** The same with independent seeds per variant. */
let unpaired: ReturnType<typeof compare> | null = null;
const independentComparison = () => (unpaired ??= compare(experiment({ commonRandomNumbers: false })));

describe('A/B comparisons', () => {
	it('common random numbers give a narrower interval for the difference than independent seeds', async () => {
		const width = (r: Awaited<ReturnType<typeof compare>>) => {
			const ci = r.comparisons.find((c) => c.metric === 'gmv')!.diff.ci95!;
			return ci[1] - ci[0];
		};
		const independent = await independentComparison();
		expect(width(await pairedComparison())).toBeLessThan(width(independent) / 3);
	});

	it('reports what pairing bought: the variant interval width over the paired difference interval width', async () => {
		const reduction = (r: Awaited<ReturnType<typeof compare>>) => {
			const gmv = r.comparisons.find((c) => c.metric === 'gmv')!;
			const own = r.variants.find((v) => v.name === gmv.variant)!.kpis.gmv.ci95!;
			return { reported: gmv.varianceReduction!, computed: (own[1] - own[0]) / (gmv.diff.ci95![1] - gmv.diff.ci95![0]) };
		};
		const paired = reduction(await pairedComparison());
		expect(paired.reported).toBeCloseTo(paired.computed, 12);
		expect(paired.reported).toBeGreaterThan(3);
		// Independent seeds: the difference of two independent means is about √2 times as uncertain as one of them.
		const independent = reduction(await independentComparison());
		expect(independent.reported).toBeLessThan(1.5);
	});

	it('reports lift, probability of being better, incremental ROI and the replications a precision needs', async () => {
		const report = await pairedComparison();
		const gmv = report.comparisons.find((c) => c.metric === 'gmv')!;
		expect(gmv.variant).toBe('win-back');
		expect(gmv.control).toBe('control');
		expect(gmv.diff.mean).toBeGreaterThan(0);
		expect(gmv.relativeLift.mean).toBeCloseTo(gmv.diff.mean! / report.variants[0].kpis.gmv.mean!, 10);
		expect(gmv.probabilityBetter).toBeGreaterThan(0.9);
		const cost = report.comparisons.find((c) => c.metric === 'totalCost')!;
		// More cost is worse: a certain cost increase means a probability of being better near 0.
		expect(cost.diff.mean).toBeGreaterThan(0);
		expect(cost.probabilityBetter).toBeLessThan(0.05);
		// Incremental ROI is (Δ gross profit − Δ spend) / Δ spend, from the variants' own means.
		const [control, variant] = report.variants.map((v) => v.kpis);
		const spend = (k: typeof control) => k.totalCost.mean! + k.acquisitionSpend.mean!;
		const deltaSpend = spend(variant) - spend(control);
		const deltaNet = variant.grossProfit.mean! - control.grossProfit.mean! - deltaSpend;
		expect(report.incrementalRoi[0].estimate.mean! / (deltaNet / deltaSpend)).toBeCloseTo(1, 9);
		// The replications needed shrink the seen half-width to the target: about 10 × (seen / target)²,
		// less by up to (1.96 / t₉)² ≈ 0.75 since more replications have a smaller t quantile.
		const precision = report.variants[0].precision.gmv!;
		const scaled = 10 * (precision.halfWidth! / precision.targetHalfWidth!) ** 2;
		expect(precision.replicationsNeeded).toBeGreaterThanOrEqual(Math.floor(0.74 * scaled));
		expect(precision.replicationsNeeded).toBeLessThanOrEqual(Math.ceil(scaled));
		expect(report.meta).toMatchObject({ replications: 10, control: 'control', commonRandomNumbers: true });
	});

	it('hears each replication of each variant as it completes, equal to the final result', async () => {
		const e = experiment({ replications: 3 });
		const heard: { variant: string; replication: number; gmv: number }[] = [];
		const runs = await runVariants(resolveVariants(e, base), 3, runJobsHere, true, undefined, {
			onReplication: (variant, replication, output) => heard.push({ variant, replication, gmv: output.series.reduce((s, x) => s + x, 0) })
		});
		expect(heard).toHaveLength(6);
		for (const h of heard) {
			const final = runs.find((r) => r.name === h.variant)!.outputs[h.replication];
			expect(h.gmv).toBe(final.series.reduce((s, x) => s + x, 0));
		}
		const report = buildComparison(e, runs, 0);
		expect(report.variants[1].daily.gmv!.p50).toHaveLength(180);
	});

	it('a variant identical to the control differs by exactly 0 under common random numbers', async () => {
		// Exactly 0 holds replication by replication: three are enough.
		const report = await compare(experiment({ replications: 3, variants: [{ name: 'a', patch: {} }, { name: 'b', patch: { labels: { en: 'B', 'zh-CN': 'B' } } }] }));
		for (const c of report.comparisons) {
			expect(c.diff.mean).toBe(0);
			expect(c.excludesZero).toBe(false);
		}
		// And so does the daily paired difference, every day of every series; the control has none of its own.
		expect(report.variants[0].dailyDifference).toBeUndefined();
		for (const band of Object.values(report.variants[1].dailyDifference!)) for (const k of ['mean', 'p05', 'p95'] as const) expect(band![k].every((x) => x === 0)).toBe(true);
	});

	it('draws the daily paired difference from control: its mean is the difference of the means, its band narrower than the variant’s own', async () => {
		const report = await pairedComparison();
		const [control, winBack] = report.variants;
		const diff = winBack.dailyDifference!.activeCustomers!;
		const own = winBack.daily.activeCustomers!;
		const base = control.daily.activeCustomers!;
		let ownWidth = 0;
		let diffWidth = 0;
		for (let d = 0; d < diff.mean.length; d++) {
			expect(diff.mean[d]).toBeCloseTo(own.mean[d] - base.mean[d], 6);
			ownWidth += own.p95[d] - own.p05[d];
			diffWidth += diff.p95[d] - diff.p05[d];
		}
		// Common random numbers: what differs run to run is mostly shared, so the paired band is the narrower.
		expect(diffWidth).toBeLessThan(ownWidth / 2);
	});

	it('names the variant and the path of a bad patch', () => {
		const e = experiment({ variants: [{ name: 'control', patch: {} }, { name: 'broken', patch: { economics: { grossMargin: 3 } } }] });
		expect(() => resolveVariants(e, base)).toThrow(ExperimentError);
		expect(() => resolveVariants(e, base)).toThrow('economics.grossMargin: must be at most 1, got 3 (in variants[1] "broken")');
	});

	it('refuses a control that is not a variant', () => {
		const result = validateExperiment({ schema: 'lifecycle-lab/experiment@1', name: 'x', scenario: base, control: 'nope', variants: [{ name: 'a', patch: {} }] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems[0]).toEqual({ path: 'control', message: 'no variant is named "nope"; variants: a' });
	});
});

describe('sweeps and sensitivity', () => {
	it('a sweep runs every cell of its grid', async () => {
		const e = experiment({
			replications: 2,
			sweep: [
				{ parameter: '/policies/0/costPerDay', values: [1000, 3000] },
				{ parameter: '/economics/grossMargin', values: [0.3, 0.4, 0.5] }
			]
		});
		const runs = await runVariants(resolveSweep(e, base), 2, runJobsHere);
		const report = sweepReport(e, runs, 0);
		expect(report.cells).toHaveLength(6);
		expect(report.cells[5].values).toEqual({ '/policies/0/costPerDay': 3000, '/economics/grossMargin': 0.5 });
		// Same random numbers in every cell: margin changes gross profit exactly in proportion, GMV not at all.
		const gp = (i: number) => report.cells[i].kpis.grossProfit!.mean!;
		expect(gp(2) / gp(0)).toBeCloseTo(0.5 / 0.3, 9);
		expect(report.cells[1].kpis.roi).toBeUndefined();
	});

	it('sensitivity ranks parameters by swing, and a parameter that cannot matter has no swing', async () => {
		const e = experiment({
			replications: 3,
			sensitivity: [
				{ parameter: '/economics/currency', label: 'currency code', low: 'CNY', high: 'USD' },
				{ parameter: '/economics/grossMargin', low: 0.2, high: 0.5 },
				{ parameter: '/policies/0/costPerDay', low: 0, high: 6000 }
			]
		});
		const runs = await runVariants(resolveSensitivity(e, base), 3, runJobsHere);
		const report = sensitivityReport(e, runs, 'grossProfit', 0);
		expect(report.parameters.map((p) => p.parameter)).toEqual(['/economics/grossMargin', '/economics/currency', '/policies/0/costPerDay']);
		expect(report.parameters[1].swing).toBe(0);
		expect(report.parameters[0].high.effect.mean).toBeGreaterThan(0);
	});

	it('sweeps a value the scenario leaves to its default', () => {
		const e = experiment({ sweep: [{ parameter: '/policies/0/startDay', values: [0, 30] }] });
		expect(resolveSweep(e, base).map((c) => c.scenario.policies[0].startDay)).toEqual([0, 30]);
	});

	it('names a sweep parameter that points nowhere', () => {
		const e = experiment({ sweep: [{ parameter: '/policies/7/rate', values: [1] }] });
		expect(() => resolveSweep(e, base)).toThrow('the scenario has no value at /policies/7/rate');
	});
});
