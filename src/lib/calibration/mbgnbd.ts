/**
 * The MBG/NBD model (Batislam, Denizel & Filiztekin 2007): BG/NBD in which a
 * customer may also leave right after the first purchase, not only after a
 * repeat one, so a customer who never came back need not be alive.
 * Closed forms as in their paper (and the lifetimes library's).
 */
import { logGamma } from '../engine/random';
import { logBeta, maxCount } from './bgnbdFit';
import { hyp2f1 } from './hypergeometric';
import type { ModelParams, PurchaseModel } from './purchaseModel';
import type { PurchaseRows } from './sufficientStatistics';

/** The MBG/NBD log-likelihood; terms in x alone are computed once per count. */
export function mbgnbdLogLikelihood({ r, alpha, a, b }: ModelParams, s: PurchaseRows, most = maxCount(s.x)): number {
	const lbAB = logBeta(a, b);
	const lgR = logGamma(r);
	const head = new Float64Array(most + 1);
	const leave = new Float64Array(most + 1);
	for (let x = 0; x <= most; x++) {
		head[x] = logGamma(r + x) - lgR + r * Math.log(alpha) + logBeta(a, b + x + 1) - lbAB;
		leave[x] = Math.log(a) - Math.log(b + x);
	}
	let total = 0;
	for (let i = 0; i < s.x.length; i++) {
		const x = s.x[i];
		const w = s.weight ? s.weight[i] : 1;
		const alive = -(r + x) * Math.log(alpha + s.T[i]);
		const dropped = leave[x] - (r + x) * Math.log(alpha + s.tx[i]);
		const top = Math.max(alive, dropped);
		total += w * (head[x] + top + Math.log(Math.exp(alive - top) + Math.exp(dropped - top)));
	}
	return total;
}

/** Near a = 1 the closed forms are 0/0: the mean of the values either side (error of order h²). */
function aroundOne(params: ModelParams, f: (p: ModelParams) => number): number {
	const h = 1e-4;
	if (Math.abs(params.a - 1) >= h) return f(params);
	return (f({ ...params, a: 1 - h }) + f({ ...params, a: 1 + h })) / 2;
}

/**
 * E[X(t)] under MBG/NBD: the mean over p ~ Beta(a, b), λ ~ Gamma(r, α) of
 * ((1 − p)/p)(1 − e^{−λpt}), the first factor b/(a − 1) because the customer
 * must first survive the dropout at the first purchase. (The lifetimes
 * library writes (a + b − 1)/(a − 1), BG/NBD's factor, which disagrees with
 * the model's own likelihood and with mbgnbdConditional at x = t_x = T = 0.)
 */
export function mbgnbdExpected(params: ModelParams, t: number): number {
	if (t <= 0) return 0;
	return aroundOne(params, ({ r, alpha, a, b }) => (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t))));
}

/** P(alive | x, t_x, T) under MBG/NBD. */
export function mbgnbdProbabilityAlive({ r, alpha, a, b }: ModelParams, x: number, tx: number, T: number): number {
	return 1 / (1 + (a / (b + x)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))));
}

/** E[Y(t) | x, t_x, T] under MBG/NBD. */
export function mbgnbdConditional(params: ModelParams, x: number, tx: number, T: number, t: number): number {
	if (t <= 0) return 0;
	return aroundOne(params, ({ r, alpha, a, b }) => {
		const body = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t));
		return ((a + b + x) / (a - 1)) * body * mbgnbdProbabilityAlive({ r, alpha, a, b }, x, tx, T);
	});
}

/** MBG/NBD as a purchase model. */
export const MBGNBD: PurchaseModel = {
	id: 'mbgnbd',
	label: 'MBG/NBD',
	names: ['r', 'alpha', 'a', 'b'],
	logLikelihood: mbgnbdLogLikelihood,
	expectedRepeatPurchases: mbgnbdExpected,
	conditionalExpectedPurchases: mbgnbdConditional,
	probabilityAlive: mbgnbdProbabilityAlive,
	starts: (meanT) => [
		{ r: 1, alpha: meanT / 4, a: 1, b: 1 },
		{ r: 0.3, alpha: meanT / 10, a: 0.5, b: 3 },
		{ r: 2, alpha: meanT, a: 2, b: 5 }
	]
};
