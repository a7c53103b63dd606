/**
 * One KPI across variants: a dot at each variant's mean and a rule over its
 * 95% interval, with the control's mean as a dashed reference, so a reader
 * sees whether a variant's interval clears the control or straddles it.
 */
import * as Plot from '@observablehq/plot';
import type { Estimate } from '../experiment/statistics';
import { compactNumber, labelWidth } from './format';

export interface KpiIntervalsOptions {
	/** In display order, top to bottom. */
	variants: { label: string; estimate: Estimate; isControl: boolean }[];
	metricLabel: string;
	valueFormat?: (value: number) => string;
	width?: number;
}

/** The chart as an element; data in, element out. */
export function kpiIntervals({ variants, metricLabel, valueFormat = compactNumber, width = 760 }: KpiIntervalsOptions): SVGSVGElement | HTMLElement {
	const labels = variants.map((v) => v.label);
	const means = variants.flatMap((v) => (v.estimate.mean === null ? [] : [{ label: v.label, mean: v.estimate.mean, ci95: v.estimate.ci95, isControl: v.isControl }]));
	const intervals = means.flatMap((v) => (v.ci95 === null ? [] : [{ label: v.label, low: v.ci95[0], high: v.ci95[1] }]));
	const control = means.find((v) => v.isControl);
	const title = (v: (typeof means)[number]) =>
		`${v.label}\n${metricLabel}: ${valueFormat(v.mean)}${v.ci95 ? ` [${valueFormat(v.ci95[0])}, ${valueFormat(v.ci95[1])}]` : ''}`;
	const longest = Math.max(0, ...labels.map(labelWidth));
	return Plot.plot({
		width,
		height: 50 + 36 * labels.length,
		marginLeft: Math.min(220, 16 + longest),
		x: { label: metricLabel, grid: true, tickFormat: valueFormat },
		y: { domain: labels, label: null },
		marks: [
			Plot.ruleY(intervals, { y: 'label', x1: 'low', x2: 'high', stroke: '#4e79a7', strokeWidth: 2 }),
			control ? Plot.ruleX([control.mean], { stroke: '#888', strokeDasharray: '4,3' }) : null,
			Plot.dot(means, { y: 'label', x: 'mean', r: 5, fill: { value: (v: (typeof means)[number]) => (v.isControl ? '#888' : '#4e79a7'), scale: null }, title, tip: true })
		]
	});
}
