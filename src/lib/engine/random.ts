/**
 * Random streams for the engine.
 *
 * seedrandom turns a readable seed ("42/rep3/shard1/events") into generator
 * state; the hot loop then draws from xoshiro128**, whose 128-bit state lives
 * in an Int32Array (ARC4, seedrandom's default, is several times slower).
 */
import seedrandom from 'seedrandom';

/** A random stream: the four 32-bit words of a xoshiro128** state. */
export type RandomStream = Int32Array;

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** Creates a stream whose state is derived from a seed string. */
export function createStream(seed: string): RandomStream {
	const arc4 = seedrandom(seed);
	const state = new Int32Array(4);
	for (let i = 0; i < 4; i++) state[i] = arc4.int32();
	// xoshiro's one forbidden state is all zeros.
	if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
	return state;
}

/** The seed string of one named stream of a run. */
export function streamSeed(seed: number | string, replication: number, shard: number, name: string): string {
	return `${seed}/rep${replication}/shard${shard}/${name}`;
}

/** MurmurHash3's 32-bit finalizer: a bijection that spreads every input bit over the output. */
export function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return h ^ (h >>> 16);
}

/**
 * Sets `s` to the state of one agent's n-th draw sequence: a hash of the
 * stream's key, the agent's 64-bit identity and the counter. Every agent thus
 * has a stream of its own, so a policy that changes one agent's draws leaves
 * everyone else's alone (common random numbers hold agent by agent, not just
 * run by run). The state is a bijection of (identity, counter) for a given
 * key: words 0 and 1 give back the identity once word 2 (the counter's mix)
 * is known, so no two agents or draws ever share a state.
 */
export function keyStream(s: RandomStream, key: Int32Array, idHigh: number, idLow: number, counter: number): void {
	const a = fmix32(idLow ^ key[0]);
	const b = fmix32(idHigh ^ key[1] ^ a);
	const c = fmix32(Math.imul(counter + 1, 0x9e3779b9) ^ b ^ key[2]);
	const d = fmix32((c + 0x6d2b79f5) | 0);
	s[0] = a ^ fmix32(c ^ key[3]);
	s[1] = b ^ d;
	s[2] = c;
	s[3] = d ^ a;
	if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
}

/** Keys `s` to the n-th draw sequence of a stream named by one number (a channel's day of arrivals, say). */
export function keySubstream(s: RandomStream, key: Int32Array, name: number, counter: number): void {
	keyStream(s, key, name, ~name, counter);
}

/** Next 32 random bits as an unsigned integer (xoshiro128**). */
export function nextUint32(s: RandomStream): number {
	const s0 = s[0];
	const s1 = s[1];
	const s2 = s[2] ^ s0;
	const s3 = s[3] ^ s1;
	const product = Math.imul(s1, 5);
	const result = Math.imul((product << 7) | (product >>> 25), 9);
	s[0] = s0 ^ s3;
	s[1] = s1 ^ s2;
	s[2] = s2 ^ (s1 << 9);
	s[3] = (s3 << 11) | (s3 >>> 21);
	return result >>> 0;
}

/** Uniform on the open interval (0, 1): never 0, so its log is finite. */
export function uniform(s: RandomStream): number {
	return (nextUint32(s) + 0.5) * TWO_POW_MINUS_32;
}

/** Exponential with rate 1. */
export function exponential(s: RandomStream): number {
	return -Math.log(uniform(s));
}

/** Standard normal (Box–Muller; the second value is dropped to keep no hidden state). */
export function normal(s: RandomStream): number {
	return Math.sqrt(-2 * Math.log(uniform(s))) * Math.cos(6.283185307179586 * uniform(s));
}

/** Gamma with the given shape and rate 1 (Marsaglia & Tsang 2000). */
export function standardGamma(s: RandomStream, shape: number): number {
	if (shape < 1) {
		// Boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
		return standardGamma(s, shape + 1) * Math.pow(uniform(s), 1 / shape);
	}
	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let x: number;
		let v: number;
		do {
			x = normal(s);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		const u = uniform(s);
		const x2 = x * x;
		if (u < 1 - 0.0331 * x2 * x2) return d * v;
		if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
	}
}

/** log of a Gamma(shape, 1) draw, finite even where the draw itself underflows (tiny shapes). */
function logStandardGamma(s: RandomStream, shape: number): number {
	if (shape < 1) return Math.log(standardGamma(s, shape + 1)) + Math.log(uniform(s)) / shape;
	return Math.log(standardGamma(s, shape));
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), computed from their logs. */
export function beta(s: RandomStream, a: number, b: number): number {
	const logX = logStandardGamma(s, a);
	const logY = logStandardGamma(s, b);
	return 1 / (1 + Math.exp(logY - logX));
}

/** Poisson with the given mean: multiplication below 30, PTRS (Hörmann 1993) above. */
export function poisson(s: RandomStream, mean: number): number {
	if (mean <= 0) return 0;
	if (mean < 30) {
		const limit = Math.exp(-mean);
		let k = 0;
		let product = uniform(s);
		while (product > limit) {
			k++;
			product *= uniform(s);
		}
		return k;
	}
	return poissonPtrs(s, mean);
}

function poissonPtrs(s: RandomStream, mean: number): number {
	const sqrtMean = Math.sqrt(mean);
	const logMean = Math.log(mean);
	const b = 0.931 + 2.53 * sqrtMean;
	const a = -0.059 + 0.02483 * b;
	const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
	const vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		const u = uniform(s) - 0.5;
		const v = uniform(s);
		const us = 0.5 - Math.abs(u);
		const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
		if (us >= 0.07 && v <= vr) return k;
		if (k < 0 || (us < 0.013 && v > us)) continue;
		const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
		if (lhs <= -mean + k * logMean - logGamma(k + 1)) return k;
	}
}

/** Index drawn from cumulative weights (the last entry is the total). */
export function categorical(s: RandomStream, cumulative: Float64Array): number {
	const target = uniform(s) * cumulative[cumulative.length - 1];
	let i = 0;
	while (i < cumulative.length - 1 && cumulative[i] <= target) i++;
	return i;
}

const LANCZOS = [
	0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
	-176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
	1.5056327351493116e-7
];

/** log Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
	if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
	x -= 1;
	let sum = LANCZOS[0];
	const t = x + 7.5;
	for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (x + i);
	return 0.9189385332046727 + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}
