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
	const rows = weekly.flatMap((w) => [
		{ week: w.week, value: w.actualCumulative, series: actualLabel },
		{ week: w.week, value: w.predictedCumulative, series: predictedLabel }
	]);
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true },
		color: { legend: true, domain: [actualLabel, predictedLabel], range: ['#222', '#e15759'] },
		marks: [
			Plot.lineY(rows.filter((r) => r.series === actualLabel), { x: 'week', y: 'value', stroke: 'series', tip: true }),
			Plot.lineY(rows.filter((r) => r.series === predictedLabel), { x: 'week', y: 'value', stroke: 'series', strokeDasharray: '5,3', tip: true }),
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
	const rows = byFrequency.flatMap((b) => [
		{ x: b.x, value: b.actualMean, series: actualLabel },
		{ x: b.x, value: b.predictedMean, series: predictedLabel }
	]);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 60,
		x: { label: xLabel, domain: byFrequency.map((b) => b.x) },
		y: { label: yLabel, grid: true },
		color: { legend: true, domain: [actualLabel, predictedLabel], range: ['#222', '#e15759'] },
		marks: [Plot.lineY(rows, { x: 'x', y: 'value', stroke: 'series', marker: 'circle', tip: true }), Plot.ruleY([0])]
	});
}

export interface FrequencyOptions {
	groups: FrequencyGroup[];
	actualLabel: string;
	expectedLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

/** Customers by repeat purchases in calibration: actual bars beside the fitted model's expected ones (FHL 2005, figure 3). */
export function frequencyBars({ groups, actualLabel, expectedLabel, xLabel, yLabel, width = 760 }: FrequencyOptions): SVGSVGElement | HTMLElement {
	const rows = groups.flatMap((g) => [
		{ x: g.x, value: g.actual, series: actualLabel },
		{ x: g.x, value: g.expected, series: expectedLabel }
	]);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 60,
		fx: { label: xLabel, domain: groups.map((g) => g.x), padding: 0.2 },
		x: { axis: null, domain: [actualLabel, expectedLabel] },
		y: { label: yLabel, grid: true },
		color: { legend: true, domain: [actualLabel, expectedLabel], range: ['#444', '#e15759'] },
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
