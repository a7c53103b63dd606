/**
 * The decision space as the search sees it: every decision scaled to [0, 1]
 * (a whole number or a choice snapped to its nearest allowed value), so one
 * surrogate and one distance serve continuous, integer and listed values.
 */
import type { Decision } from './schema';

/** A point of the unit cube, one coordinate per decision. */
export type UnitPoint = number[];

/** The scenario value a unit coordinate stands for. */
export function decodeValue(d: Decision, u: number): unknown {
	const t = Math.min(1, Math.max(0, u));
	if ('choices' in d) return d.choices[Math.min(d.choices.length - 1, Math.round(t * (d.choices.length - 1)))];
	const x = d.low + t * (d.high - d.low);
	return d.kind === 'integer' ? Math.min(Math.floor(d.high), Math.max(Math.ceil(d.low), Math.round(x))) : x;
}

/** The unit coordinate of an allowed value. */
function encodeValue(d: Decision, value: unknown): number {
	if ('choices' in d) {
		const i = d.choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(value));
		return i / (d.choices.length - 1);
	}
	return ((value as number) - d.low) / (d.high - d.low);
}

/** Snaps a point to the allowed values (whole numbers, listed choices) and returns it with its values by pointer. */
export function snap(decisions: Decision[], u: UnitPoint): { point: UnitPoint; values: Record<string, unknown> } {
	const values: Record<string, unknown> = {};
	const point = decisions.map((d, i) => {
		const v = decodeValue(d, u[i]);
		values[d.parameter] = v;
		return encodeValue(d, v);
	});
	return { point, values };
}

/** A key that is the same for two points with the same scenario values. */
export function valuesKey(values: Record<string, unknown>): string {
	return JSON.stringify(values);
}

/** A Latin hypercube of n points: each decision's range cut in n strata, one point in each, strata paired at random. */
export function latinHypercube(n: number, dimensions: number, random: () => number): UnitPoint[] {
	const columns = Array.from({ length: dimensions }, () => {
		const order = Array.from({ length: n }, (_, i) => i);
		for (let i = n - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j], order[i]];
		}
		return order.map((stratum) => (stratum + random()) / n);
	});
	return Array.from({ length: n }, (_, i) => columns.map((c) => c[i]));
}
