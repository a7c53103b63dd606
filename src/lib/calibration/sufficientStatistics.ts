/**
 * Sufficient statistics of a calibration: the purchase models' likelihoods
 * depend on a customer only through (x, t_x, T), and Gamma-Gamma's through
 * (x, mean spend), so customers who share them are one row with a weight.
 * A million-row log of some 340,000 customers becomes a few thousand rows,
 * and every likelihood evaluation (hundreds per fit) runs over those.
 */
import type { CustomerSummary } from './summary';

/** Customers as rows of (x, t_x, T); `weight` customers share each row (1 when absent). */
export interface PurchaseRows {
	x: ArrayLike<number>;
	tx: ArrayLike<number>;
	T: ArrayLike<number>;
	weight?: ArrayLike<number>;
}

/** Repeat customers as rows of (x, mean repeat spend); `weight` customers share each row (1 when absent). */
export interface SpendRows {
	x: ArrayLike<number>;
	m: ArrayLike<number>;
	weight?: ArrayLike<number>;
}

/** Unique rows with their weights. */
export interface WeightedPurchaseRows extends PurchaseRows {
	x: Float64Array;
	tx: Float64Array;
	T: Float64Array;
	weight: Float64Array;
	/** Customers in all (the sum of the weights). */
	customers: number;
}

export interface WeightedSpendRows extends SpendRows {
	x: Float64Array;
	m: Float64Array;
	weight: Float64Array;
	customers: number;
}

const purchaseCache = new WeakMap<CustomerSummary, WeightedPurchaseRows & { rowOf: Int32Array }>();
const spendCache = new WeakMap<CustomerSummary, WeightedSpendRows>();

/** Groups equal keys: the rows' first index per key, in order of first appearance, the count of each, and each item's row (−1 when skipped). */
function groupBy(n: number, key: (i: number) => string | number): { first: number[]; weight: number[]; rowOf: Int32Array } {
	const index = new Map<string | number, number>();
	const first: number[] = [];
	const weight: number[] = [];
	const rowOf = new Int32Array(n).fill(-1);
	for (let i = 0; i < n; i++) {
		const k = key(i);
		if (k === '') continue;
		let at = index.get(k);
		if (at === undefined) {
			at = first.length;
			index.set(k, at);
			first.push(i);
			weight.push(1);
		} else weight[at]++;
		rowOf[i] = at;
	}
	return { first, weight, rowOf };
}

/**
 * A key equal for two customers exactly when their (x, t_x, T) are: a number
 * made of x and t_x, T in whole days (t_x and T are whole days over the
 * unit), else the three as text. A number is made and hashed many times
 * faster than text of two fractions of a week (measured: a second of a
 * million-row log's fit in the browser went to these keys).
 */
function historyKey(s: CustomerSummary, i: number): string | number {
	const [x, txDays, TDays] = [s.x[i], Math.round(s.tx[i] * s.unitDays), Math.round(s.T[i] * s.unitDays)];
	const fits = (v: number, bits: number) => Number.isInteger(v) && v >= 0 && v < 2 ** bits;
	if (fits(x, 17) && fits(txDays, 18) && fits(TDays, 18) && txDays / s.unitDays === s.tx[i] && TDays / s.unitDays === s.T[i]) return x * 2 ** 36 + txDays * 2 ** 18 + TDays;
	return `${s.x[i]} ${s.tx[i]} ${s.T[i]}`;
}

/** The summary's customers reduced to unique (x, t_x, T) rows (computed once per summary). */
export function purchaseRows(s: CustomerSummary): WeightedPurchaseRows {
	const cached = purchaseCache.get(s);
	if (cached) return cached;
	const { first, weight, rowOf } = groupBy(s.customers, (i) => historyKey(s, i));
	const made = {
		x: Float64Array.from(first, (i) => s.x[i]),
		tx: Float64Array.from(first, (i) => s.tx[i]),
		T: Float64Array.from(first, (i) => s.T[i]),
		weight: Float64Array.from(weight),
		customers: s.customers,
		rowOf
	};
	purchaseCache.set(s, made);
	return made;
}

/** For each customer of the summary, the index of their row in purchaseRows(s): per-customer results are computed once per row. */
export function purchaseRowIndex(s: CustomerSummary): Int32Array {
	purchaseRows(s);
	return purchaseCache.get(s)!.rowOf;
}

/** The summary's repeat customers with a positive mean spend, reduced to unique (x, m) rows (computed once per summary). */
export function spendRows(s: CustomerSummary): WeightedSpendRows {
	let rows = spendCache.get(s);
	if (rows) return rows;
	const { first, weight } = groupBy(s.customers, (i) => (s.x[i] > 0 && s.meanRepeatSpend[i] > 0 ? `${s.x[i]} ${s.meanRepeatSpend[i]}` : ''));
	rows = {
		x: Float64Array.from(first, (i) => s.x[i]),
		m: Float64Array.from(first, (i) => s.meanRepeatSpend[i]),
		weight: Float64Array.from(weight),
		customers: weight.reduce((a, b) => a + b, 0)
	};
	spendCache.set(s, rows);
	return rows;
}

/** Each row's weight (1 without weights). */
export const weightOf = (rows: { weight?: ArrayLike<number> }, i: number): number => (rows.weight ? rows.weight[i] : 1);
