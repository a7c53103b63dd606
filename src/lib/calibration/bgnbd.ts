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
export function expectedRepeatPurchases({ r, alpha, a, b }: BgNbdParams, t: number): number {
	if (t <= 0) return 0;
	const z = t / (alpha + t);
	return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}
