/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real z < 1, as the
 * BG/NBD closed forms need it. For 0 ≤ z ≤ 0.9 the power series is summed
 * directly (for the model's positive parameters its terms keep one sign, so
 * there is no cancellation); above 0.9 the series slows down, and the
 * connection formula to 1 − z (Abramowitz & Stegun 15.3.6) is used unless
 * c − a − b is too close to an integer; for z < 0 Pfaff's transformation
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
	if (z > 0.9 && Math.abs(s - Math.round(s)) > 1e-3) return nearOne(a, b, c, z);
	return series(a, b, c, z);
}

/** A&S 15.3.6: 2F1 at z from two series in 1 − z. */
function nearOne(a: number, b: number, c: number, z: number): number {
	const w = 1 - z;
	const s = c - a - b;
	const first = gamma(c) * gamma(s) / (gamma(c - a) * gamma(c - b));
	const second = Math.pow(w, s) * gamma(c) * gamma(-s) / (gamma(a) * gamma(b));
	const left = first === 0 || !Number.isFinite(first) ? 0 : first * series(a, b, 1 - s, w);
	const right = second === 0 || !Number.isFinite(second) ? 0 : second * series(c - a, c - b, s + 1, w);
	return left + right;
}

/** Γ(x) for real x (negative non-integers through the reflection formula); 1/Γ at poles is 0, so Γ is Infinity there. */
function gamma(x: number): number {
	if (x <= 0 && Number.isInteger(x)) return Infinity;
	if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
	return Math.exp(logGamma(x));
}

function series(a: number, b: number, c: number, z: number): number {
	let term = 1;
	let sum = 1;
	for (let n = 0; n < MAX_TERMS; n++) {
		term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
		sum += term;
		if (term === 0 || Math.abs(term) < 1e-17 * Math.abs(sum)) {
			// Beyond this point the terms shrink at least geometrically once n exceeds the parameters.
			if (n > Math.abs(a) + Math.abs(b) + Math.abs(c)) return sum;
		}
	}
	throw new RangeError(`hyp2f1 series did not converge for a=${a}, b=${b}, c=${c}, z=${z}`);
}
