/**
 * The holdout checks of a calibration, as in the customer-base-analysis
 * literature: cumulative repeat purchases week by week, actual against
 * predicted, with the calibration end marked; holdout purchases per
 * customer grouped by calibration frequency, actual against expected;
 * customers by calibration frequency against the model; and the observed
 * repurchase rate by window length.
 */
import * as Plot from '@observablehq/plot';
import type { FrequencyGroup } from '../calibration/frequency';
import type { HoldoutReport } from '../calibration/holdout';

/** What really happened in near-black, the model in red, in every chart here. */
function actualAndModel(actualLabel: string, predictedLabel: string) {
	return { legend: true, domain: [actualLabel, predictedLabel], range: ['#222', '#e15759'] };
}

/** Each item twice in Plot's long form: its actual value, then the model's. */
function pairs<T>(items: T[], x: (item: T) => string | number, actual: (item: T) => number, predicted: (item: T) => number, actualLabel: string, predictedLabel: string) {
	return items.flatMap((item) => [
		{ x: x(item), value: actual(item), series: actualLabel },
		{ x: x(item), value: predicted(item), series: predictedLabel }
	]);
}

export interface CumulativeOptions {
	weekly: HoldoutReport['weekly'];
	/** Week number where calibration ends (a rule), if any. */
	calibrationWeek: number | null;
	actualLabel: string;
	predictedLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

export function cumulativeRepeatPurchases({ weekly, calibrationWeek, actualLabel, predictedLabel, xLabel, yLabel, width = 760 }: CumulativeOptions): SVGSVGElement | HTMLElement {
	const rows = pairs(weekly, (w) => w.week, (w) => w.actualCumulative, (w) => w.predictedCumulative, actualLabel, predictedLabel);
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true },
		color: actualAndModel(actualLabel, predictedLabel),
		marks: [
			Plot.lineY(rows.filter((r) => r.series === actualLabel), { x: 'x', y: 'value', stroke: 'series', tip: true }),
			Plot.lineY(rows.filter((r) => r.series === predictedLabel), { x: 'x', y: 'value', stroke: 'series', strokeDasharray: '5,3', tip: true }),
			...(calibrationWeek === null ? [] : [Plot.ruleX([calibrationWeek], { stroke: '#999', strokeDasharray: '2,2' })]),
			Plot.ruleY([0])
		]
	});
}

export interface ByFrequencyOptions {
	byFrequency: HoldoutReport['byFrequency'];
	actualLabel: string;
	predictedLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

export function holdoutByFrequency({ byFrequency, actualLabel, predictedLabel, xLabel, yLabel, width = 760 }: ByFrequencyOptions): SVGSVGElement | HTMLElement {
	const rows = pairs(byFrequency, (b) => b.x, (b) => b.actualMean, (b) => b.predictedMean, actualLabel, predictedLabel);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 60,
		x: { label: xLabel, domain: byFrequency.map((b) => b.x) },
		y: { label: yLabel, grid: true },
		color: actualAndModel(actualLabel, predictedLabel),
		marks: [Plot.lineY(rows, { x: 'x', y: 'value', stroke: 'series', marker: 'circle', tip: true }), Plot.ruleY([0])]
	});
}

export interface FrequencyOptions {
	groups: FrequencyGroup[];
	actualLabel: string;
	predictedLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

/** Customers by repeat purchases in calibration: actual bars beside the fitted model's expected ones (FHL 2005, figure 3). */
export function frequencyBars({ groups, actualLabel, predictedLabel, xLabel, yLabel, width = 760 }: FrequencyOptions): SVGSVGElement | HTMLElement {
	const rows = pairs(groups, (g) => g.x, (g) => g.actual, (g) => g.expected, actualLabel, predictedLabel);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 60,
		fx: { label: xLabel, domain: groups.map((g) => g.x), padding: 0.2 },
		x: { axis: null, domain: [actualLabel, predictedLabel] },
		y: { label: yLabel, grid: true },
		color: actualAndModel(actualLabel, predictedLabel),
		marks: [Plot.barY(rows, { fx: 'x', x: 'series', y: 'value', fill: 'series', tip: true }), Plot.ruleY([0])]
	});
}

export interface RepurchaseCurveOptions {
	curve: { days: number; rate: number; customers: number }[];
	xLabel: string;
	yLabel: string;
	width?: number;
}

/** The observed repurchase rate for every window length. */
export function repurchaseCurve({ curve, xLabel, yLabel, width = 760 }: RepurchaseCurveOptions): SVGSVGElement | HTMLElement {
	return Plot.plot({
		width,
		height: 240,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true, tickFormat: '.0%', domain: [0, Math.max(0.01, ...curve.map((c) => c.rate))] },
		marks: [Plot.lineY(curve, { x: 'days', y: 'rate', stroke: '#0b57d0', tip: true }), Plot.ruleY([0])]
	});
}
