/** Summaries across replications: means, t intervals and percentile bands. */
import { mean as ssMean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

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

/** Per-day mean and 5th/95th percentiles across replications. */
export interface Band {
	mean: number[];
	p05: number[];
	p95: number[];
}

/** Bands of a daily series across replications (`rows[k]` is replication k's series). */
export function band(rows: ArrayLike<number>[], days: number): Band {
	const out: Band = { mean: new Array(days), p05: new Array(days), p95: new Array(days) };
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
		out.p95[d] = quantileSorted(column, 0.95);
	}
	return out;
}
