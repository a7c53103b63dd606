/**
 * One-at-a-time sensitivity as a tornado: a row per parameter, largest swing
 * first, with bars from the base run's mean to the metric's mean at the
 * parameter's low and at its high value. The rows a reader sees first are the
 * assumptions most worth checking before trusting the result.
 */
import * as Plot from '@observablehq/plot';
import type { SensitivityReport } from '../experiment/sweep';
import { compactNumber, valueLabel, labelWidth } from './format';

export interface TornadoOptions {
	/** Parameters are drawn in the report's order (ranked by swing). */
	report: SensitivityReport;
	/** Row label of a parameter, from its JSON pointer and the experiment's label for it, if any. */
	parameterLabel: (pointer: string, label?: string) => string;
	lowLabel: string;
	highLabel: string;
	metricLabel: string;
	valueFormat?: (value: number) => string;
	width?: number;
}

const LOW_COLOUR = '#4e79a7';
const HIGH_COLOUR = '#f28e2b';

/** The chart as an element; data in, element out. */
export function tornado({ report, parameterLabel, lowLabel, highLabel, metricLabel, valueFormat = compactNumber, width = 760 }: TornadoOptions): SVGSVGElement | HTMLElement {
	const rows = report.parameters.map((p) => parameterLabel(p.parameter, p.label));
	const base = report.base.mean;
	const bars =
		base === null
			? []
			: report.parameters.flatMap((p, i) => {
					const ends = [
						{ end: lowLabel, value: p.low.value, mean: p.low.estimate.mean },
						{ end: highLabel, value: p.high.value, mean: p.high.estimate.mean }
					].flatMap(({ mean, ...rest }) => (mean === null ? [] : [{ parameter: rows[i], from: base, to: mean, ...rest }]));
					// The longer bar first, so that an end on the same side as the other stays visible on top of it.
					return ends.sort((a, b) => Math.abs(b.to - base) - Math.abs(a.to - base));
				});
	type Bar = (typeof bars)[number];
	const longest = Math.max(0, ...rows.map(labelWidth));
	return Plot.plot({
		width,
		height: 70 + 30 * rows.length,
		marginLeft: Math.min(260, 16 + longest),
		x: { label: metricLabel, grid: true, tickFormat: valueFormat },
		y: { domain: rows, label: null },
		color: { domain: [lowLabel, highLabel], range: [LOW_COLOUR, HIGH_COLOUR], legend: true },
		marks: [
			Plot.barX(bars, {
				y: 'parameter',
				x1: 'from',
				x2: 'to',
				fill: 'end',
				title: (b: Bar) => `${b.parameter}\n${b.end} (${valueLabel(b.value)}): ${valueFormat(b.to)}`,
				tip: true
			}),
			base === null ? null : Plot.ruleX([base], { stroke: '#333', strokeWidth: 1.5 })
		]
	});
}
