/** The paired lift interval narrowing as replications arrive: the widest half-width after each batch, against the target. */
import * as Plot from '@observablehq/plot';
import type { PrecisionStep } from '../experiment/precision';

export interface PrecisionNarrowingOptions {
	steps: PrecisionStep[];
	/** Target half-width, as a share (0.01 = 1 point). */
	target: number;
	xLabel: string;
	yLabel: string;
	width?: number;
}

/** A line of the half-width in points by replications, with the target as a dashed rule. */
export function precisionNarrowing({ steps, target, xLabel, yLabel, width = 520 }: PrecisionNarrowingOptions): SVGSVGElement | HTMLElement {
	const rows = steps.filter((s) => s.halfWidth !== null).map((s) => ({ replications: s.replications, points: 100 * s.halfWidth! }));
	return Plot.plot({
		width,
		height: 200,
		marginLeft: 50,
		x: { label: xLabel, grid: true },
		y: { label: yLabel, grid: true, zero: true },
		marks: [
			Plot.ruleY([100 * target], { stroke: '#e15759', strokeDasharray: '4 3' }),
			Plot.lineY(rows, { x: 'replications', y: 'points', stroke: '#4e79a7' }),
			Plot.dot(rows, { x: 'replications', y: 'points', fill: '#4e79a7', tip: true })
		]
	});
}
