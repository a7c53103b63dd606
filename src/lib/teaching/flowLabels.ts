/**
 * Where the classroom writes each flow's label ("12 · 3.4%"): beside its own
 * arc, clear of every arc's stroke and of the labels already placed. Each
 * label tries points along its arc, below the stroke and then above it
 * (then a little further off), from the middle outwards, and takes the first that is clear (else the one
 * with the least overlap). Pure geometry: the canvas measures the text.
 */

/** A flow's arc: a quadratic curve from (x1, top) to (x2, top) through control point (cx, cy), stroked `lineWidth` wide. */
export interface FlowArc {
	x1: number;
	x2: number;
	top: number;
	cx: number;
	cy: number;
	lineWidth: number;
}

/** A label's size, in pixels. */
export interface LabelSize {
	width: number;
	height: number;
}

/** The band the labels must stay in. */
export interface Band {
	width: number;
	top: number;
	bottom: number;
}

/** Where along its arc a label is tried, middle first. */
const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];
/** Points along each arc, one every few pixels, so a label cannot slip between two of them. */
const SAMPLE_EVERY = 6;
/** Space between a label and the stroke it names. */
const GAP = 3;
/** Which side of the stroke (1 below, −1 above) and how much further away, nearest first. */
const AWAY = [
	[1, 0],
	[-1, 0],
	[1, 8],
	[-1, 8],
	[1, 16]
] as const;

interface Box {
	left: number;
	right: number;
	top: number;
	bottom: number;
}

function pointOn(arc: FlowArc, t: number): { x: number; y: number } {
	const u = 1 - t;
	return { x: u * u * arc.x1 + 2 * u * t * arc.cx + t * t * arc.x2, y: u * u * arc.top + 2 * u * t * arc.cy + t * t * arc.top };
}

/** How much of a box an arc's stroke covers, counted in sample points within half the stroke (plus a pixel) of it. */
function strokeHits(box: Box, points: { x: number; y: number }[], halfWidth: number): number {
	let hits = 0;
	for (const p of points) {
		const dx = Math.max(box.left - p.x, 0, p.x - box.right);
		const dy = Math.max(box.top - p.y, 0, p.y - box.bottom);
		if (dx * dx + dy * dy < halfWidth * halfWidth) hits++;
	}
	return hits;
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The centre of each label, for the arcs in order (the first are placed first: pass the largest flows first). */
export function placeFlowLabels(arcs: FlowArc[], sizes: LabelSize[], band: Band): { x: number; y: number }[] {
	const strokes = arcs.map((arc) => {
		// The curve is no longer than its control polygon.
		const samples = Math.ceil((Math.hypot(arc.cx - arc.x1, arc.cy - arc.top) + Math.hypot(arc.x2 - arc.cx, arc.top - arc.cy)) / SAMPLE_EVERY);
		const halfWidth = arc.lineWidth / 2 + 1;
		// The stroke's bounding box, to skip arcs far from a label without visiting their points.
		const bounds = { left: Math.min(arc.x1, arc.x2) - halfWidth, right: Math.max(arc.x1, arc.x2) + halfWidth, top: arc.top - halfWidth, bottom: (arc.top + arc.cy) / 2 + halfWidth };
		return { halfWidth, bounds, points: Array.from({ length: samples + 1 }, (_, i) => pointOn(arc, i / samples)) };
	});
	const placed: Box[] = [];
	return sizes.map((size, i) => {
		const arc = arcs[i];
		let best = { x: 0, y: 0, cost: Infinity };
		for (const t of ALONG) {
			const p = pointOn(arc, t);
			for (const [side, extra] of AWAY) {
				const y = p.y + side * (arc.lineWidth / 2 + GAP + extra + size.height / 2);
				const x = Math.min(Math.max(p.x, size.width / 2), band.width - size.width / 2);
				const box = { left: x - size.width / 2, right: x + size.width / 2, top: y - size.height / 2, bottom: y + size.height / 2 };
				if (box.top < band.top || box.bottom > band.bottom) continue;
				const cost = strokes.reduce((sum, s) => sum + (overlaps(s.bounds, box) ? strokeHits(box, s.points, s.halfWidth) : 0), 0) + 100 * placed.filter((b) => overlaps(b, box)).length;
				if (cost < best.cost) best = { x, y, cost };
				if (cost === 0) break;
			}
			if (best.cost === 0) break;
		}
		// No candidate inside the band: under the arc's middle, as before.
		if (best.cost === Infinity) {
			const p = pointOn(arc, 0.5);
			best = { x: p.x, y: Math.min(p.y + arc.lineWidth / 2 + GAP + size.height / 2, band.bottom - size.height / 2), cost: 0 };
		}
		placed.push({ left: best.x - size.width / 2, right: best.x + size.width / 2, top: best.y - size.height / 2, bottom: best.y + size.height / 2 });
		return { x: best.x, y: best.y };
	});
}
