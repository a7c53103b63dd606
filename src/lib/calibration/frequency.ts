/**
 * How many customers made 0, 1, 2, … repeat purchases in the calibration
 * period, actual against what the fitted BG/NBD model expects: the check of
 * the fit's shape that Fader, Hardie & Lee (2005) draw as their figure 3. The
 * expectation sums each customer's P(X(T) = x) over their own T (equation 8
 * of the paper), grouped by T since many customers share it.
 */
import { logGamma } from '../engine/random';
import type { BgNbdParams } from './bgnbd';
import { logBeta } from './bgnbdFit';
import type { CustomerSummary } from './summary';

/** The last group holds this many repeat purchases and more. */
export const FREQUENCY_GROUPS = 8;

export interface FrequencyGroup {
	/** "0", "1", …, "7+". */
	x: string;
	actual: number;
	expected: number;
}

/** P(X(t) = x) for x = 0 … upTo − 1 (FHL 2005, eq. 8), in log space where the terms can underflow. */
export function purchaseCountProbabilities({ r, alpha, a, b }: BgNbdParams, t: number, upTo: number): number[] {
	const lbAB = logBeta(a, b);
	const lgR = logGamma(r);
	const logShare = Math.log(alpha / (alpha + t));
	const logRest = Math.log(t / (alpha + t));
	const probabilities: number[] = [];
	// Σ_{j<x} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j, the negative-binomial terms so far (times (α/(α+t))^r, a CDF below x).
	let below = 0;
	for (let x = 0; x < upTo; x++) {
		const logTerm = logGamma(r + x) - lgR - logGamma(x + 1) + r * logShare + x * logRest;
		let p = Math.exp(logBeta(a, b + x) - lbAB + logTerm);
		if (x > 0) p += Math.exp(logBeta(a + 1, b + x - 1) - lbAB) * Math.max(0, 1 - below);
		probabilities.push(p);
		below += Math.exp(logTerm);
	}
	return probabilities;
}

/** Customers by repeat purchases in calibration (0 … 7+), actual and expected under the fitted parameters. */
export function frequencyCheck(params: BgNbdParams, s: CustomerSummary): FrequencyGroup[] {
	const groups = Array.from({ length: FREQUENCY_GROUPS }, (_, k) => ({ x: k === FREQUENCY_GROUPS - 1 ? `${k}+` : String(k), actual: 0, expected: 0 }));
	const byAge = new Map<number, number>();
	for (let i = 0; i < s.customers; i++) {
		groups[Math.min(s.x[i], FREQUENCY_GROUPS - 1)].actual++;
		byAge.set(s.T[i], (byAge.get(s.T[i]) ?? 0) + 1);
	}
	for (const [T, customers] of byAge) {
		const p = purchaseCountProbabilities(params, T, FREQUENCY_GROUPS - 1);
		let below = 0;
		p.forEach((share, x) => {
			groups[x].expected += customers * share;
			below += share;
		});
		groups[FREQUENCY_GROUPS - 1].expected += customers * Math.max(0, 1 - below);
	}
	return groups;
}
