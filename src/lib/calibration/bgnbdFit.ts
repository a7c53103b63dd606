/**
 * Maximum-likelihood BG/NBD (Fader, Hardie & Lee 2005) on customer
 * summaries: the log-likelihood in a stable form (log-Gamma, log-sum-exp),
 * Nelder–Mead on the parameters' logs from several starts, and standard
 * errors from the numerical Hessian. Also the conditional expectation of
 * future purchases (their equation 10), which predicts the holdout.
 */
import { logGamma } from '../engine/random';
import type { BgNbdParams } from './bgnbd';
import { hyp2f1 } from './hypergeometric';
import { hessian, invert, nelderMead } from './optimize';
import type { CustomerSummary } from './summary';

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
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, s: Pick<CustomerSummary, 'x' | 'tx' | 'T'>, most = maxCount(s.x)): number {
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
	let total = 0;
	for (let i = 0; i < s.x.length; i++) {
		const x = s.x[i];
		const alive = common[x] + aliveBeta[x] - lbAB - (r + x) * Math.log(alpha + s.T[i]);
		if (x === 0) {
			total += alive;
			continue;
		}
		const dropped = common[x] + droppedBeta[x] - lbAB - (r + x) * Math.log(alpha + s.tx[i]);
		const top = Math.max(alive, dropped);
		total += top + Math.log(Math.exp(alive - top) + Math.exp(dropped - top));
	}
	return total;
}

export interface BgNbdFit {
	params: BgNbdParams;
	standardErrors: BgNbdParams;
	logLikelihood: number;
	/** Each start and the optimum it reached. */
	starts: { start: BgNbdParams; params: BgNbdParams; logLikelihood: number; converged: boolean }[];
}

const NAMES = ['r', 'alpha', 'a', 'b'] as const;
const toParams = (logs: number[]): BgNbdParams => ({ r: Math.exp(logs[0]), alpha: Math.exp(logs[1]), a: Math.exp(logs[2]), b: Math.exp(logs[3]) });

/** Default starts: spread over the plausible range, on the chosen time unit's scale. */
export function defaultStarts(s: CustomerSummary): BgNbdParams[] {
	const meanT = s.T.reduce((x, y) => x + y, 0) / s.customers || 1;
	return [
		{ r: 1, alpha: meanT / 4, a: 1, b: 1 },
		{ r: 0.3, alpha: meanT / 10, a: 0.5, b: 3 },
		{ r: 2, alpha: meanT, a: 2, b: 5 },
		{ r: 0.5, alpha: meanT / 2, a: 1.5, b: 1.5 }
	];
}

/** One start's optimum; `logs` is the point in log-parameters, so a fit can be finished from it elsewhere. */
export interface BgNbdStartResult {
	start: BgNbdParams;
	params: BgNbdParams;
	logLikelihood: number;
	converged: boolean;
	logs: number[];
}

function negativeLogLikelihood(s: CustomerSummary): (logs: number[]) => number {
	const most = maxCount(s.x);
	return (logs) => {
		if (logs.some((v) => Math.abs(v) > 20)) return Infinity;
		const ll = bgnbdLogLikelihood(toParams(logs), s, most);
		return Number.isFinite(ll) ? -ll : Infinity;
	};
}

/** Nelder–Mead from one start: the expensive part of a fit, and independent of the other starts (a sharded calibration runs them apart). */
export function optimiseBgNbdStart(s: CustomerSummary, start: BgNbdParams): BgNbdStartResult {
	const m = nelderMead(negativeLogLikelihood(s), NAMES.map((k) => Math.log(start[k])));
	return { start, params: toParams(m.point), logLikelihood: -m.value, converged: m.converged, logs: m.point };
}

/** The fit from every start's optimum: the best one, with standard errors from the Hessian there. */
export function bgNbdFitFromStarts(s: CustomerSummary, runs: BgNbdStartResult[]): BgNbdFit {
	const best = runs.reduce((x, y) => (y.logLikelihood > x.logLikelihood ? y : x));
	// Standard errors: the inverse of the observed information in log-parameters, carried to the parameters (SE(θ) = θ · SE(log θ)).
	const covariance = invert(hessian(negativeLogLikelihood(s), best.logs));
	const params = best.params;
	// A non-positive variance means the optimum is not a proper maximum there: say so with NaN rather than a confident 0.
	const se = (i: number) => (covariance[i][i] > 0 ? params[NAMES[i]] * Math.sqrt(covariance[i][i]) : NaN);
	return {
		params,
		standardErrors: { r: se(0), alpha: se(1), a: se(2), b: se(3) },
		logLikelihood: best.logLikelihood,
		starts: runs.map(({ start, params: p, logLikelihood, converged }) => ({ start, params: p, logLikelihood, converged }))
	};
}

/** Fits the BG/NBD model from several starts and keeps the best optimum. */
export function fitBgNbd(s: CustomerSummary, starts = defaultStarts(s)): BgNbdFit {
	return bgNbdFitFromStarts(s, starts.map((start) => optimiseBgNbdStart(s, start)));
}

/** E[Y(t) | x, t_x, T]: expected repeat purchases in the next t of a customer with this history (FHL 2005, eq. 10). */
export function conditionalExpectedPurchases({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number, t: number): number {
	if (t <= 0) return 0;
	const z = t / (alpha + T + t);
	const head = (a + b + x - 1) / (a - 1);
	const body = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
	const alive = x > 0 ? 1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 1;
	return (head * body) / alive;
}
