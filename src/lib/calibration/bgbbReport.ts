/**
 * A BG/BB calibration as the calibration cell and `calibrate --model bgbb`
 * show it: the fit (parameters, standard errors, log-likelihood, AIC, BIC),
 * customers by repeat purchases against the model (FHS 2010, eq. 8) and,
 * for a log of purchases by occasion, the cumulative repeat purchases
 * occasion by occasion and a holdout check; and the scores per customer.
 * One function makes it from the file's text, so the worker and the CLI
 * give the same numbers.
 */
import Papa from 'papaparse';
import { logGamma } from '../engine/random';
import { BGBB } from './bgbb';
import { logBeta } from './bgnbdFit';
import { FREQUENCY_GROUPS, type FrequencyGroup } from './frequency';
import type { HoldoutReport } from './holdout';
import type { AliveMatrix } from './scores';
import { historiesAt, OccasionError, parseRecencyFrequencyTable, readOccasionLog, type OccasionHistories, type OccasionLog } from './occasions';
import { fitModel, type ModelFit, type ModelParams } from './purchaseModel';

/** What the file holds: a recency/frequency table, or a log with a customer id and an occasion number per purchase. */
export type BgbbInput =
	| { kind: 'table' }
	| {
			kind: 'log';
			id: string;
			occasion: string;
			/** The last occasion of the calibration period (default: the log's last). */
			calibrationEnd?: number;
			/** The last occasion of the holdout period, after calibrationEnd (default: none). */
			holdoutEnd?: number;
	  };

export interface BgbbReport {
	fit: ModelFit;
	label: string;
	kind: 'table' | 'log';
	/** For a log: the occasions that end calibration and holdout. */
	calibrationEnd: number | null;
	holdoutEnd: number | null;
	/** Customers by repeat purchases 0 … 7+, actual and expected. */
	frequency: FrequencyGroup[];
	/** E[X(n)] of a new customer for n = 1 … the longest history. */
	expected: { occasions: number; expectedPurchases: number }[];
	/** For a log: cumulative repeat purchases by occasion (in `week`) through calibration and holdout, actual and Σ E[X(o − s_i)]. */
	tracking: HoldoutReport['weekly'] | null;
	holdout: Omit<HoldoutReport, 'weekly'> | null;
	/** P(alive) over frequency and recency 0 … n for a customer with the longest history n. */
	aliveMatrix: AliveMatrix;
}

