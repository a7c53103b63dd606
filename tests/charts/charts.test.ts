// @vitest-environment jsdom
/**
 * Each chart builder drawn from real engine results (a small coffee-shop
 * membership scenario), checking what a reader relies on in the drawing.
 */
import * as Plot from '@observablehq/plot';
import { readFileSync } from 'node:fs';
import { URL as NodeURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cohortHeatmap } from '../../src/lib/charts/cohortHeatmap';
import { costWaterfall, waterfallSteps } from '../../src/lib/charts/costWaterfall';
import { flowView } from '../../src/lib/charts/flowView';
import { kpiIntervals } from '../../src/lib/charts/kpiIntervals';
import { metricBands } from '../../src/lib/charts/metricBands';
import { sweepHeatmap } from '../../src/lib/charts/sweepHeatmap';
import { tornado } from '../../src/lib/charts/tornado';
import { labelWidth } from '../../src/lib/charts/format';
import { runReplications } from '../../src/lib/engine/run';
import { buildComparison, type ComparisonReport } from '../../src/lib/experiment/compare';
import { resolveSensitivity, resolveSweep, resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import { buildReport, type RunReport } from '../../src/lib/experiment/report';
import { runJobsHere, runVariants } from '../../src/lib/experiment/runVariants';
import type { ExperimentInput } from '../../src/lib/experiment/schema';
import { estimate } from '../../src/lib/experiment/statistics';
import { sensitivityReport, sweepReport } from '../../src/lib/experiment/sweep';
import { parseScenario } from '../../src/lib/engine/scenario/validate';

// jsdom has no canvas; Plot paints a continuous colour legend's ramp on one. A blank ramp is enough here.
HTMLCanvasElement.prototype.getContext = (() => ({ fillRect() {} })) as unknown as HTMLCanvasElement['getContext'];
HTMLCanvasElement.prototype.toDataURL = () => 'data:,';

// Node's URL, not jsdom's: readFileSync only takes the former.
const base = JSON.parse(readFileSync(new NodeURL('../../scenarios/coffee-membership.json', import.meta.url), 'utf8'));
base.population.initial = 1500;
base.horizonDays = 120;
const scenario = (patch: object = {}) => parseScenario({ ...structuredClone(base), ...patch });

function experiment(extra: Partial<ExperimentInput>) {
	const result = validateExperiment({ schema: 'lifecycle-lab/experiment@1', name: 'charts', scenario: base, metrics: ['gmv', 'grossProfit'], ...extra });
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.experiment;
}

type Chart = ReturnType<typeof Plot.plot>;
const marks = (chart: Element, mark: string, element: string) => [...chart.querySelectorAll(`g[aria-label="${mark}"] > ${element}`)];
const scale = (chart: Element, name: 'x' | 'y') => (chart as Chart).scale(name)!;

let report: RunReport;
let stageLabels: { id: string; label: string }[];
let comparison: ComparisonReport;
beforeAll(async () => {
	const monthly = scenario();
	report = buildReport(monthly, runReplications(monthly, 4), 0);
	stageLabels = monthly.stages.map((s) => ({ id: s.id, label: s.labels.en }));
	const richer = { ...base.policies[1], joinProbability: 0.9, purchaseRateMultiplier: 4 };
	const e = experiment({
		replications: 4,
		variants: [
			{ name: 'control', patch: {} },
			{ name: 'richer', patch: { policies: [base.policies[0], richer, ...base.policies.slice(2)] } }
		]
	});
	comparison = buildComparison(e, await runVariants(resolveVariants(e, base), 4, runJobsHere), 0);
});

describe('run charts', () => {
	it('the cohort heatmap has one cell per observed triangle entry, each labelled with its percentage', () => {
		const chart = cohortHeatmap({ triangle: report.cohorts, xLabel: 'Months since first purchase', yLabel: 'Cohort', colorLabel: 'Retention', cohortLabel: (_, start) => `day ${start}` });
		const entries = report.cohorts.retention.flat().filter((r) => r !== null);
		expect(entries.length).toBeGreaterThan(5);
		expect(marks(chart, 'cell', 'rect')).toHaveLength(entries.length);
		expect(marks(chart, 'text', 'text').map((t) => t.textContent)).toEqual(entries.map((r) => `${Math.round(r * 100)}%`));
		expect(scale(chart, 'y').domain).toEqual(report.cohorts.start.map((s) => `day ${s}`));
		expect(chart.textContent).toContain('Months since first purchase');
	});

	it('a wide cohort triangle drops the per-cell percentages', () => {
		const weekly = scenario({ metrics: { cohortPeriodDays: 7 } });
		const triangle = buildReport(weekly, runReplications(weekly, 2), 0).cohorts;
		expect(triangle.retention[0].length).toBeGreaterThan(13);
		const chart = cohortHeatmap({ triangle, xLabel: 'Weeks', yLabel: 'Cohort', colorLabel: 'Retention', cohortLabel: (c) => `week ${c}` });
		expect(marks(chart, 'cell', 'rect').length).toBe(triangle.retention.flat().filter((r) => r !== null).length);
		expect(marks(chart, 'text', 'text')).toHaveLength(0);
	});

	it('the flow view draws one arrow per non-zero flow, the largest flow widest', () => {
		const chart = flowView({ stages: stageLabels, flows: report.flows, countLabel: 'moves per run' });
		const flows = report.flows.flatMap((row, from) => row.filter((n, to) => n > 0 && to !== from));
		const arrows = marks(chart, 'arrow', 'path');
		expect(arrows).toHaveLength(flows.length);
		const widths = arrows.map((a) => Number(a.getAttribute('stroke-width')));
		expect(widths[flows.indexOf(Math.max(...flows))]).toBe(Math.max(...widths));
		// Long labels wrap onto lines (tspans) under their node.
		const nodeLabels = marks(chart, 'text', 'text').map((t) => [...t.querySelectorAll('tspan')].map((line) => line.textContent).join(' ') || t.textContent);
		expect(nodeLabels).toEqual(stageLabels.map((s) => s.label));
	});

	it('the waterfall steps from gross profit through each cost to the net profit the KPIs give', () => {
		const labels = { grossProfit: 'Gross profit', fixed: 'Fixed', campaign: 'Campaigns', acquisitionSpend: 'Acquisition', netProfit: 'Net profit' };
		const steps = waterfallSteps(report, labels);
		const { grossProfit, totalCost, acquisitionSpend } = report.kpis;
		expect(steps[0]).toMatchObject({ label: 'Gross profit', kind: 'start' });
		expect(steps[0].value).toBeCloseTo(grossProfit.mean!, 4);
		// This scenario has fixed, campaign and acquisition spend; rewards, points and tier benefits are zero and left out.
		expect(steps.map((s) => s.key)).toEqual(['grossProfit', 'fixed', 'campaign', 'acquisitionSpend', 'netProfit']);
		expect(steps.at(-1)!.kind).toBe('total');
		expect(steps.at(-1)!.value).toBeCloseTo(grossProfit.mean! - totalCost.mean! - acquisitionSpend.mean!, 4);

		const chart = costWaterfall({ steps, yLabel: 'CNY' });
		const bars = marks(chart, 'bar', 'rect');
		expect(bars).toHaveLength(steps.length);
		// The net bar stands on zero and reaches where the last step ended.
		const y = scale(chart, 'y');
		const net = bars.at(-1)!;
		const [top, bottom] = [Number(net.getAttribute('y')), Number(net.getAttribute('y')) + Number(net.getAttribute('height'))];
		expect([top, bottom].sort((a, b) => a - b)).toEqual([y.apply(steps.at(-1)!.value), y.apply(0)].sort((a, b) => a - b).map((v) => expect.closeTo(v, 0)));
		for (const label of Object.values(labels)) expect(chart.textContent).toContain(label);
	});
});

describe('comparison charts', () => {
	it('metric bands draw one band and one mean line per variant, with a legend of their labels', () => {
		const variants = comparison.variants.map((v) => ({ name: v.name, label: v.name === 'control' ? 'Control' : 'Richer membership', band: v.daily.gmv! }));
		const chart = metricBands({ variants, day: report.daily.day, xLabel: 'Day', yLabel: 'GMV' });
		expect(marks(chart, 'area', 'path')).toHaveLength(2);
		expect(marks(chart, 'line', 'path')).toHaveLength(2);
		for (const text of ['Control', 'Richer membership', 'Day', 'GMV']) expect(chart.textContent).toContain(text);
	});

	it('KPI intervals span each 95% interval, with the control mean as a dashed reference', () => {
		const [control, richer] = comparison.variants;
		const variants = [
			{ label: 'Control', estimate: control.kpis.gmv, isControl: true },
			{ label: 'Richer membership', estimate: richer.kpis.gmv, isControl: false },
			// One replication has no interval: a dot alone.
			{ label: 'One replication', estimate: estimate([richer.kpis.gmv.mean!]), isControl: false }
		];
		const chart = kpiIntervals({ variants, metricLabel: 'GMV (CNY)' });
		const x = scale(chart, 'x');
		const [intervalGroup, referenceGroup] = chart.querySelectorAll('g[aria-label="rule"]');
		const [intervals, reference] = [intervalGroup, referenceGroup].map((g) => [...g.querySelectorAll('line')]);
		expect(intervals).toHaveLength(2);
		intervals.forEach((line, i) => {
			const [low, high] = variants[i].estimate.ci95!;
			expect(Number(line.getAttribute('x1'))).toBeCloseTo(x.apply(low), 0);
			expect(Number(line.getAttribute('x2'))).toBeCloseTo(x.apply(high), 0);
		});
		expect(reference).toHaveLength(1);
		expect(referenceGroup.getAttribute('stroke-dasharray')).toBe('4,3');
		expect(Number(reference[0].getAttribute('x1'))).toBeCloseTo(x.apply(control.kpis.gmv.mean), 0);
		expect(marks(chart, 'dot', 'circle')).toHaveLength(3);
		expect(chart.textContent).toContain('GMV (CNY)');
	});
});

describe('sweep and sensitivity charts', () => {
	it('a two-parameter sweep is a heatmap with one labelled cell per grid point, in the sweep’s order', async () => {
		const e = experiment({
			sweep: [
				{ parameter: '/policies/1/joinProbability', values: [0.2, 0.8] },
				{ parameter: '/economics/grossMargin', values: [0.4, 0.6] }
			]
		});
		const sweep = sweepReport(e, await runVariants(resolveSweep(e, base), 2, runJobsHere), 0);
		const chart = sweepHeatmap({ report: sweep, metric: 'grossProfit', xLabel: 'Join probability', yLabel: 'Gross margin', metricLabel: 'Gross profit' });
		expect(marks(chart, 'cell', 'rect')).toHaveLength(4);
		expect(marks(chart, 'text', 'text')).toHaveLength(4);
		expect(scale(chart, 'x').domain).toEqual(['0.2', '0.8']);
		// The second parameter rises upward, as on a numeric axis.
		expect(scale(chart, 'y').apply('0.6')).toBeLessThan(scale(chart, 'y').apply('0.4'));
		for (const text of ['Join probability', 'Gross margin', 'Gross profit']) expect(chart.textContent).toContain(text);
	});

	it('a one-parameter sweep is a dot and interval at each value', async () => {
		const e = experiment({ sweep: [{ parameter: '/policies/1/purchaseRateMultiplier', values: [1, 2, 4] }] });
		const sweep = sweepReport(e, await runVariants(resolveSweep(e, base), 2, runJobsHere), 0);
		const chart = sweepHeatmap({ report: sweep, metric: 'gmv', xLabel: 'Member purchase-rate multiplier', metricLabel: 'GMV' });
		expect(marks(chart, 'dot', 'circle')).toHaveLength(3);
		const y = scale(chart, 'y');
		const rules = marks(chart, 'rule', 'line');
		expect(rules).toHaveLength(3);
		rules.forEach((line, i) => {
			const [low, high] = sweep.cells[i].kpis.gmv!.ci95!;
			expect([Number(line.getAttribute('y1')), Number(line.getAttribute('y2'))].sort((a, b) => a - b)).toEqual(
				[y.apply(high), y.apply(low)].map((v) => expect.closeTo(v, 0))
			);
		});
	});

	it('the tornado lists parameters by swing, bars running from the base mean to each end', async () => {
		const e = experiment({
			sensitivity: [
				{ parameter: '/policies/0/costPerDay', low: 0, high: 6000 },
				{ parameter: '/policies/1/purchaseRateMultiplier', low: 1.5, high: 4 },
				{ parameter: '/economics/grossMargin', label: 'margin', low: 0.4, high: 0.8 }
			]
		});
		const sensitivity = sensitivityReport(e, await runVariants(resolveSensitivity(e, base), 2, runJobsHere), 'grossProfit', 0);
		const names: Record<string, string> = { '/policies/0/costPerDay': 'Fixed cost per day', '/policies/1/purchaseRateMultiplier': 'Member uplift' };
		const chart = tornado({
			report: sensitivity,
			parameterLabel: (pointer, label) => names[pointer] ?? label ?? pointer,
			lowLabel: 'Low',
			highLabel: 'High',
			metricLabel: 'Gross profit'
		});
		// Margin moves gross profit most; a fixed cost cannot move it at all.
		expect(scale(chart, 'y').domain).toEqual(['margin', 'Member uplift', 'Fixed cost per day']);
		const x = scale(chart, 'x');
		const baseX = x.apply(sensitivity.base.mean);
		const bars = marks(chart, 'bar', 'rect');
		expect(bars).toHaveLength(6);
		for (const bar of bars) {
			const left = Number(bar.getAttribute('x'));
			const right = left + Number(bar.getAttribute('width'));
			expect(Math.min(Math.abs(left - baseX), Math.abs(right - baseX))).toBeLessThan(1);
		}
		expect(Number(marks(chart, 'rule', 'line')[0].getAttribute('x1'))).toBeCloseTo(baseX, 0);
		for (const text of ['Low', 'High', 'Gross profit']) expect(chart.textContent).toContain(text);
	});
});

describe('axis labels', () => {
	it('leave a Chinese label the room of its wide characters, not of as many Latin letters (seen at 390 px: "兑换门槛（积分）" cut at its left)', () => {
		expect(labelWidth('兑换门槛（积分）')).toBeGreaterThanOrEqual(8 * 10);
		expect(labelWidth('redemption')).toBe(70);
		expect(labelWidth('金卡 uplift')).toBe(2 * 11 + 7 * 7);
	});
});
