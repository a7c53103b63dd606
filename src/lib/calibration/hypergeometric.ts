/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real z < 1, as the
 * BG/NBD closed forms need it. For 0 ≤ z ≤ 0.99 the power series is summed
 * directly (for the model's positive parameters its terms keep one sign, so
 * there is no cancellation, and a few thousand terms suffice); above 0.99
 * the connection formula to 1 − z (Abramowitz & Stegun 15.3.6) is used unless
 * c − a − b is too close to an integer (it loses digits to cancellation when
 * parameters are large, so it is kept for where the series is too slow); for z < 0 Pfaff's transformation
 * maps z into [0, 1).
 */
import { logGamma } from '../engine/random';

const MAX_TERMS = 2_000_000;

/** 2F1(a, b; c; z) for z < 1 and c not a non-positive integer. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
	if (!(z < 1)) throw new RangeError(`hyp2f1 needs z < 1, got ${z}`);
	if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1 needs c not a non-positive integer, got ${c}`);
	if (z < 0) {
		// Pfaff: 2F1(a, b; c; z) = (1 − z)^(−a) · 2F1(a, c − b; c; z / (z − 1)).
		return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
	}
	const s = c - a - b;
	if (z > 0.99 && Math.abs(s - Math.round(s)) > 1e-3) return nearOne(a, b, c, z);
	return series(a, b, c, z);
}

/** A&S 15.3.6: 2F1 at z from two series in 1 − z, with the Gamma ratios taken as signed logs so large parameters do not overflow. */
function nearOne(a: number, b: number, c: number, z: number): number {
	const w = 1 - z;
	const s = c - a - b;
	const first = gammaRatio([c, s], [c - a, c - b]);
	const second = gammaRatio([c, -s], [a, b]);
	const left = first === 0 ? 0 : first * series(a, b, 1 - s, w);
	const right = second === 0 ? 0 : Math.exp(s * Math.log(w) + Math.log(Math.abs(second))) * Math.sign(second) * series(c - a, c - b, s + 1, w);
	const value = left + right;
	if (!Number.isFinite(value)) throw new RangeError(`hyp2f1 overflowed for a=${a}, b=${b}, c=${c}, z=${z}`);
	return value;
}

/** Γ(n1)·Γ(n2)·… / (Γ(d1)·Γ(d2)·…), 0 when a denominator argument is a pole (1/Γ = 0 there). */
function gammaRatio(numerator: number[], denominator: number[]): number {
	let logSize = 0;
	let sign = 1;
	for (const x of denominator) {
		if (x <= 0 && Number.isInteger(x)) return 0;
		const [l, sg] = signedLogGamma(x);
		logSize -= l;
		sign *= sg;
	}
	for (const x of numerator) {
		if (x <= 0 && Number.isInteger(x)) throw new RangeError(`hyp2f1: Γ(${x}) is a pole`);
		const [l, sg] = signedLogGamma(x);
		logSize += l;
		sign *= sg;
	}
	return sign * Math.exp(logSize);
}

/** [log |Γ(x)|, sign of Γ(x)] for real x that is not a pole. */
function signedLogGamma(x: number): [number, number] {
	if (x > 0) return [logGamma(x), 1];
	// Reflection: Γ(x) = π / (sin(πx) Γ(1 − x)).
	const sine = Math.sin(Math.PI * x);
	return [Math.log(Math.PI / Math.abs(sine)) - logGamma(1 - x), Math.sign(sine)];
}

function series(a: number, b: number, c: number, z: number): number {
	let term = 1;
	let sum = 1;
	for (let n = 0; n < MAX_TERMS; n++) {
		term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
		sum += term;
		// Once n exceeds the parameters the terms shrink at least geometrically, so a negligible term ends the sum.
		if (n > Math.abs(a) + Math.abs(b) + Math.abs(c) && Math.abs(term) < 1e-17 * Math.abs(sum)) return sum;
	}
	throw new RangeError(`hyp2f1 series did not converge for a=${a}, b=${b}, c=${c}, z=${z}`);
}
