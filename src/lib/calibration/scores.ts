/**
 * Scores per customer under the chosen purchase model and Gamma-Gamma:
 * P(alive), expected repeat purchases over the next `horizon` time units,
 * expected spend per purchase, and CLV (expected spend over the horizon,
 * each unit's purchases discounted at `discountRate` per unit). Also the
 * probability-alive matrix over frequency and recency, deciles of expected
 * holdout value against what each decile really spent, and the CSV table.
 * Everything that depends only on (x, t_x, T) is computed once per unique row.
 */
import Papa from 'papaparse';
import type { GammaGammaParams } from './gammaGammaFit';
import type { ModelParams, PurchaseModel } from './purchaseModel';
import { purchaseRowIndex, purchaseRows } from './sufficientStatistics';
import type { CustomerSummary } from './summary';
import type { TransactionLog } from './transactions';

export interface ScoreOptions {
	/** Time units (the calibration's: days or weeks) ahead. */
	horizon: number;
	/** Discount rate per time unit (0.001 a week is about 5% a year). */
	discountRate: number;
}

export interface CustomerScores {
	customerIds: string[];
	x: Float64Array;
	tx: Float64Array;
	T: Float64Array;
	probabilityAlive: Float64Array;
	expectedPurchases: Float64Array;
	expectedSpend: Float64Array;
	clv: Float64Array;
}

/**
 * E[M | x, m̄]: a customer's expected spend per purchase under Gamma-Gamma
 * (Fader, Hardie & Lee 2005, eq. 5), the population mean pγ/(q − 1) without
 * repeat purchases; NaN when q ≤ 1 (the mean does not exist).
 */
export function expectedSpend({ p, q, gamma }: GammaGammaParams, x: number, meanSpend: number): number {
	if (!(q > 1)) return NaN;
	if (x === 0 || !(meanSpend > 0)) return (p * gamma) / (q - 1);
	return (p * (gamma + x * meanSpend)) / (p * x + q - 1);
}

/** Per-customer scores for every customer of the summary. */
export function customerScores(log: TransactionLog, s: CustomerSummary, model: PurchaseModel, params: ModelParams, spend: GammaGammaParams, { horizon, discountRate }: ScoreOptions): CustomerScores {
	const rows = purchaseRows(s);
	const rowOf = purchaseRowIndex(s);
	const n = rows.x.length;
	const alive = new Float64Array(n);
	const purchases = new Float64Array(n);
	// Discounted purchases: Σ_k (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k over whole units, then the part of a unit left.
	const discounted = new Float64Array(n);
	for (let k = 0; k < n; k++) {
		const [x, tx, T] = [rows.x[k], rows.tx[k], rows.T[k]];
		alive[k] = model.probabilityAlive(params, x, tx, T);
		let before = 0;
		let total = 0;
		for (let step = 1; step <= Math.ceil(horizon); step++) {
			const now = model.conditionalExpectedPurchases(params, x, tx, T, Math.min(step, horizon));
			total += (now - before) / Math.pow(1 + discountRate, step);
			before = now;
		}
		purchases[k] = before;
		discounted[k] = total;
	}
	const spendOf = Float64Array.from(s.x, (x, i) => expectedSpend(spend, x, s.meanRepeatSpend[i]));
	return {
		customerIds: Array.from(s.customer, (c) => log.customerIds[c]),
		x: s.x,
		tx: s.tx,
		T: s.T,
		probabilityAlive: Float64Array.from(rowOf, (k) => alive[k]),
		expectedPurchases: Float64Array.from(rowOf, (k) => purchases[k]),
		expectedSpend: spendOf,
		clv: Float64Array.from(rowOf, (k, i) => discounted[k] * spendOf[i])
	};
}

/** The scores as CSV, one row per customer id; numbers written in full, so reading them back gives the same doubles. */
export function scoresCsv(scores: CustomerScores): string {
	const fields = ['customer_id', 'x', 't_x', 'T', 'p_alive', 'expected_purchases', 'expected_spend', 'clv'];
	const data = scores.customerIds.map((id, i) => [id, scores.x[i], scores.tx[i], scores.T[i], scores.probabilityAlive[i], scores.expectedPurchases[i], scores.expectedSpend[i], scores.clv[i]].map(String));
	// Ids are written as they are (no formula escaping), so the table joins back to the log.
	return Papa.unparse({ fields, data }, { newline: '\n', escapeFormulae: false }) + '\n';
}

export interface AliveMatrix {
	/** Repeat purchases 0 … rows − 1. */
	frequency: number[];
	/** Time of the last purchase, in the calibration's unit. */
	recency: number[];
	/** T: the age at which the matrix is drawn (the oldest customer's). */
	age: number;
	/** probability[f][r]: P(alive) at frequency f and recency r (null where impossible: x = 0 with a recency after 0). */
	probability: (number | null)[][];
}

/** P(alive) over frequency 0 … the 99th percentile's and recency 0 … T, for a customer as old as the oldest (as lifetimes draws it). */
export function aliveMatrix(s: CustomerSummary, model: PurchaseModel, params: ModelParams, steps = 24): AliveMatrix {
	const age = s.T.reduce((m, t) => Math.max(m, t), 0);
	const sorted = Float64Array.from(s.x).sort();
	const top = Math.max(1, Math.min(40, sorted[Math.floor(0.99 * (sorted.length - 1))]));
	const frequency = Array.from({ length: top + 1 }, (_, f) => f);
	const recency = Array.from({ length: steps + 1 }, (_, j) => (age * j) / steps);
	const probability = frequency.map((f) => recency.map((r) => (f === 0 && r > 0 ? null : model.probabilityAlive(params, f, f === 0 ? 0 : r, age))));
	return { frequency, recency, age, probability };
}

export interface ValueDecile {
	decile: number;
	customers: number;
	/** Mean expected spend in the holdout (expected purchases × expected spend). */
	predictedValue: number;
	/** Mean spend the customers really had in the holdout. */
	actualValue: number;
}

/** Customers in ten groups by expected holdout value, highest first, against their actual holdout spend. */
export function valueDeciles(s: CustomerSummary, expectedHoldoutPurchases: Float64Array, spendPerPurchase: Float64Array): ValueDecile[] {
	const value = Float64Array.from(expectedHoldoutPurchases, (e, i) => e * spendPerPurchase[i]);
	const order = Array.from({ length: s.customers }, (_, i) => i).sort((i, j) => value[j] - value[i] || i - j);
	return Array.from({ length: 10 }, (_, d) => {
		const group = order.slice(Math.floor((d * order.length) / 10), Math.floor(((d + 1) * order.length) / 10));
		const mean = (f: (i: number) => number) => (group.length ? group.reduce((t, i) => t + f(i), 0) / group.length : 0);
		return { decile: d + 1, customers: group.length, predictedValue: mean((i) => value[i]), actualValue: mean((i) => s.holdoutSpend[i]) };
	});
}
