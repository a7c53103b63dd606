/**
 * E[X(t)] of the BG/NBD model by numerical integration, independent of the
 * hypergeometric closed form: given λ and p, E[X(t)] = (1 − e^(−λpt)) / p;
 * averaging over λ ~ Gamma(r, α) gives (1 − (α / (α + pt))^r) / p, left to
 * integrate over p ~ Beta(a, b). When a < 1, substituting p = u^(1/a)
 * removes the p^(a − 1) singularity at 0.
 */
import { logGamma } from '../../src/lib/engine/random';

export function expectedRepeatPurchasesByIntegral(r: number, alpha: number, a: number, b: number, t: number): number {
	const logBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
	const k = a < 1 ? 1 / a : 1;
	// Integrand in u, with p = u^k; the Jacobian k·u^(k−1) merges with p^(a−1) into (k·u^(k(a−1)+k−1)).
	const f = (u: number) => {
		const p = Math.pow(u, k);
		if (p >= 1) return 0;
		const given = p > 0 ? (1 - Math.pow(alpha / (alpha + p * t), r)) / p : (r * t) / alpha;
		const weight = k * Math.pow(u, k * (a - 1) + k - 1);
		return given * weight * Math.pow(1 - p, b - 1);
	};
	// Composite Simpson's rule on u in [0, 1].
	const n = 200_000;
	const h = 1 / n;
	let sum = f(0) + f(1);
	for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
	return (sum * h) / 3 / Math.exp(logBeta);
}
