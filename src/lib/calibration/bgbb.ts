/**
 * The BG/BB model (Fader, Hardie & Shang 2010) for discrete opportunities: a
 * customer can buy only at fixed occasions (a weekly class, a monthly box, a
 * yearly renewal). While alive, a customer buys at each occasion with
 * probability p ~ Beta(α, β); before each occasion an alive customer dies
 * with probability θ ~ Beta(γ, δ). A history is (x, t_x, n): repeat
 * purchases, the occasion of the last one and the occasions since the first
 * purchase; here n rides in the rows' T, so the fitting machinery is shared.
 */
import { logBeta } from './bgnbdFit';
import { logGamma } from '../engine/random';
import type { ModelParams, PurchaseModel } from './purchaseModel';
import type { PurchaseRows } from './sufficientStatistics';

/** log(e^p + e^q). */
const logSum = (p: number, q: number) => {
	const top = Math.max(p, q);
	return top === -Infinity ? -Infinity : top + Math.log(Math.exp(p - top) + Math.exp(q - top));
};

/** log L(α, β, γ, δ | x, t_x, n): alive through all n occasions, or died after occasion t_x + i (FHS 2010, eq. 5). */
export function bgbbLogLikelihoodOne({ alpha, beta, gamma, delta }: ModelParams, x: number, tx: number, n: number): number {
	const lbAB = logBeta(alpha, beta);
	const lbGD = logBeta(gamma, delta);
	let total = logBeta(alpha + x, beta + n - x) - lbAB + logBeta(gamma, delta + n) - lbGD;
	for (let i = 0; i <= n - tx - 1; i++) total = logSum(total, logBeta(alpha + x, beta + tx - x + i) - lbAB + logBeta(gamma + 1, delta + tx + i) - lbGD);
	return total;
}

/** The BG/BB log-likelihood of the rows (T holds n). */
export function bgbbLogLikelihood(params: ModelParams, rows: PurchaseRows): number {
	let total = 0;
	for (let i = 0; i < rows.x.length; i++) total += (rows.weight ? rows.weight[i] : 1) * bgbbLogLikelihoodOne(params, rows.x[i], rows.tx[i], rows.T[i]);
	return total;
}

/** E[X(n)]: expected purchases in the first n occasions of a new customer (FHS 2010, eq. 7). */
export function bgbbExpected({ alpha, beta, gamma, delta }: ModelParams, n: number): number {
	if (n <= 0) return 0;
	const ratio = Math.exp(logGamma(gamma + delta) - logGamma(gamma + delta + n) + logGamma(1 + delta + n) - logGamma(1 + delta));
	return (alpha / (alpha + beta)) * (delta / (gamma - 1)) * (1 - ratio);
}

/** P(alive at occasion n + 1 | x, t_x, n) (FHS 2010, eq. 11). */
export function bgbbProbabilityAlive(params: ModelParams, x: number, tx: number, n: number): number {
	const { alpha, beta, gamma, delta } = params;
	const alive = logBeta(alpha + x, beta + n - x) - logBeta(alpha, beta) + logBeta(gamma, delta + n + 1) - logBeta(gamma, delta);
	return Math.exp(alive - bgbbLogLikelihoodOne(params, x, tx, n));
}

/** E[purchases in the next m occasions | x, t_x, n] (FHS 2010, eq. 13). */
export function bgbbConditional(params: ModelParams, x: number, tx: number, n: number, m: number): number {
	if (m <= 0) return 0;
	const { alpha, beta, gamma, delta } = params;
	const head = logBeta(alpha + x + 1, beta + n - x) - logBeta(alpha, beta) - bgbbLogLikelihoodOne(params, x, tx, n);
	const g = (k: number) => Math.exp(logGamma(1 + delta + k) - logGamma(gamma + delta + k));
	const tail = (delta / (gamma - 1)) * Math.exp(logGamma(gamma + delta) - logGamma(1 + delta)) * (g(n) - g(n + m));
	return Math.exp(head) * tail;
}

/** BG/BB as a purchase model: time is counted in occasions. */
export const BGBB: PurchaseModel = {
	id: 'bgbb',
	label: 'BG/BB',
	names: ['alpha', 'beta', 'gamma', 'delta'],
	logLikelihood: bgbbLogLikelihood,
	expectedRepeatPurchases: bgbbExpected,
	conditionalExpectedPurchases: (p, x, tx, n, m) => bgbbConditional(p, x, tx, n, m),
	probabilityAlive: bgbbProbabilityAlive,
	starts: () => [
		{ alpha: 1, beta: 1, gamma: 1.5, delta: 1 },
		{ alpha: 0.5, beta: 2, gamma: 0.5, delta: 3 },
		{ alpha: 2, beta: 0.5, gamma: 2, delta: 5 }
	]
};
