/** Stacked area of people per stage over time. */
import * as Plot from '@observablehq/plot';
import type { Band } from '../experiment/statistics';
import { compactNumber } from './format';

export interface StageAreaOptions {
	/** Stage ids in display order, with their labels. */
	stages: { id: string; label: string }[];
	day: number[];
	bands: Record<string, Band>;
	xLabel: string;
	yLabel: string;
	/** Tick labels; compact figures (12.3K) by default. */
	valueFormat?: (value: number) => string;
	width?: number;
}

/** The chart as an element; data in, element out. */
export function stageArea({ stages, day, bands, xLabel, yLabel, valueFormat = compactNumber, width = 760 }: StageAreaOptions): SVGSVGElement | HTMLElement {
	const rows = stages.flatMap(({ id, label }) => day.map((d, i) => ({ day: d, stage: label, people: bands[id].mean[i] })));
	return Plot.plot({
		width,
		height: 320,
		marginLeft: 60,
		x: { label: xLabel },
		y: { label: yLabel, grid: true, tickFormat: valueFormat },
		color: { legend: true, domain: stages.map((s) => s.label), scheme: 'tableau10' },
		marks: [Plot.areaY(rows, { x: 'day', y: 'people', fill: 'stage', order: stages.map((s) => s.label), tip: true }), Plot.ruleY([0])]
	});
}
