/**
 * Closed forms of the BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your
 * Customers the Easy Way"). λ ~ Gamma(r, α) purchases per unit of time; after
 * each repeat purchase a customer leaves for good with p ~ Beta(a, b).
 */
import { hyp2f1 } from './hypergeometric';

/** BG/NBD parameters; α is in the same time unit as t. */
export interface BgNbdParams {
	r: number;
	alpha: number;
	a: number;
	b: number;
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a customer who made a first
 * purchase at time 0 (equation 7 of the paper).
 */
export function expectedRepeatPurchases(params: BgNbdParams, t: number): number {
	if (t <= 0) return 0;
	// At a = 1 the formula is 0/0; its limit is the mean of the values either side (error of order h²).
	const h = 1e-4;
	if (Math.abs(params.a - 1) < h) return (closedForm({ ...params, a: 1 - h }, t) + closedForm({ ...params, a: 1 + h }, t)) / 2;
	return closedForm(params, t);
}

function closedForm({ r, alpha, a, b }: BgNbdParams, t: number): number {
	const z = t / (alpha + t);
	return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}
