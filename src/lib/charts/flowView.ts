/**
 * Stage-to-stage flows over a run: the stages in their order along a line,
 * one arrow per pair of stages people moved between, as wide as the mean
 * number of moves. Forward moves arc above the line and backward ones (win-back,
 * reactivation) below, so a reader sees where people leak and where they return.
 */
import * as Plot from '@observablehq/plot';
import { compactNumber } from './format';

export interface FlowViewOptions {
	/** Stages in scenario order, the order of `flows`' rows and columns. */
	stages: { id: string; label: string }[];
	/** Mean moves per replication, flows[from][to] (RunReport.flows). */
	flows: number[][];
	/** Names the number in each arrow's tip ("moves per run"). */
	countLabel: string;
	valueFormat?: (value: number) => string;
	width?: number;
}

/** Widest arrow, in pixels; the others are in proportion to it. */
const MAX_STROKE = 12;
/** Thinnest arrow drawn, so that small flows stay visible (their tips carry the number). */
const MIN_STROKE = 0.75;
/** Angle between an arrow's chord and its tangent at the start, in degrees. */
const BEND = 30;
/** Below this spacing between stages (pixels), labels alternate between two rows, each twice as wide. */
const STAGGER_BELOW = 80;
const MARGIN = 20;

/** The chart as an element; data in, element out. */
export function flowView({ stages, flows, countLabel, valueFormat = compactNumber, width = 760 }: FlowViewOptions): SVGSVGElement | HTMLElement {
	const labels = stages.map((s) => s.label);
	const moves = flows.flatMap((row, from) =>
		row.flatMap((count, to) => (count > 0 && from !== to ? [{ from: labels[from], to: labels[to], span: to - from, count, y: 0 }] : []))
	);
	type Move = (typeof moves)[number];
	const largest = Math.max(0, ...moves.map((m) => m.count));
	// The y scale is in pixels from the nodes' line (up is positive), so that labels and arcs get the room they need.
	// A point scale (padding ½) puts stages `step` apart.
	const step = (width - 2 * MARGIN) / Math.max(1, labels.length);
	const staggered = step < STAGGER_BELOW;
	// Up to two wrapped lines of 10px text per row; the second row starts under the first row's two lines.
	const nodes = labels.map((label, i) => ({ label, y: 0, labelY: staggered && i % 2 === 1 ? -36 : -10 }));
	const labelRoom = staggered ? 66 : 40;
	// An arc of chord c bulges (c/2)·tan(BEND/2).
	const rise = (m: Move) => ((Math.abs(m.span) * step) / 2) * Math.tan((BEND / 2) * (Math.PI / 180)) + MAX_STROKE / 2;
	const above = Math.max(0, ...moves.filter((m) => m.span > 0).map(rise));
	const below = Math.max(labelRoom, ...moves.filter((m) => m.span < 0).map(rise));
	return Plot.plot({
		width,
		height: above + below + 2 * MARGIN,
		marginTop: MARGIN,
		marginBottom: MARGIN,
		marginLeft: MARGIN,
		marginRight: MARGIN,
		x: { domain: labels, axis: null },
		y: { domain: [-below, above], axis: null },
		marks: [
			Plot.arrow(moves, {
				x1: 'from',
				x2: 'to',
				y1: 'y',
				y2: 'y',
				// With the default sweep, left-to-right arrows bulge up and right-to-left ones down.
				bend: BEND,
				headLength: 3,
				inset: 8,
				stroke: '#4e79a7',
				strokeOpacity: 0.7,
				strokeWidth: (m: Move) => Math.max(MIN_STROKE, (MAX_STROKE * m.count) / largest),
				title: (m: Move) => `${m.from} → ${m.to}\n${countLabel}: ${valueFormat(m.count)}`,
				tip: true
			}),
			Plot.dot(nodes, { x: 'label', y: 'y', r: 5, fill: '#333' }),
			// Labels wrap to the space their row leaves them (at spaces; CJK labels do not wrap, hence the rows);
			// the white halo keeps them readable over backward arcs.
			Plot.text(nodes, {
				x: 'label',
				y: 'labelY',
				text: 'label',
				lineAnchor: 'top',
				lineWidth: ((staggered ? 2 : 1) * step) / 11,
				stroke: 'white',
				strokeWidth: 3,
				fill: '#333'
			})
		]
	});
}
