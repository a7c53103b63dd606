/**
 * Maximum-likelihood BG/NBD (Fader, Hardie & Lee 2005) on customer
 * summaries (or their unique rows with weights): the log-likelihood in a
 * stable form (log-Gamma, log-sum-exp), fitted as every purchase model is
 * (purchaseModel.ts). Also P(alive) and the conditional expectation of
 * future purchases (their equation 10), which predicts the holdout.
 */
import { logGamma } from '../engine/random';
import { expectedRepeatPurchases, type BgNbdParams } from './bgnbd';
import { hyp2f1 } from './hypergeometric';
import { fitModel, type ModelFit, type ModelParams, type PurchaseModel } from './purchaseModel';
import type { PurchaseRows } from './sufficientStatistics';

export const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

/** Largest repeat count of the summaries (the terms that depend on x alone are computed once per count). */
export function maxCount(x: ArrayLike<number>): number {
	let most = 0;
	for (let i = 0; i < x.length; i++) {
		if (!Number.isInteger(x[i]) || x[i] < 0) throw new Error(`repeat counts are whole numbers, got ${x[i]}`);
		if (x[i] > most) most = x[i];
	}
	return most;
}

/**
 * The BG/NBD log-likelihood of the summaries. The log-Gamma and log-Beta
 * terms depend on x only, and x takes few values (repeat counts), so they are
 * computed once per count: four times faster on a large log, and the same
 * doubles in the same order, so the same result to the last bit. An
 * optimiser passes `most` (the largest count), found once per fit.
 */
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, s: PurchaseRows, most = maxCount(s.x)): number {
	const lbAB = logBeta(a, b);
	const lgR = logGamma(r);
	const counts = most + 1;
	const common = new Float64Array(counts);
	const aliveBeta = new Float64Array(counts);
	const droppedBeta = new Float64Array(counts);
	for (let x = 0; x < counts; x++) {
		common[x] = logGamma(r + x) - lgR + r * Math.log(alpha);
		aliveBeta[x] = logBeta(a, b + x);
		droppedBeta[x] = x > 0 ? logBeta(a + 1, b + x - 1) : 0;
	}
	const weight = s.weight;
	let total = 0;
	for (let i = 0; i < s.x.length; i++) {
		const x = s.x[i];
		const w = weight ? weight[i] : 1;
		const alive = common[x] + aliveBeta[x] - lbAB - (r + x) * Math.log(alpha + s.T[i]);
		if (x === 0) {
			total += w * alive;
			continue;
		}
		const dropped = common[x] + droppedBeta[x] - lbAB - (r + x) * Math.log(alpha + s.tx[i]);
		const top = Math.max(alive, dropped);
		total += w * (top + Math.log(Math.exp(alive - top) + Math.exp(dropped - top)));
	}
	return total;
}

export type BgNbdFit = ModelFit & { params: BgNbdParams; standardErrors: BgNbdParams };

/** Default starts: spread over the plausible range, on the scale of the customers' mean age. */
function bgnbdStarts(meanT: number): BgNbdParams[] {
	return [
		{ r: 1, alpha: meanT / 4, a: 1, b: 1 },
		{ r: 0.3, alpha: meanT / 10, a: 0.5, b: 3 },
		{ r: 2, alpha: meanT, a: 2, b: 5 },
		{ r: 0.5, alpha: meanT / 2, a: 1.5, b: 1.5 }
	];
}

/** P(alive | x, t_x, T) under BG/NBD: a customer with no repeat purchase has had no chance to leave. */
export function bgnbdProbabilityAlive({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
	if (x === 0) return 1;
	return 1 / (1 + (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))));
}

/** BG/NBD as a purchase model. */
export const BGNBD: PurchaseModel = {
	id: 'bgnbd',
	label: 'BG/NBD',
	names: ['r', 'alpha', 'a', 'b'],
	logLikelihood: (p, rows) => bgnbdLogLikelihood(p as unknown as BgNbdParams, rows),
	expectedRepeatPurchases: (p, t) => expectedRepeatPurchases(p as unknown as BgNbdParams, t),
	conditionalExpectedPurchases: (p, x, tx, T, t) => conditionalExpectedPurchases(p as unknown as BgNbdParams, x, tx, T, t),
	probabilityAlive: (p, x, tx, T) => bgnbdProbabilityAlive(p as unknown as BgNbdParams, x, tx, T),
	starts: (meanT) => bgnbdStarts(meanT) as unknown as ModelParams[]
};

/** Fits the BG/NBD model from several starts and keeps the best optimum (over the rows given: pass purchaseRows(summary) for the compressed fit). */
export function fitBgNbd(s: PurchaseRows, starts?: BgNbdParams[]): BgNbdFit {
	return fitModel(BGNBD, s, starts as unknown as ModelParams[] | undefined) as BgNbdFit;
}

/** E[Y(t) | x, t_x, T]: expected repeat purchases in the next t of a customer with this history (FHL 2005, eq. 10). */
export function conditionalExpectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
	if (t <= 0) return 0;
	// At a = 1 the formula is 0/0: the mean of the values either side, as for E[X(t)].
	const h = 1e-4;
	if (Math.abs(params.a - 1) < h) return (conditional({ ...params, a: 1 - h }, x, tx, T, t) + conditional({ ...params, a: 1 + h }, x, tx, T, t)) / 2;
	return conditional(params, x, tx, T, t);
}

function conditional({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number, t: number): number {
	const z = t / (alpha + T + t);
	const head = (a + b + x - 1) / (a - 1);
	const body = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
	const alive = x > 0 ? 1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 1;
	return (head * body) / alive;
}
