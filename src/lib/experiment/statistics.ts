/** Summaries across replications: means, t intervals and percentile bands. */
import { mean as ssMean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { logGamma } from '../engine/random';

/** A value estimated from replications; ci95 is null when fewer than two replications exist or a value is undefined. */
export interface Estimate {
	mean: number | null;
	ci95: [number, number] | null;
}

// Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
	2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
];

/** The 97.5% quantile of Student's t with `df` degrees of freedom. */
export function tQuantile975(df: number): number {
	if (df < 1) return NaN;
	if (df <= 30) return T975[df - 1];
	// Cornish–Fisher expansion around the normal quantile; error below 1e-4 for df > 30.
	const z = 1.959963984540054;
	const z3 = z ** 3;
	const z5 = z ** 5;
	return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

/** Mean and 95% t interval of replication values; non-finite values make the estimate null. */
export function estimate(values: number[]): Estimate {
	if (values.length === 0 || values.some((v) => !Number.isFinite(v))) return { mean: null, ci95: null };
	const m = ssMean(values);
	if (values.length < 2) return { mean: m, ci95: null };
	const half = (tQuantile975(values.length - 1) * sampleStandardDeviation(values)) / Math.sqrt(values.length);
	return { mean: m, ci95: [m - half, m + half] };
}

/** Per-day mean and 5th/50th/95th percentiles across replications. */
export interface Band {
	mean: number[];
	p05: number[];
	p50: number[];
	p95: number[];
}

/** Bands of a daily series across replications (`rows[k]` is replication k's series). */
export function band(rows: ArrayLike<number>[], days: number): Band {
	const out: Band = { mean: new Array(days), p05: new Array(days), p50: new Array(days), p95: new Array(days) };
	const column = new Array<number>(rows.length);
	for (let d = 0; d < days; d++) {
		let sum = 0;
		for (let k = 0; k < rows.length; k++) {
			column[k] = rows[k][d];
			sum += column[k];
		}
		column.sort((a, b) => a - b);
		out.mean[d] = sum / rows.length;
		out.p05[d] = quantileSorted(column, 0.05);
		out.p50[d] = quantileSorted(column, 0.5);
		out.p95[d] = quantileSorted(column, 0.95);
	}
	return out;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom, through the regularized incomplete beta function. */
export function tCdf(t: number, df: number): number {
	if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
	const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
	return t > 0 ? 1 - tail : tail;
}

/** The regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes §6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
	if (x <= 0) return 0;
	if (x >= 1) return 1;
	const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
	// The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
	if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
	return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
	const tiny = 1e-300;
	let c = 1;
	let d = 1 - ((a + b) * x) / (a + 1);
	if (Math.abs(d) < tiny) d = tiny;
	d = 1 / d;
	let h = d;
	for (let m = 1; m <= 500; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < tiny) d = tiny;
		c = 1 + aa / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		if (Math.abs(d) < tiny) d = tiny;
		c = 1 + aa / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const delta = d * c;
		h *= delta;
		if (Math.abs(delta - 1) < 1e-15) break;
	}
	return h;
}

/** Sample covariance of paired values. */
function covariance(x: number[], y: number[]): number {
	const mx = ssMean(x);
	const my = ssMean(y);
	let s = 0;
	for (let i = 0; i < x.length; i++) s += (x[i] - mx) * (y[i] - my);
	return s / (x.length - 1);
}

/**
 * The ratio of two means from paired replications (x̄ / ȳ) with a 95%
 * interval by the delta method, which keeps the pairing (common random
 * numbers make x and y covary); null when ȳ is 0 or there are too few values.
 */
export function ratioEstimate(x: number[], y: number[]): Estimate {
	const n = x.length;
	if (n === 0 || [...x, ...y].some((v) => !Number.isFinite(v))) return { mean: null, ci95: null };
	const mx = ssMean(x);
	const my = ssMean(y);
	if (my === 0) return { mean: null, ci95: null };
	const r = mx / my;
	if (n < 2) return { mean: r, ci95: null };
	const variance = (covariance(x, x) + r * r * covariance(y, y) - 2 * r * covariance(x, y)) / (n * my * my);
	const half = tQuantile975(n - 1) * Math.sqrt(Math.max(0, variance));
	return { mean: r, ci95: [r - half, r + half] };
}

/** Replications needed for a 95% interval of half-width `target`, given the spread seen so far. */
export function replicationsFor(values: number[], target: number): number | null {
	if (values.length < 2 || !(target > 0)) return null;
	const sd = sampleStandardDeviation(values);
	if (sd === 0) return 2;
	let n = Math.max(2, Math.ceil(((1.96 * sd) / target) ** 2));
	// The t quantile depends on n itself: iterate to the fixed point.
	for (let i = 0; i < 20; i++) {
		const next = Math.max(2, Math.ceil(((tQuantile975(n - 1) * sd) / target) ** 2));
		if (next === n) break;
		n = next;
	}
	return n;
}
