/**
 * The purchase models side by side, and the chosen model's scores: the
 * cumulative repeat purchases week by week and holdout purchases per
 * customer by calibration frequency, the actual line in near-black and one
 * line per model; the probability-alive matrix over frequency and recency;
 * deciles of expected holdout value against what each decile really spent.
 */
import * as Plot from '@observablehq/plot';
import type { HoldoutReport } from '../calibration/holdout';
import type { AliveMatrix, ValueDecile } from '../calibration/scores';

export interface ModelLines {
	label: string;
	holdout: HoldoutReport;
}

const MODEL_COLOURS = ['#e15759', '#4e79a7', '#59a14f'];

function colours(actualLabel: string, models: ModelLines[]) {
	return { legend: true, domain: [actualLabel, ...models.map((m) => m.label)], range: ['#222', ...MODEL_COLOURS.slice(0, models.length)] };
}

export interface OverlayOptions {
	models: ModelLines[];
	/** Week number where calibration ends (a rule). */
	calibrationWeek: number | null;
	actualLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

/** Cumulative repeat purchases by week: actual, and each model's forecast dashed. */
export function trackingOverlay({ models, calibrationWeek, actualLabel, xLabel, yLabel, width = 760 }: OverlayOptions): SVGSVGElement | HTMLElement {
	const actual = models[0].holdout.weekly.map((w) => ({ x: w.week, value: w.actualCumulative, series: actualLabel }));
	const predicted = models.flatMap((m) => m.holdout.weekly.map((w) => ({ x: w.week, value: w.predictedCumulative, series: m.label })));
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true },
		color: colours(actualLabel, models),
		marks: [
			Plot.lineY(actual, { x: 'x', y: 'value', stroke: 'series', tip: true }),
			Plot.lineY(predicted, { x: 'x', y: 'value', stroke: 'series', strokeDasharray: '5,3', tip: true }),
			...(calibrationWeek === null ? [] : [Plot.ruleX([calibrationWeek], { stroke: '#999', strokeDasharray: '2,2' })]),
			Plot.ruleY([0])
		]
	});
}

/** Holdout purchases per customer by calibration frequency: actual, and each model's expectation, grouped bars. */
export function byFrequencyOverlay({ models, actualLabel, xLabel, yLabel, width = 760 }: Omit<OverlayOptions, 'calibrationWeek'>): SVGSVGElement | HTMLElement {
	const rows = [
		...models[0].holdout.byFrequency.map((g) => ({ x: g.x, value: g.actualMean, series: actualLabel })),
		...models.flatMap((m) => m.holdout.byFrequency.map((g) => ({ x: g.x, value: g.predictedMean, series: m.label })))
	];
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 60,
		// The series name under every group would crowd the axis: the legend names them.
		x: { axis: null },
		fx: { label: xLabel },
		y: { label: yLabel, grid: true },
		color: colours(actualLabel, models),
		marks: [Plot.barY(rows, { fx: 'x', x: 'series', y: 'value', fill: 'series', tip: true }), Plot.ruleY([0])]
	});
}

export interface AliveMatrixOptions {
	matrix: AliveMatrix;
	xLabel: string;
	yLabel: string;
	colorLabel: string;
	width?: number;
}

/** P(alive) by frequency (rows) and recency (columns), for a customer as old as the oldest. */
export function aliveMatrixChart({ matrix, xLabel, yLabel, colorLabel, width = 760 }: AliveMatrixOptions): SVGSVGElement | HTMLElement {
	const step = matrix.recency.length > 1 ? matrix.recency[1] - matrix.recency[0] : 1;
	const cells = matrix.frequency.flatMap((f, i) => matrix.recency.flatMap((r, j) => (matrix.probability[i][j] === null ? [] : [{ f, r, p: matrix.probability[i][j] as number }])));
	return Plot.plot({
		width,
		height: Math.max(200, 14 * matrix.frequency.length + 60),
		marginLeft: 50,
		x: { label: xLabel },
		y: { label: yLabel, reverse: true },
		color: { label: colorLabel, domain: [0, 1], scheme: 'viridis', legend: true },
		marks: [Plot.rect(cells, { x1: (d) => d.r - step / 2, x2: (d) => d.r + step / 2, y1: (d) => d.f - 0.5, y2: (d) => d.f + 0.5, fill: 'p', tip: true })]
	});
}

export interface DecileOptions {
	deciles: ValueDecile[];
	actualLabel: string;
	predictedLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

/** Mean holdout value per decile of expected value: actual against predicted. */
export function valueDecileChart({ deciles, actualLabel, predictedLabel, xLabel, yLabel, width = 760 }: DecileOptions): SVGSVGElement | HTMLElement {
	const rows = deciles.flatMap((d) => [
		{ x: d.decile, value: d.actualValue, series: actualLabel },
		{ x: d.decile, value: d.predictedValue, series: predictedLabel }
	]);
	return Plot.plot({
		width,
		height: 260,
		marginLeft: 60,
		x: { axis: null },
		fx: { label: xLabel },
		y: { label: yLabel, grid: true },
		color: { legend: true, domain: [actualLabel, predictedLabel], range: ['#222', '#e15759'] },
		marks: [Plot.barY(rows, { fx: 'x', x: 'series', y: 'value', fill: 'series', tip: true }), Plot.ruleY([0])]
	});
}
