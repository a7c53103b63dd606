/**
 * Customer identities fixed by origin, not by position: people present on
 * day 0 by their number; channel arrivals by (channel, day, ordinal within
 * that channel that day); referred friends by (referrer's identity, the
 * referrer's event counter at the invitation). A variant that adds or loses
 * one customer thus leaves everyone else's identity, and so their random
 * streams, where they were. Identities are 64 bits (two independent 32-bit
 * hashes), so collisions do not occur at a few hundred thousand people per shard.
 */
import { fmix32 } from './random';

/** Kinds of origin; the tuple (kind, a, b, c) that names a customer is hashed to its identity. */
/** a: the person's number on day 0. */
export const ORIGIN_INITIAL = 1;
/** a: the channel's key, b: the day, c: the ordinal within that channel that day. */
export const ORIGIN_CHANNEL = 2;
/** a, b: the referrer's identity, c: the referrer's event counter at the invitation. */
export const ORIGIN_REFERRAL = 3;
const HIGH_SEED = 0x243f6a88;
const LOW_SEED = 0x85a308d3;

/** The hash of (kind, a, b) before c is mixed in (see hash32). */
function prefix32(seed: number, kind: number, a: number, b: number): number {
	const h = fmix32(fmix32(seed ^ kind) ^ a);
	return fmix32((h + Math.imul(b, 0x9e3779b9)) | 0);
}

/** 32 bits of a hash of (kind, a, b, c): each step is a bijection of the last, so tuples that differ only late never collide. */
function hash32(seed: number, kind: number, a: number, b: number, c: number): number {
	return fmix32(prefix32(seed, kind, a, b) ^ c);
}

/**
 * Sets `out` to the high and low hashes of (kind, a, b) with c still to come:
 * people who share a, b (a channel's arrivals of one day) are then one mix
 * each, identityFromPrefix(out[0 or 1], c), and get the same identities as identityHigh/Low.
 */
export function identityPrefix(kind: number, a: number, b: number, out: Int32Array): void {
	out[0] = prefix32(HIGH_SEED, kind, a, b);
	out[1] = prefix32(LOW_SEED, kind, a, b);
}

/** One word of an identity from its prefix (identityPrefix) and c. */
export function identityFromPrefix(prefix: number, c: number): number {
	return fmix32(prefix ^ c);
}

/** The first step of the day-0 people's hashes, the same for all of them. */
const INITIAL_HIGH = fmix32(HIGH_SEED ^ ORIGIN_INITIAL);
const INITIAL_LOW = fmix32(LOW_SEED ^ ORIGIN_INITIAL);

/** identityHigh(ORIGIN_INITIAL, i, 0, 0), one mix cheaper: b and c are 0 for everyone present on day 0. */
export function initialIdentityHigh(i: number): number {
	return fmix32(fmix32(fmix32(INITIAL_HIGH ^ i)));
}

/** identityLow(ORIGIN_INITIAL, i, 0, 0), one mix cheaper. */
export function initialIdentityLow(i: number): number {
	return fmix32(fmix32(fmix32(INITIAL_LOW ^ i)));
}

/** The high word of the identity of origin (kind, a, b, c). */
export function identityHigh(kind: number, a: number, b: number, c: number): number {
	return hash32(HIGH_SEED, kind, a, b, c);
}

/** The low word of the identity of origin (kind, a, b, c); an independent hash of the same tuple. */
export function identityLow(kind: number, a: number, b: number, c: number): number {
	return hash32(LOW_SEED, kind, a, b, c);
}

/** A 32-bit key of a channel's id, so identities do not depend on the order channels are listed in. */
export function channelKey(id: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) h = fmix32(h ^ id.charCodeAt(i));
	return h;
}
