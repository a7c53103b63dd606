/** One daily series: the mean as a line over its 5–95% band across replications. */
import * as Plot from '@observablehq/plot';
import type { Band } from '../experiment/statistics';
import { compactNumber } from './format';

export interface BandLineOptions {
	day: number[];
	band: Band;
	xLabel: string;
	yLabel: string;
	/** Tick labels; compact figures (12.3K) by default. */
	valueFormat?: (value: number) => string;
	width?: number;
}

export function bandLine({ day, band, xLabel, yLabel, valueFormat = compactNumber, width = 760 }: BandLineOptions): SVGSVGElement | HTMLElement {
	const rows = day.map((d, i) => ({ day: d, mean: band.mean[i], p05: band.p05[i], p95: band.p95[i] }));
	return Plot.plot({
		width,
		height: 220,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true, tickFormat: valueFormat },
		marks: [
			Plot.areaY(rows, { x: 'day', y1: 'p05', y2: 'p95', fill: '#4e79a7', fillOpacity: 0.2 }),
			Plot.lineY(rows, { x: 'day', y: 'mean', stroke: '#4e79a7', tip: true }),
			Plot.ruleY([0])
		]
	});
}
