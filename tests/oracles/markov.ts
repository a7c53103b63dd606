/**
 * Exact expectations of a continuous-time Markov chain, written independently
 * of the engine: occupancy after t days is p0 · exp(Q)^t, with exp(Q) by
 * scaling and squaring of its Taylor series.
 */

export type Matrix = number[][];

function multiply(x: Matrix, y: Matrix): Matrix {
	const n = x.length;
	return x.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, v, k) => s + v * y[k][j], 0)));
}

/** exp(Q) for a small square matrix. */
export function expm(q: Matrix): Matrix {
	const n = q.length;
	const norm = Math.max(...q.map((row) => row.reduce((s, v) => s + Math.abs(v), 0)));
	const squarings = Math.max(0, Math.ceil(Math.log2(norm)) + 4);
	const scale = 2 ** -squarings;
	const a = q.map((row) => row.map((v) => v * scale));
	let result: Matrix = a.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
	let term: Matrix = result.map((row) => [...row]);
	for (let k = 1; k <= 20; k++) {
		term = multiply(term, a).map((row) => row.map((v) => v / k));
		result = result.map((row, i) => row.map((v, j) => v + term[i][j]));
	}
	for (let s = 0; s < squarings; s++) result = multiply(result, result);
	return result;
}

/** Generator matrix from per-day move probabilities: rate −ln(1 − p) for each move. */
export function generator(n: number, moves: { from: number; to: number; dailyProbability: number }[]): Matrix {
	const q: Matrix = Array.from({ length: n }, () => new Array(n).fill(0));
	for (const { from, to, dailyProbability } of moves) {
		const rate = -Math.log(1 - dailyProbability);
		q[from][to] += rate;
		q[from][from] -= rate;
	}
	return q;
}

/** Expected share in each state at the end of days 0 .. days − 1 (time d + 1), starting from p0 at time 0. */
export function occupancy(q: Matrix, p0: number[], days: number): number[][] {
	const step = expm(q);
	const out: number[][] = [];
	let p = p0;
	for (let d = 0; d < days; d++) {
		p = p.map((_, j) => p.reduce((s, v, i) => s + v * step[i][j], 0));
		out.push(p);
	}
	return out;
}