/** The histories to fit, with the log they came from when there is one. */
export interface BgbbData {
	histories: OccasionHistories;
	log: OccasionLog | null;
	/** Each history's customer in the log (a log only). */
	index: Int32Array | null;
	calibrationEnd: number | null;
	holdoutEnd: number | null;
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** P(X(n) = x) for x = 0 … n: repeat purchases in n occasions of a new customer (FHS 2010, eq. 8). */
export function bgbbCountProbabilities({ alpha, beta, gamma, delta }: ModelParams, n: number): number[] {
	const lbAB = logBeta(alpha, beta);
	const lbGD = logBeta(gamma, delta);
	return Array.from({ length: n + 1 }, (_, x) => {
		let p = Math.exp(logChoose(n, x) + logBeta(alpha + x, beta + n - x) - lbAB + logBeta(gamma, delta + n) - lbGD);
		for (let i = x; i < n; i++) p += Math.exp(logChoose(i, x) + logBeta(alpha + x, beta + i - x) - lbAB + logBeta(gamma + 1, delta + i) - lbGD);
		return p;
	});
}

/** Reads the file's text as the input says, checking the occasions asked for; problems are OccasionErrors naming the line or field. */
export function readBgbbData(text: string, input: BgbbInput): BgbbData {
	if (input.kind === 'table') return { histories: parseRecencyFrequencyTable(text), log: null, index: null, calibrationEnd: null, holdoutEnd: null };
	const log = readOccasionLog(text, input);
	const end = input.calibrationEnd ?? log.last;
	const holdout = input.holdoutEnd ?? null;
	const wholeNumber = (v: number) => Number.isInteger(v) && v >= 0;
	if (!wholeNumber(end)) throw new OccasionError(`the calibration end must be a whole occasion number ≥ 0, got ${end}`);
	if (holdout !== null && !(wholeNumber(holdout) && holdout > end)) throw new OccasionError(`the holdout end must be a whole occasion number after the calibration end (${end}), got ${holdout}`);
	const { index, ...histories } = historiesAt(log, end);
	return { histories, log, index, calibrationEnd: end, holdoutEnd: holdout };
}

/** Customers by repeat purchases 0 … 7+ (up to the longest history's n when shorter), actual and expected: each customer's P(X(n) = x) summed, grouped by n. */
export function bgbbFrequency(params: ModelParams, data: BgbbData): FrequencyGroup[] {
	const { rows } = data.histories;
	const most = rows.T.reduce((m, n) => Math.max(m, n), 0);
	const groups = Array.from({ length: Math.min(FREQUENCY_GROUPS, most + 1) }, (_, k) => ({ x: k === FREQUENCY_GROUPS - 1 ? `${k}+` : String(k), actual: 0, expected: 0 }));
	const byN = new Map<number, number>();
	rows.x.forEach((x, k) => {
		groups[Math.min(x, FREQUENCY_GROUPS - 1)].actual += rows.weight[k];
		byN.set(rows.T[k], (byN.get(rows.T[k]) ?? 0) + rows.weight[k]);
	});
	for (const [n, customers] of byN) bgbbCountProbabilities(params, n).forEach((p, x) => (groups[Math.min(x, FREQUENCY_GROUPS - 1)].expected += customers * p));
	return groups;
}

/** P(alive at the next occasion) for every possible (x, t_x) of a customer with n occasions; null where no history has them. */
export function bgbbAliveMatrix(params: ModelParams, n: number): AliveMatrix {
	const steps = Array.from({ length: n + 1 }, (_, k) => k);
	const possible = (x: number, tx: number) => (x === 0 ? tx === 0 : tx >= x);
	return { frequency: steps, recency: steps, age: n, probability: steps.map((x) => steps.map((tx) => (possible(x, tx) ? BGBB.probabilityAlive(params, x, tx, n) : null))) };
}

/** Cumulative repeat purchases of the calibrated customers by occasion, from the first start to the holdout's end (or calibration's). */
function tracking(params: ModelParams, data: BgbbData & { log: OccasionLog; index: Int32Array }): HoldoutReport['weekly'] {
	const last = data.holdoutEnd ?? data.calibrationEnd!;
	const starts = Array.from(data.index, (i) => data.log.occasions[i][0]);
	const first = starts.reduce((m, s) => Math.min(m, s), Infinity);
	const bought = new Float64Array(last - first + 1);
	const startsAt = new Float64Array(last - first + 1);
	data.index.forEach((i, c) => {
		startsAt[starts[c] - first]++;
		for (const o of data.log.occasions[i]) if (o > starts[c] && o <= last) bought[o - first]++;
	});
	const curve: HoldoutReport['weekly'] = [];
	let actual = 0;
	for (let o = first; o <= last; o++) {
		actual += bought[o - first];
		let predicted = 0;
		for (let s = first; s < o; s++) if (startsAt[s - first]) predicted += startsAt[s - first] * BGBB.expectedRepeatPurchases(params, o - s);
		curve.push({ week: o, endDate: String(o), actualCumulative: actual, predictedCumulative: predicted });
	}
	return curve;
}

/** Holdout repeat purchases, actual against the sum of each customer's conditional expectation (FHS 2010, eq. 13), in total and by calibration frequency. */
function holdout(params: ModelParams, data: BgbbData & { log: OccasionLog; index: Int32Array }): Omit<HoldoutReport, 'weekly'> {
	const { rows, customers } = data.histories;
	const [end, holdoutEnd] = [data.calibrationEnd!, data.holdoutEnd!];
	const perRow = Array.from(rows.x, (x, k) => BGBB.conditionalExpectedPurchases(params, x, rows.tx[k], rows.T[k], holdoutEnd - end));
	const groups = Array.from({ length: FREQUENCY_GROUPS }, (_, k) => ({ x: k === FREQUENCY_GROUPS - 1 ? `${k}+` : String(k), customers: 0, actual: 0, predicted: 0 }));
	let [actual, predicted] = [0, 0];
	data.index.forEach((i, c) => {
		const k = customers!.rowOf[c];
		const bought = data.log.occasions[i].filter((o) => o > end && o <= holdoutEnd).length;
		const g = groups[Math.min(rows.x[k], FREQUENCY_GROUPS - 1)];
		g.customers++;
		g.actual += bought;
		g.predicted += perRow[k];
		actual += bought;
		predicted += perRow[k];
	});
	return {
		actualRepeatPurchases: actual,
		predictedRepeatPurchases: predicted,
		relativeError: actual > 0 ? (predicted - actual) / actual : null,
		// Groups nobody is in (more purchases than occasions) are left out rather than drawn at 0.
		byFrequency: groups.filter((g) => g.customers > 0).map((g) => ({ x: g.x, customers: g.customers, actualMean: g.customers ? g.actual / g.customers : 0, predictedMean: g.customers ? g.predicted / g.customers : 0 }))
	};
}

/** Fits BG/BB to the data and makes its report; refuses data too thin to fit, with the counts. */
export function bgbbReport(data: BgbbData): BgbbReport {
	const { rows } = data.histories;
	const repeaters = rows.x.reduce((n, x, i) => n + (x > 0 ? rows.weight[i] : 0), 0);
	if (rows.customers < 10 || repeaters < 5) throw new OccasionError(`${rows.customers} customers, ${repeaters} of them buying again: too few to fit BG/BB (at least 10 and 5)`);
	const fit = fitModel(BGBB, rows);
	const most = rows.T.reduce((m, n) => Math.max(m, n), 0);
	const withLog = data.log && data.index ? (data as BgbbData & { log: OccasionLog; index: Int32Array }) : null;
	return {
		fit,
		label: BGBB.label,
		kind: data.log ? 'log' : 'table',
		calibrationEnd: data.calibrationEnd,
		holdoutEnd: data.holdoutEnd,
		frequency: bgbbFrequency(fit.params, data),
		expected: Array.from({ length: most }, (_, k) => ({ occasions: k + 1, expectedPurchases: BGBB.expectedRepeatPurchases(fit.params, k + 1) })),
		tracking: withLog ? tracking(fit.params, withLog) : null,
		holdout: withLog && data.holdoutEnd !== null ? holdout(fit.params, withLog) : null,
		aliveMatrix: bgbbAliveMatrix(fit.params, Math.min(most, 60))
	};
}

/** Expected purchases over the next `horizon` occasions, each occasion's discounted at `rate`. */
export function discountedPurchases(params: ModelParams, x: number, tx: number, n: number, horizon: number, rate: number): number {
	let total = 0;
	let before = 0;
	for (let k = 1; k <= horizon; k++) {
		const now = BGBB.conditionalExpectedPurchases(params, x, tx, n, k);
		total += (now - before) / Math.pow(1 + rate, k);
		before = now;
	}
	return total;
}

/** Scores as CSV: P(alive) and expected (discounted) purchases in the next `horizon` occasions, per customer (a log) or per row (a table). */
export function bgbbScoresCsv(histories: OccasionHistories, params: ModelParams, horizon: number, rate: number): string {
	const { rows, customers } = histories;
	const perRow = Array.from(rows.x, (x, k) => [BGBB.probabilityAlive(params, x, rows.tx[k], rows.T[k]), discountedPurchases(params, x, rows.tx[k], rows.T[k], horizon, rate)]);
	const head = ['p_alive', rate > 0 ? 'discounted_expected_purchases' : 'expected_purchases'];
	const csv = customers
		? Papa.unparse({ fields: ['customer_id', 'x', 't_x', 'n', ...head], data: customers.ids.map((id, i) => { const k = customers.rowOf[i]; return [id, rows.x[k], rows.tx[k], rows.T[k], ...perRow[k]].map(String); }) }, { newline: '\n' })
		: Papa.unparse({ fields: ['x', 't_x', 'n', 'customers', ...head], data: perRow.map((p, k) => [rows.x[k], rows.tx[k], rows.T[k], rows.weight[k], ...p].map(String)) }, { newline: '\n' });
	return csv + '\n';
}
