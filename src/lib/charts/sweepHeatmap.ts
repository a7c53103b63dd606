/**
 * A metric across a sweep's grid. Over two parameters, a heatmap with the
 * first along x and the second along y, each cell shaded and labelled with the
 * metric's mean, so a reader finds the region worth choosing; over one
 * parameter, the mean and 95% interval at each value, so the reader also
 * sees where neighbouring values are not told apart.
 */
import * as Plot from '@observablehq/plot';
import type { KpiName } from '../experiment/kpis';
import type { SweepReport } from '../experiment/sweep';
import { compactNumber, valueLabel } from './format';

export interface SweepHeatmapOptions {
	report: SweepReport;
	/** A metric the sweep reported (a key of its cells' kpis). */
	metric: KpiName;
	/** The first parameter. */
	xLabel: string;
	/** The second parameter; unused with one. */
	yLabel?: string;
	metricLabel: string;
	valueFormat?: (value: number) => string;
	width?: number;
}

/** The chart as an element; data in, element out. */
export function sweepHeatmap(options: SweepHeatmapOptions): SVGSVGElement | HTMLElement {
	return options.report.parameters.length >= 2 ? heatmap(options) : intervals(options);
}

function heatmap({ report, metric, xLabel, yLabel = '', metricLabel, valueFormat = compactNumber, width = 760 }: SweepHeatmapOptions) {
	const [px, py] = report.parameters;
	const cells = report.cells.flatMap((cell) => {
		const mean = cell.kpis[metric]?.mean ?? null;
		return mean === null ? [] : [{ x: valueLabel(cell.values[px.parameter]), y: valueLabel(cell.values[py.parameter]), mean }];
	});
	type Cell = (typeof cells)[number];
	const means = cells.map((c) => c.mean);
	const [low, high] = [Math.min(...means), Math.max(...means)];
	// Viridis runs from dark to light: dark text on its lighter half.
	const onLight = (c: Cell) => high > low && (c.mean - low) / (high - low) > 0.55;
	const yValues = py.values.map(valueLabel);
	return Plot.plot({
		width,
		height: Math.max(180, 90 + 32 * yValues.length),
		marginLeft: 80,
		x: { domain: px.values.map(valueLabel), label: xLabel, padding: 0 },
		// The second parameter's values rise upward, as on a numeric axis.
		y: { domain: yValues, label: yLabel, padding: 0, reverse: true },
		color: { type: 'linear', scheme: 'viridis', legend: true, label: metricLabel, tickFormat: valueFormat },
		marks: [
			Plot.cell(cells, {
				x: 'x',
				y: 'y',
				fill: 'mean',
				inset: 0.5,
				title: (c: Cell) => `${xLabel}: ${c.x}\n${yLabel}: ${c.y}\n${metricLabel}: ${valueFormat(c.mean)}`,
				tip: true
			}),
			Plot.text(cells, {
				x: 'x',
				y: 'y',
				text: (c: Cell) => valueFormat(c.mean),
				fill: { value: (c: Cell) => (onLight(c) ? 'black' : 'white'), scale: null },
				pointerEvents: 'none'
			})
		]
	});
}

function intervals({ report, metric, xLabel, metricLabel, valueFormat = compactNumber, width = 760 }: SweepHeatmapOptions) {
	const [px] = report.parameters;
	// Numbers keep their spacing on a linear axis; anything else is an ordered list of labels.
	const numeric = px.values.every((v) => typeof v === 'number' && Number.isFinite(v));
	const points = report.cells.flatMap((cell) => {
		const { mean = null, ci95 = null } = cell.kpis[metric] ?? {};
		const value = cell.values[px.parameter];
		return mean === null ? [] : [{ x: numeric ? (value as number) : valueLabel(value), label: valueLabel(value), mean, ci95 }];
	});
	type Point = (typeof points)[number];
	const withInterval = points.filter((p): p is Point & { ci95: [number, number] } => p.ci95 !== null);
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 60,
		x: numeric ? { label: xLabel, inset: 20 } : { domain: px.values.map(valueLabel), label: xLabel, inset: 20 },
		y: { label: metricLabel, grid: true, nice: true, tickFormat: valueFormat },
		marks: [
			Plot.ruleX(withInterval, { x: 'x', y1: (p: Point) => p.ci95![0], y2: (p: Point) => p.ci95![1], stroke: '#4e79a7', strokeWidth: 2 }),
			Plot.dot(points, {
				x: 'x',
				y: 'mean',
				r: 5,
				fill: '#4e79a7',
				title: (p: Point) =>
					`${xLabel}: ${p.label}\n${metricLabel}: ${valueFormat(p.mean)}${p.ci95 ? ` [${valueFormat(p.ci95[0])}, ${valueFormat(p.ci95[1])}]` : ''}`,
				tip: true
			})
		]
	});
}
