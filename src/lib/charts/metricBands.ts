/**
 * A daily metric per variant: each variant's mean as a line over its 5–95%
 * band across replications, so a reader sees at a glance whether the variants
 * part by more than their run-to-run spread.
 */
import * as Plot from '@observablehq/plot';
import type { Band } from '../experiment/statistics';
import { compactNumber } from './format';

export interface MetricBandsOptions {
	/** In legend order; `label` is what the reader sees. */
	variants: { name: string; label: string; band: Band }[];
	day: number[];
	xLabel: string;
	yLabel: string;
	valueFormat?: (value: number) => string;
	width?: number;
}

/** The chart as an element; data in, element out. */
export function metricBands({ variants, day, xLabel, yLabel, valueFormat = compactNumber, width = 760 }: MetricBandsOptions): SVGSVGElement | HTMLElement {
	const rows = variants.flatMap(({ label, band }) =>
		day.map((d, i) => ({ day: d, variant: label, mean: band.mean[i], p05: band.p05[i], p95: band.p95[i] }))
	);
	const title = (r: (typeof rows)[number]) =>
		`${r.variant}\n${xLabel}: ${r.day}\n${yLabel}: ${valueFormat(r.mean)} (${valueFormat(r.p05)}–${valueFormat(r.p95)})`;
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true, tickFormat: valueFormat },
		color: { legend: true, domain: variants.map((v) => v.label), scheme: 'tableau10' },
		marks: [
			Plot.areaY(rows, { x: 'day', y1: 'p05', y2: 'p95', fill: 'variant', fillOpacity: 0.15 }),
			Plot.lineY(rows, { x: 'day', y: 'mean', stroke: 'variant', title, tip: true }),
			Plot.ruleY([0])
		]
	});
}
