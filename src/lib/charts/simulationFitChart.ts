/**
 * A fit by simulation checked by eye: the observed count of each period
 * (dots joined by a line) against the fitted scenario's simulated mean (dashed).
 */
import * as Plot from '@observablehq/plot';

export interface SimulationFitChartOptions {
	observed: number[];
	simulated: number[];
	observedLabel: string;
	simulatedLabel: string;
	xLabel: string;
	yLabel: string;
	width?: number;
}

export function observedAgainstSimulated({ observed, simulated, observedLabel, simulatedLabel, xLabel, yLabel, width = 760 }: SimulationFitChartOptions): SVGSVGElement | HTMLElement {
	// Periods are numbered from 1 as a reader counts weeks.
	const rows = (values: number[], series: string) => values.map((value, k) => ({ period: k + 1, value, series }));
	return Plot.plot({
		width,
		height: 280,
		marginLeft: 60,
		// Whole periods only as ticks; past 26 of them Plot's own ticks read better.
		x: { label: xLabel, ticks: observed.length <= 26 ? observed.map((_, k) => k + 1) : undefined, tickFormat: 'd' },
		y: { label: yLabel, grid: true, zero: true },
		color: { legend: true, domain: [observedLabel, simulatedLabel], range: ['#222', '#e15759'] },
		marks: [
			Plot.lineY(rows(observed, observedLabel), { x: 'period', y: 'value', stroke: 'series', marker: 'circle', tip: true }),
			Plot.lineY(rows(simulated, simulatedLabel), { x: 'period', y: 'value', stroke: 'series', strokeDasharray: '5,3', tip: true }),
			Plot.ruleY([0])
		]
	});
}
