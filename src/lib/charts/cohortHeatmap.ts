/**
 * The cohort retention triangle as a heatmap: one row per cohort, one column
 * per period since the first purchase, shaded by the share still buying. Rows
 * read as each cohort's decay; columns compare cohorts at the same age, which
 * is where a campaign that changed later cohorts shows.
 */
import * as Plot from '@observablehq/plot';
import type { CohortTriangle } from '../experiment/report';
import { percent } from './format';

export interface CohortHeatmapOptions {
	triangle: CohortTriangle;
	/** Periods since the first purchase. */
	xLabel: string;
	/** Cohort. */
	yLabel: string;
	/** Retention share, for the legend. */
	colorLabel: string;
	/** Row label of cohort c, which starts on `startDay` (for example "day 30" or "period 2"). */
	cohortLabel: (c: number, startDay: number) => string;
	width?: number;
}

/** Columns up to which each cell is labelled with its percentage; wider triangles get too narrow cells. */
const MAX_LABELLED_COLUMNS = 13;

/** Every column up to 20, then every 5th up to 60, then every 10th. */
function columnTicks(columns: number): number[] {
	const step = columns <= 20 ? 1 : columns <= 60 ? 5 : 10;
	return Array.from({ length: Math.ceil(columns / step) }, (_, k) => k * step);
}

/** The chart as an element; data in, element out. */
export function cohortHeatmap({ triangle, xLabel, yLabel, colorLabel, cohortLabel, width = 760 }: CohortHeatmapOptions): SVGSVGElement | HTMLElement {
	const labels = triangle.start.map((start, c) => cohortLabel(c, start));
	const cells = triangle.retention.flatMap((row, c) =>
		row.flatMap((retention, m) => (retention === null ? [] : [{ cohort: labels[c], period: m, retention }]))
	);
	const columns = Math.max(0, ...triangle.retention.map((row) => row.length));
	// Period 0 is 100% by definition; a scale up to it would wash out the later periods the reader compares.
	const later = cells.filter((d) => d.period > 0).map((d) => d.retention);
	const top = later.length > 0 && Math.max(...later) > 0 ? Math.max(...later) : 1;
	const title = (d: (typeof cells)[number]) => `${yLabel}: ${d.cohort}\n${xLabel}: ${d.period}\n${colorLabel}: ${percent(d.retention)}`;
	return Plot.plot({
		width,
		height: Math.max(160, 70 + 26 * labels.length),
		marginLeft: 90,
		// A band axis labels every column; wide triangles (weekly cohorts) get every 5th or 10th so the numbers stay readable.
		x: { label: xLabel, domain: Array.from({ length: columns }, (_, m) => m), axis: 'top', padding: 0, ticks: columnTicks(columns) },
		y: { label: yLabel, domain: labels, padding: 0 },
		color: { type: 'linear', scheme: 'blues', domain: [0, top], clamp: true, legend: true, label: colorLabel, tickFormat: '.0%' },
		marks: [
			Plot.cell(cells, { x: 'period', y: 'cohort', fill: 'retention', inset: 0.5, title, tip: true }),
			columns <= MAX_LABELLED_COLUMNS
				? Plot.text(cells, {
						x: 'period',
						y: 'cohort',
						text: (d: (typeof cells)[number]) => percent(d.retention),
						// Light text on the darker half of the scheme.
						fill: { value: (d: (typeof cells)[number]) => (d.retention / top > 0.55 ? 'white' : 'black'), scale: null },
						pointerEvents: 'none'
					})
				: null
		]
	});
}
