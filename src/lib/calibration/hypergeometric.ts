/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real z < 1, as the
 * buy-till-you-die closed forms need it. Up to z = 0.99 the power series is
 * summed, stopping on a bound of the whole tail (not on parameter size, so a
 * b of 10⁸ at the edge of a fit costs no more than b = 3). Above 0.99 the
 * connection formula to 1 − z (Abramowitz & Stegun 15.3.6) is used; where
 * c − a − b is within 10⁻⁴ of an integer that formula is 0/0-like, so its
 * values at four points around the integer are interpolated (the function is
 * analytic in c). For z < 0 Pfaff's transformation maps z into [0, 1).
 */
import { logGamma } from '../engine/random';

const MAX_TERMS = 2_000_000;
/** Above this z the series is slow (thousands of terms) and the connection formula takes over. */
const SERIES_UP_TO = 0.99;
/** Closer than this to an integer, c − a − b is interpolated around the integer at ±STEP, ±2·STEP. */
const NEAR_INTEGER = 1e-4;
const STEP = 2e-4;

/** 2F1(a, b; c; z) for z < 1 and c not a non-positive integer; a RangeError when it cannot be computed to full precision. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
	if (!(z < 1)) throw new RangeError(`hyp2f1 needs z < 1, got ${z}`);
	if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1 needs c not a non-positive integer, got ${c}`);
	if (z < 0) {
		// Pfaff: 2F1(a, b; c; z) = (1 − z)^(−a) · 2F1(a, c − b; c; z / (z − 1)).
		return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
	}
	if (z <= SERIES_UP_TO) return series(a, b, c, z);
	const s = c - a - b;
	const n = Math.round(s);
	if (Math.abs(s - n) >= NEAR_INTEGER) return nearOne(a, b, c, z);
	// Cubic through c' = c + (n − s) + k·STEP, k = −2, −1, 1, 2, evaluated at offset e = s − n (|e| < STEP/2).
	const e = (s - n) / STEP;
	const at = (k: number) => nearOne(a, b, c + (n - s) + k * STEP, z);
	const [m2, m1, p1, p2] = [at(-2), at(-1), at(1), at(2)];
	const value =
		(m2 * (e + 1) * (e - 1) * (e - 2)) / -12 + (m1 * (e + 2) * (e - 1) * (e - 2)) / 6 + (p1 * (e + 2) * (e + 1) * (e - 2)) / -6 + (p2 * (e + 2) * (e + 1) * (e - 1)) / 12;
	if (!Number.isFinite(value)) throw new RangeError(`hyp2f1 overflowed for a=${a}, b=${b}, c=${c}, z=${z}`);
	return value;
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

/**
 * The term after which the ratio of successive terms, z·(a+n)(b+n)/((c+n)(n+1)),
 * moves monotonically toward z: the larger root of k n² + 2m n − (k c − m(c + 1))
 * with k = a + b − c − 1 and m = ab − c (where the ratio's derivative changes sign).
 */
function monotoneFrom(a: number, b: number, c: number): number {
	const k = a + b - c - 1;
	const m = a * b - c;
	const q = -(k * c - m * (c + 1));
	if (k === 0) return m === 0 ? 0 : Math.max(0, -q / (2 * m));
	const disc = m * m - k * q;
	if (disc < 0) return 0;
	return Math.max(0, (-m + Math.sqrt(disc)) / k, (-m - Math.sqrt(disc)) / k);
}

function series(a: number, b: number, c: number, z: number): number {
	let term = 1;
	let sum = 1;
	const settled = monotoneFrom(a, b, c);
	for (let n = 0; n < MAX_TERMS; n++) {
		const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
		term *= ratio;
		sum += term;
		if (term === 0) return sum;
		// Past `settled` every later ratio lies between this one and z: the tail is at most term·ρ/(1 − ρ).
		const rho = Math.max(Math.abs(((a + n + 1) * (b + n + 1) * z) / ((c + n + 1) * (n + 2))), Math.abs(z));
		if (n + 1 >= settled && rho < 1 && (Math.abs(term) * rho) / (1 - rho) < 1e-17 * Math.abs(sum)) return sum;
	}
	throw new RangeError(`hyp2f1 series did not converge for a=${a}, b=${b}, c=${c}, z=${z}`);
}
