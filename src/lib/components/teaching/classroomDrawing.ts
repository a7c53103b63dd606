/**
 * Drawing one classroom population on a 2D canvas: stage columns, a dot per
 * person coloured by segment, brief marks for orders, invitations, friends
 * joining and churn, and the flows between stages as arcs under the columns.
 * Dots are batched by colour into one path each, so 2,000 dots cost a few
 * fills a frame.
 */
import type { FlowLink } from '../../teaching/flowLinks';
import { placeFlowLabels, type FlowArc } from '../../teaching/flowLabels';
import { EVENT_CHURN, EVENT_INVITE, EVENT_PURCHASE, EVENT_REFERRAL, type EventKind } from '../../teaching/classroomRecorder';

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const SEGMENT_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8c7b00', '#000000'];
export const MARK_COLOURS: Record<EventKind, string> = {
	[EVENT_PURCHASE]: '#f5a623',
	[EVENT_INVITE]: '#1e88e5',
	[EVENT_REFERRAL]: '#2e7d32',
	[EVENT_CHURN]: '#c62828'
};
/** How long a mark stays, in milliseconds. */
export const MARK_LIFE = 900;

export interface Mark {
	agent: number;
	kind: EventKind;
	born: number;
}

export interface PaneGeometry {
	width: number;
	dotsHeight: number;
	flowsHeight: number;
	columns: number;
	spacing: number;
	/** Per stage: 'churned' and 'lapsed' columns are tinted. */
	columnKinds: string[];
}

export interface PaneFrame {
	geometry: PaneGeometry;
	x: Float32Array;
	y: Float32Array;
	size: number;
	segment: Uint8Array;
	stage: Uint8Array;
	/** False for people who never bought: in the churned column they are lost prospects, the others churned customers. */
	bought: (agent: number) => boolean;
	churnedStage: number;
	marks: Mark[];
	links: FlowLink[];
	selected: number;
	now: number;
	formatRate: (rate: number) => string;
	/** Said under the columns when nobody changed stage in the period, so the empty band reads as news, not as a gap. */
	noFlows: string;
}

/** Draws a whole frame. */
export function drawPane(ctx: CanvasRenderingContext2D, frame: PaneFrame): void {
	const g = frame.geometry;
	ctx.clearRect(0, 0, g.width, g.dotsHeight + g.flowsHeight);
	drawColumns(ctx, g);
	drawDots(ctx, frame);
	drawMarks(ctx, frame);
	drawSelection(ctx, frame);
	drawFlows(ctx, frame);
}

/** Width of one stage column. */
export function columnWidth(g: PaneGeometry): number {
	return g.width / g.columns;
}

function drawColumns(ctx: CanvasRenderingContext2D, g: PaneGeometry): void {
	const w = columnWidth(g);
	for (let c = 0; c < g.columns; c++) {
		const kind = g.columnKinds[c];
		ctx.fillStyle = kind === 'churned' ? '#fbeaea' : kind === 'lapsed' ? '#eef1f4' : c % 2 ? '#f6f7f9' : '#ffffff';
		ctx.fillRect(c * w, 0, w, g.dotsHeight);
	}
	ctx.strokeStyle = '#e0e0e0';
	ctx.lineWidth = 1;
	ctx.strokeRect(0.5, 0.5, g.width - 1, g.dotsHeight - 1);
}

function dotRadius(g: PaneGeometry): number {
	return Math.max(1, g.spacing * 0.38);
}

/** How a dot is drawn: a live person, a prospect lost before buying (faded), a customer who left for good (a hollow ring). */
const LIVE = 0;
const LOST_PROSPECT = 1;
const CHURNED_CUSTOMER = 2;

function dotStyle(f: PaneFrame, a: number): number {
	if (f.stage[a] !== f.churnedStage) return LIVE;
	return f.bought(a) ? CHURNED_CUSTOMER : LOST_PROSPECT;
}

function drawDots(ctx: CanvasRenderingContext2D, f: PaneFrame): void {
	const r = dotRadius(f.geometry);
	const colours = SEGMENT_COLOURS.length;
	for (let colour = 0; colour < colours; colour++) {
		for (const style of [LIVE, LOST_PROSPECT, CHURNED_CUSTOMER]) {
			ctx.beginPath();
			let any = false;
			for (let a = 0; a < f.size; a++) {
				if (f.segment[a] % colours !== colour || dotStyle(f, a) !== style) continue;
				ctx.moveTo(f.x[a] + r, f.y[a]);
				ctx.arc(f.x[a], f.y[a], r, 0, Math.PI * 2);
				any = true;
			}
			if (!any) continue;
			ctx.fillStyle = ctx.strokeStyle = SEGMENT_COLOURS[colour];
			// Everyone stays visible so the class can count them; churned customers are rings, the latent state made visible.
			if (style === CHURNED_CUSTOMER) {
				ctx.lineWidth = Math.max(1, r * 0.45);
				ctx.stroke();
			} else {
				ctx.globalAlpha = style === LOST_PROSPECT ? 0.25 : 1;
				ctx.fill();
				ctx.globalAlpha = 1;
			}
		}
	}
}

function drawMarks(ctx: CanvasRenderingContext2D, f: PaneFrame): void {
	const r = dotRadius(f.geometry);
	for (const mark of f.marks) {
		const age = (f.now - mark.born) / MARK_LIFE;
		if (age < 0 || age >= 1 || mark.agent >= f.size) continue;
		const x = f.x[mark.agent];
		const y = f.y[mark.agent];
		ctx.globalAlpha = 1 - age;
		ctx.strokeStyle = MARK_COLOURS[mark.kind];
		ctx.lineWidth = 1.5;
		ctx.beginPath();
		if (mark.kind === EVENT_CHURN) {
			const s = r + 3;
			ctx.moveTo(x - s, y - s);
			ctx.lineTo(x + s, y + s);
			ctx.moveTo(x + s, y - s);
			ctx.lineTo(x - s, y + s);
		} else if (mark.kind === EVENT_INVITE) {
			ctx.moveTo(x, y);
			ctx.lineTo(x + r + 4 + 6 * age, y - r - 4 - 6 * age);
		} else {
			ctx.arc(x, y, r + 2 + 6 * age, 0, Math.PI * 2);
		}
		ctx.stroke();
	}
	ctx.globalAlpha = 1;
}

