/** Nelder–Mead minimisation (no derivatives), and a numerical Hessian for standard errors. */

export interface Minimum {
	point: number[];
	value: number;
	iterations: number;
	converged: boolean;
}

/** Minimises f from `start` (Nelder & Mead 1965, standard coefficients, restarted once at the optimum). */
export function nelderMead(f: (p: number[]) => number, start: number[], { step = 0.5, tolerance = 1e-10, maxIterations = 5000 } = {}): Minimum {
	let result = simplexSearch(f, start, step, tolerance, maxIterations);
	// A restart around the optimum guards against a collapsed simplex.
	result = simplexSearch(f, result.point, step / 5, tolerance, maxIterations);
	return result;
}

function simplexSearch(f: (p: number[]) => number, start: number[], step: number, tolerance: number, maxIterations: number): Minimum {
	const n = start.length;
	let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))];
	let values = simplex.map(f);
	for (let iteration = 0; iteration < maxIterations; iteration++) {
		const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
		simplex = order.map((i) => simplex[i]);
		values = order.map((i) => values[i]);
		if (Math.abs(values[n] - values[0]) <= tolerance * (Math.abs(values[0]) + tolerance)) {
			return { point: simplex[0], value: values[0], iterations: iteration, converged: true };
		}
		const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j], 0) / n);
		const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n][j] - c));
		const reflected = along(-1);
		const fr = f(reflected);
		if (fr < values[0]) {
			const expanded = along(-2);
			const fe = f(expanded);
			[simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
		} else if (fr < values[n - 1]) {
			[simplex[n], values[n]] = [reflected, fr];
		} else {
			const contracted = fr < values[n] ? along(-0.5) : along(0.5);
			const fc = f(contracted);
			if (fc < Math.min(fr, values[n])) [simplex[n], values[n]] = [contracted, fc];
			else {
				simplex = simplex.map((p, i) => (i === 0 ? p : p.map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]))));
				values = simplex.map((p, i) => (i === 0 ? values[0] : f(p)));
			}
		}
	}
	const best = values.indexOf(Math.min(...values));
	return { point: simplex[best], value: values[best], iterations: maxIterations, converged: false };
}

/** The Hessian of f at p by central differences. */
export function hessian(f: (p: number[]) => number, p: number[], h = 1e-4): number[][] {
	const n = p.length;
	const at = (di: number, dj: number, i: number, j: number) => f(p.map((v, k) => v + (k === i ? di : 0) + (k === j ? dj : 0)));
	return Array.from({ length: n }, (_, i) =>
		Array.from({ length: n }, (_, j) => (at(h, h, i, j) - at(h, -h, i, j) - at(-h, h, i, j) + at(-h, -h, i, j)) / (4 * h * h))
	);
}

/** The inverse of a small symmetric positive-definite matrix (Gauss–Jordan with partial pivoting). */
export function invert(m: number[][]): number[][] {
	const n = m.length;
	const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
	for (let c = 0; c < n; c++) {
		let pivot = c;
		for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
		[a[c], a[pivot]] = [a[pivot], a[c]];
		const d = a[c][c];
		if (d === 0) throw new Error('singular matrix');
		for (let k = 0; k < 2 * n; k++) a[c][k] /= d;
		for (let r = 0; r < n; r++) {
			if (r === c) continue;
			const factor = a[r][c];
			for (let k = 0; k < 2 * n; k++) a[r][k] -= factor * a[c][k];
		}
	}
	return a.map((row) => row.slice(n));
}

/**
 * The gradient of f at p by the five-point stencil: its error is of order h⁴,
 * so h can be large enough that the rounding noise of a sum over 300,000
 * customers (about 10⁻⁷ of a log-likelihood) does not swamp it.
 */
export function gradient(f: (p: number[]) => number, p: number[], h = 1e-3): number[] {
	const at = (i: number, d: number) => f(p.map((v, k) => (k === i ? v + d : v)));
	return p.map((_, i) => (8 * (at(i, h) - at(i, -h)) - (at(i, 2 * h) - at(i, -2 * h))) / (12 * h));
}

/**
 * Newton steps from a minimum Nelder–Mead found (numerical gradient and
 * Hessian), each kept only if it lowers f: the simplex stops when the values
 * agree, which leaves the point loose in flat directions; Newton pins it down,
 * so two fits of the same function reached by different paths agree to many digits.
 */
export function newtonPolish(f: (p: number[]) => number, point: number[], value: number, steps = 4): { point: number[]; value: number } {
	let best = { point, value };
	for (let k = 0; k < steps; k++) {
		let step: number[];
		try {
			const inverse = invert(hessian(f, best.point));
			const g = gradient(f, best.point);
			step = inverse.map((row) => -row.reduce((s, v, j) => s + v * g[j], 0));
		} catch {
			return best;
		}
		const next = best.point.map((v, i) => v + step[i]);
		const nextValue = f(next);
		if (!(nextValue <= best.value)) return best;
		best = { point: next, value: nextValue };
		if (step.every((s) => Math.abs(s) < 1e-12)) return best;
	}
	return best;
}
