/**
 * Maximum-likelihood Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM
 * and CLV"; Colombo & Jiang 1999) on repeat customers' mean transaction
 * values: a transaction is Gamma(p, ν), ν ~ Gamma(q, γ) across customers.
 */
import { logGamma } from '../engine/random';
import { maxCount } from './bgnbdFit';
import { nelderMead } from './optimize';
import type { CustomerSummary } from './summary';

export interface GammaGammaParams {
	p: number;
	q: number;
	gamma: number;
}

/**
 * Log-likelihood of the mean spends m of customers with x > 0 repeat
 * transactions. The terms in x alone are computed once per repeat count (the
 * same doubles, added in the same order, as computing them per customer).
 * An optimiser passes `most` (the largest count), found once per fit.
 */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, x: ArrayLike<number>, m: ArrayLike<number>, most = maxCount(x)): number {
	const head = new Float64Array(most + 1);
	const tail = new Float64Array(most + 1);
	for (let k = 1; k <= most; k++) {
		const px = p * k;
		head[k] = logGamma(px + q) - logGamma(px) - logGamma(q) + q * Math.log(gamma);
		tail[k] = px * Math.log(k);
	}
	let total = 0;
	for (let i = 0; i < x.length; i++) {
		if (!(x[i] > 0 && m[i] > 0)) continue;
		const px = p * x[i];
		total += head[x[i]] + (px - 1) * Math.log(m[i]) + tail[x[i]] - (px + q) * Math.log(gamma + m[i] * x[i]);
	}
	return total;
}

/** Starts of the optimiser, in log-parameters (p, q, γ). */
export const GAMMA_GAMMA_STARTS = [
	[1, 1, 1],
	[Math.log(5), Math.log(3), Math.log(10)]
];

/** One start's optimum in log-parameters. */
export interface GammaGammaStartResult {
	logs: number[];
	negativeLogLikelihood: number;
}

/** Nelder–Mead from one start (independent of the others, so a sharded calibration can run it apart). */
export function optimiseGammaGammaStart(s: CustomerSummary, start: number[]): GammaGammaStartResult {
	const most = maxCount(s.x);
	const negative = (logs: number[]) => {
		if (logs.some((v) => Math.abs(v) > 20)) return Infinity;
		const ll = gammaGammaLogLikelihood({ p: Math.exp(logs[0]), q: Math.exp(logs[1]), gamma: Math.exp(logs[2]) }, s.x, s.meanRepeatSpend, most);
		return Number.isFinite(ll) ? -ll : Infinity;
	};
	const m = nelderMead(negative, start);
	return { logs: m.point, negativeLogLikelihood: m.value };
}

/** The fit from every start's optimum: the best one. */
export function gammaGammaFitFromStarts(s: CustomerSummary, runs: GammaGammaStartResult[]): { params: GammaGammaParams; logLikelihood: number; customers: number } {
	const best = runs.reduce((x, y) => (y.negativeLogLikelihood < x.negativeLogLikelihood ? y : x));
	const customers = Array.from(s.x).filter((x, i) => x > 0 && s.meanRepeatSpend[i] > 0).length;
	return { params: { p: Math.exp(best.logs[0]), q: Math.exp(best.logs[1]), gamma: Math.exp(best.logs[2]) }, logLikelihood: -best.negativeLogLikelihood, customers };
}

/** Fits the Gamma-Gamma model to the repeat customers of a summary. */
export function fitGammaGamma(s: CustomerSummary): { params: GammaGammaParams; logLikelihood: number; customers: number } {
	return gammaGammaFitFromStarts(s, GAMMA_GAMMA_STARTS.map((start) => optimiseGammaGammaStart(s, start)));
}
