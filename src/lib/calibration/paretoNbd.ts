/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchases at
 * rate λ ~ Gamma(r, α) while alive; each customer's lifetime is exponential
 * with rate μ ~ Gamma(s, β), in continuous time, independent of purchases.
 * The likelihood as in Fader & Hardie's 2005 note ("A Note on Deriving the
 * Pareto/NBD Model and Related Expressions"), with its 2F1 branch chosen by
 * whether α ≥ β, so the argument stays in [0, 1); computed in logs.
 */
import { logGamma } from '../engine/random';
import { maxCount } from './bgnbdFit';
import { hyp2f1 } from './hypergeometric';
import type { ModelParams, PurchaseModel } from './purchaseModel';
import type { PurchaseRows } from './sufficientStatistics';

/** log(e^p − e^q) for p ≥ q (−Infinity when they are equal). */
const logDiff = (p: number, q: number) => p + Math.log1p(-Math.exp(q - p));
/** log(e^p + e^q). */
const logSum = (p: number, q: number) => {
	const top = Math.max(p, q);
	return top === -Infinity ? -Infinity : top + Math.log(Math.exp(p - top) + Math.exp(q - top));
};

/** log A₀ of the note (its equation 19 or 20 by the branch): the chance of dying in (t_x, T], without the constant factors. */
export function logA0({ r, alpha, s, beta }: ModelParams, x: number, tx: number, T: number): number {
	const rsx = r + s + x;
	const [low, high, second] = alpha >= beta ? [beta, alpha, s + 1] : [alpha, beta, r + x];
	const gap = high - low;
	const at = (t: number) => Math.log(hyp2f1(rsx, second, rsx + 1, gap / (high + t))) - rsx * Math.log(high + t);
	if (tx >= T) return -Infinity;
	return logDiff(at(tx), at(T));
}

/** The Pareto/NBD log-likelihood of the rows. */
export function paretoNbdLogLikelihood(params: ModelParams, rows: PurchaseRows, most = maxCount(rows.x)): number {
	const { r, alpha, s, beta } = params;
	const head = new Float64Array(most + 1);
	for (let x = 0; x <= most; x++) head[x] = logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
	let total = 0;
	try {
		for (let i = 0; i < rows.x.length; i++) {
			const x = rows.x[i];
			const T = rows.T[i];
			const w = rows.weight ? rows.weight[i] : 1;
			const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
			const died = Math.log(s) - Math.log(r + s + x) + logA0(params, x, rows.tx[i], T);
			total += w * (head[x] + logSum(alive, died));
		}
	} catch (error) {
		// A point where 2F1 cannot be computed is no optimum: the optimiser steps away from it.
		if (error instanceof RangeError) return NaN;
		throw error;
	}
	return total;
}

/** [1 − q^k] / k, and its limit −log q at k = 0 (q = e^logQ). */
const shrink = (k: number, logQ: number) => (Math.abs(k) < 1e-12 ? -logQ : -Math.expm1(k * logQ) / k);

/** E[X(t)] under Pareto/NBD (the note's equation 17). */
export function paretoNbdExpected({ r, alpha, s, beta }: ModelParams, t: number): number {
	if (t <= 0) return 0;
	return ((r * beta) / alpha) * shrink(s - 1, Math.log(beta / (beta + t)));
}

/** P(alive | x, t_x, T) under Pareto/NBD (the note's equation 18). */
export function paretoNbdProbabilityAlive(params: ModelParams, x: number, tx: number, T: number): number {
	const { r, alpha, s, beta } = params;
	const log = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0(params, x, tx, T);
	return 1 / (1 + Math.exp(log));
}

/** E[Y(t) | x, t_x, T] under Pareto/NBD (the note's equation 22). */
export function paretoNbdConditional(params: ModelParams, x: number, tx: number, T: number, t: number): number {
	if (t <= 0) return 0;
	const { r, alpha, s, beta } = params;
	return (((r + x) * (beta + T)) / (alpha + T)) * shrink(s - 1, Math.log((beta + T) / (beta + T + t))) * paretoNbdProbabilityAlive(params, x, tx, T);
}

/** Pareto/NBD as a purchase model. */
export const PARETO_NBD: PurchaseModel = {
	id: 'paretoNbd',
	label: 'Pareto/NBD',
	names: ['r', 'alpha', 's', 'beta'],
	logLikelihood: paretoNbdLogLikelihood,
	expectedRepeatPurchases: paretoNbdExpected,
	conditionalExpectedPurchases: paretoNbdConditional,
	probabilityAlive: paretoNbdProbabilityAlive,
	starts: (meanT) => [
		{ r: 0.5, alpha: meanT / 4, s: 0.5, beta: meanT },
		{ r: 1, alpha: meanT / 2, s: 1.5, beta: 2 * meanT },
		{ r: 0.3, alpha: meanT / 10, s: 0.8, beta: meanT / 2 }
	]
};
