/**
 * The classroom's canvas keeps every dot inside its column, whoever ends up
 * in one stage; and its flow labels sit clear of the arcs and of each other.
 * The columns are the ones the classroom draws at 1,280 px and at 390 px
 * (eight stages, 5 rem each, scrolling inside the pane).
 */
import { describe, expect, it } from 'vitest';
import { DotLayout, dotSpacing } from '../../src/lib/teaching/dotLayout';
import { placeFlowLabels, type FlowArc } from '../../src/lib/teaching/flowLabels';

const PAD = 5;
const DOTS_HEIGHT = 380;

describe('every dot stays inside its column', () => {
	// Six-stage at 2,000 people, social-app referral grown to 7,300 by the end of its horizon, the classroom's extremes.
	for (const width of [1216 / 8, 5 * 16]) {
		for (const people of [50, 2000, 2029, 4757, 7300, 20000]) {
			it(`${people} people all in one ${width.toFixed(0)} px column`, () => {
				const column = { left: 0, width: width - 2 * PAD, top: PAD, height: DOTS_HEIGHT - 2 * PAD, spacing: 0 };
				column.spacing = dotSpacing(column.width, column.height, people);
				const r = Math.max(1, column.spacing * 0.38); // the radius drawn
				const last = DotLayout.position(people - 1, column);
				expect(last.y + r).toBeLessThanOrEqual(column.top + column.height + 1);
				const rightmost = DotLayout.position(Math.max(1, Math.floor(column.width / column.spacing)) - 1, column);
				expect(rightmost.x + r).toBeLessThanOrEqual(column.left + column.width + 1);
			});
		}
	}

	it('keeps the dots as large as fit: one spacing step larger would spill', () => {
		const [w, h, n] = [152 - 2 * PAD, DOTS_HEIGHT - 2 * PAD, 2000];
		const s = dotSpacing(w, h, n);
		const larger = s + 0.1;
		expect(Math.floor(w / larger) * Math.floor(h / larger)).toBeLessThan(n);
	});
});

describe('flow labels sit clear of the arcs', () => {
	/** The arcs of a day in the social-app classroom at 1,280 px: neighbours, long arcs to churned crossing them. */
	const w = 152;
	const top = 384;
	const links = [
		{ from: 1, to: 2, moves: 16 },
		{ from: 1, to: 7, moves: 10 },
		{ from: 2, to: 3, moves: 6 },
		{ from: 2, to: 7, moves: 6 },
		{ from: 3, to: 4, moves: 4 },
		{ from: 4, to: 5, moves: 1 },
		{ from: 4, to: 6, moves: 1 }
	];
	const arcs: FlowArc[] = links.map((l) => {
		const x1 = (l.from + 0.5) * w;
		const x2 = (l.to + 0.5) * w;
		const depth = Math.min(90, 14 + Math.abs(l.to - l.from) * 14);
		return { x1, x2, top, cx: (x1 + x2) / 2, cy: top + depth * 2, lineWidth: 1 + (11 * l.moves) / 16 };
	});
	const size = { width: 52, height: 13 };
	const band = { width: 8 * w, top: 382, bottom: 500 };
	const at = placeFlowLabels(arcs, links.map(() => size), band);
	const boxes = at.map((p) => ({ left: p.x - size.width / 2, right: p.x + size.width / 2, top: p.y - size.height / 2, bottom: p.y + size.height / 2 }));

	it('no label covers any arc’s stroke', () => {
		for (const [i, box] of boxes.entries()) {
			for (const [j, arc] of arcs.entries()) {
				for (let k = 0; k <= 200; k++) {
					const t = k / 200;
					const x = (1 - t) ** 2 * arc.x1 + 2 * (1 - t) * t * arc.cx + t * t * arc.x2;
					const y = (1 - t) ** 2 * arc.top + 2 * (1 - t) * t * arc.cy + t * t * arc.top;
					const dx = Math.max(box.left - x, 0, x - box.right);
					const dy = Math.max(box.top - y, 0, y - box.bottom);
					expect(Math.hypot(dx, dy), `label ${i} on arc ${j}`).toBeGreaterThanOrEqual(arc.lineWidth / 2);
				}
			}
		}
	});

	it('no two labels overlap, and all stay in the band under the columns', () => {
		for (const [i, a] of boxes.entries()) {
			expect(a.top).toBeGreaterThanOrEqual(band.top);
			expect(a.bottom).toBeLessThanOrEqual(band.bottom);
			for (const b of boxes.slice(i + 1)) expect(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).toBe(false);
		}
	});

	it('puts each label beside its own arc', () => {
		for (const [i, p] of at.entries()) expect(p.x, `label ${i}`).toBeGreaterThanOrEqual(Math.min(arcs[i].x1, arcs[i].x2));
		for (const [i, p] of at.entries()) expect(p.x, `label ${i}`).toBeLessThanOrEqual(Math.max(arcs[i].x1, arcs[i].x2));
	});
});