function drawSelection(ctx: CanvasRenderingContext2D, f: PaneFrame): void {
	if (f.selected < 0 || f.selected >= f.size) return;
	const r = dotRadius(f.geometry);
	ctx.strokeStyle = '#111';
	ctx.lineWidth = 2;
	ctx.beginPath();
	ctx.arc(f.x[f.selected], f.y[f.selected], r + 4, 0, Math.PI * 2);
	ctx.stroke();
}

/** Arcs under the columns from source to target stage; width by moves, the top links labelled with their rates. */
function drawFlows(ctx: CanvasRenderingContext2D, f: PaneFrame): void {
	const g = f.geometry;
	const w = columnWidth(g);
	const top = g.dotsHeight + 4;
	if (f.links.length === 0) {
		ctx.font = '12px system-ui, sans-serif';
		ctx.textAlign = 'center';
		ctx.textBaseline = 'middle';
		ctx.fillStyle = '#888';
		ctx.fillText(f.noFlows, g.width / 2, top + 24);
		return;
	}
	const most = Math.max(1, ...f.links.map((l) => l.moves));
	const arcs: FlowArc[] = f.links.map((link) => {
		const x1 = (link.from + 0.5) * w;
		const x2 = (link.to + 0.5) * w;
		const depth = Math.min(g.flowsHeight - 30, 14 + Math.abs(link.to - link.from) * 14);
		return { x1, x2, top, cx: (x1 + x2) / 2, cy: top + depth * 2, lineWidth: 1 + (11 * link.moves) / most };
	});
	f.links.forEach((link, i) => {
		const arc = arcs[i];
		ctx.strokeStyle = flowColour(link, f.churnedStage, g.columnKinds);
		ctx.globalAlpha = 0.55;
		ctx.lineWidth = arc.lineWidth;
		ctx.beginPath();
		ctx.moveTo(arc.x1, top);
		ctx.quadraticCurveTo(arc.cx, arc.cy, arc.x2, top);
		ctx.stroke();
		ctx.globalAlpha = 1;
		drawArrowHead(ctx, arc.cx, arc.cy, arc.x2, top, ctx.strokeStyle as string);
	});
	ctx.font = '11px system-ui, sans-serif';
	ctx.textAlign = 'center';
	ctx.textBaseline = 'middle';
	const texts = f.links.slice(0, LABELLED).map((link) => `${link.moves} · ${f.formatRate(link.rate)}`);
	for (const [i, label] of flowLabelPositions(ctx, f, arcs, texts).entries()) {
		ctx.lineWidth = 3;
		ctx.strokeStyle = '#fafafa';
		ctx.strokeText(texts[i], label.x, label.y);
		// In its arc's colour, darker: which arc a label names reads at a glance.
		ctx.fillStyle = LABEL_COLOURS[flowColour(f.links[i], f.churnedStage, g.columnKinds)] ?? '#333';
		ctx.fillText(texts[i], label.x, label.y);
	}
}

/** How many flows, the largest, carry a label; the flows table beside the canvas has them all. */
const LABELLED = 8;
/** Label places by the links they were placed for: worked out once per step or resize, not every animation frame. */
const placedLabels = new WeakMap<FlowLink[], { width: number; texts: string; at: { x: number; y: number }[] }>();

function flowLabelPositions(ctx: CanvasRenderingContext2D, f: PaneFrame, arcs: FlowArc[], texts: string[]): { x: number; y: number }[] {
	const g = f.geometry;
	const key = texts.join('|');
	const cached = placedLabels.get(f.links);
	if (cached && cached.width === g.width && cached.texts === key) return cached.at;
	const sizes = texts.map((text) => ({ width: ctx.measureText(text).width + 4, height: 13 }));
	const at = placeFlowLabels(arcs.slice(0, texts.length), sizes, { width: g.width, top: g.dotsHeight + 2, bottom: g.dotsHeight + g.flowsHeight });
	placedLabels.set(f.links, { width: g.width, texts: key, at });
	return at;
}

/** A darker shade of each flow colour, for its labels' text. */
const LABEL_COLOURS: Record<string, string> = { '#c62828': '#8e1b1b', '#78909c': '#455a64', '#1565c0': '#0d3f80', '#2e7d32': '#1b4d1f' };

function flowColour(link: FlowLink, churnedStage: number, kinds: string[]): string {
	if (link.to === churnedStage) return '#c62828';
	if (kinds[link.to] === 'lapsed') return '#78909c';
	return link.to > link.from ? '#1565c0' : '#2e7d32';
}

/** A small arrowhead at the end of a quadratic curve, along its final direction. */
function drawArrowHead(ctx: CanvasRenderingContext2D, cx: number, cy: number, x: number, y: number, colour: string): void {
	const angle = Math.atan2(y - cy, x - cx);
	const size = 6;
	ctx.fillStyle = colour;
	ctx.beginPath();
	ctx.moveTo(x, y);
	ctx.lineTo(x - size * Math.cos(angle - 0.45), y - size * Math.sin(angle - 0.45));
	ctx.lineTo(x - size * Math.cos(angle + 0.45), y - size * Math.sin(angle + 0.45));
	ctx.closePath();
	ctx.fill();
}
