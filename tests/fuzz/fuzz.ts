/**
 * What the fuzz tests share: a fixed seed (CI sees the same cases every run),
 * arbitrary JSON, mutations of valid documents, the check that a refusal
 * names a path and a reason, the check that a run's numbers are finite, and
 * a tally each test prints so the reliability counts can be reproduced.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { runReplications } from '../../src/lib/engine/run';
import { OUTPUT_ARRAYS, type RunOutput } from '../../src/lib/engine/output';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import type { ScenarioProblem } from '../../src/lib/engine/scenario/validate';
import { replicationKpis, type KpiName } from '../../src/lib/experiment/kpis';

/** Change it only on purpose: the published counts come from this seed. */
export const SEED = 20261123;

/** fast-check options for a property run `numRuns` times from the fixed seed. */
export function runs(numRuns: number): fc.Parameters<unknown> {
	return { seed: SEED, numRuns, endOnFailure: true };
}

/** Counts of one fuzzer, printed as one line when it is done. */
export class Tally {
	tried = 0;
	valid = 0;
	refused = 0;
	simulated = 0;
	slowestMs = 0;
	constructor(
		readonly name: string,
		readonly accepted = 'valid'
	) {}

	/** Validates one case, timing it; a throw passes on and fails the fuzzer's run (there is no crash count to check). */
	time<T>(work: () => T): T {
		const start = performance.now();
		this.tried++;
		try {
			return work();
		} finally {
			this.slowestMs = Math.max(this.slowestMs, performance.now() - start);
		}
	}

	/** Every case of the run was tried and came out either accepted or refused cleanly: none was skipped or lost. */
	expectAllCounted(cases: number): void {
		expect(this.tried, `${this.name}: cases tried`).toBe(cases);
		expect(this.valid + this.refused, `${this.name}: accepted + refused`).toBe(cases);
	}

	print(): void {
		const simulated = this.simulated ? `, ${this.simulated} simulated with finite results` : '';
		console.log(
			`fuzz ${this.name}: ${this.tried} tried, ${this.valid} ${this.accepted}, ${this.refused} refused cleanly${simulated}, no crash (a crash fails the run); slowest validation ${Math.ceil(this.slowestMs)} ms`
		);
	}
}

/** A refusal must say where (a path; '' is the document itself) and why (a sentence, no leaked internals). */
export function expectExplained(problems: ScenarioProblem[]): void {
	expect(problems.length).toBeGreaterThan(0);
	for (const p of problems) {
		expect(typeof p.path).toBe('string');
		expect(typeof p.message).toBe('string');
		expect(p.message.trim().length).toBeGreaterThan(2);
		// Internals leaking into the sentence.
		expect(p.message).not.toMatch(/\[object Object\]|\(undefined\)/);
	}
}

/** Any JSON value, nested a little, with keys that trip naive code (__proto__, constructor). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
	fc.jsonValue({ maxDepth: 4 }),
	fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'schema', 'stages', 'cells', 'variants'), fc.jsonValue({ maxDepth: 2 }))
);

const OUT_OF_RANGE = [-1, -1e-9, -0, 0.5, 1.0000001, 366, 3651, 1e7 + 1, 1e9 + 1, 1e12 + 1, 4294967296, 2 ** 53 + 2, 1e308, -1e308, 5e-324, NaN, Infinity, -Infinity];
const EDGES = [0, 1, 0.999999, 1e-9, 2, 20, 30, 365, 3650];
const NANISH = ['NaN', 'Infinity', '-Infinity', '1e999', '', ' ', '0x10', '1,000', '¥12', 'null', 'undefined', '١٢', '12abc', '\u0000', '.', '-'];

/** One change to a document: `at` picks the place among all its paths. */
export type Mutation =
	| { op: 'drop'; at: number }
	| { op: 'replace'; at: number; value: unknown }
	| { op: 'retype'; at: number }
	| { op: 'number'; at: number; value: number }
	| { op: 'nanish'; at: number; value: string }
	| { op: 'deep'; at: number; depth: number; inArray: boolean }
	| { op: 'huge'; at: number; size: number }
	| { op: 'addKey'; at: number; key: string; value: unknown }
	| { op: 'tweak'; at: number; value: number; scale: boolean };

const at = fc.nat();
/** Mutations: drop, replace, retype, out-of-range and edge numbers, NaN-ish strings, deep nesting, huge arrays, unknown keys. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ op: fc.constant('drop' as const), at }),
	fc.record({ op: fc.constant('replace' as const), at, value: anyJson }),
	fc.record({ op: fc.constant('retype' as const), at }),
	fc.record({ op: fc.constant('number' as const), at, value: fc.constantFrom(...OUT_OF_RANGE, ...EDGES) }),
	fc.record({ op: fc.constant('number' as const), at, value: fc.constantFrom(...EDGES) }),
	fc.record({ op: fc.constant('nanish' as const), at, value: fc.constantFrom(...NANISH) }),
	fc.record({ op: fc.constant('deep' as const), at, depth: fc.integer({ min: 10, max: 2000 }), inArray: fc.boolean() }),
	fc.record({ op: fc.constant('huge' as const), at, size: fc.integer({ min: 100, max: 5000 }) }),
	fc.record({ op: fc.constant('addKey' as const), at, key: fc.constantFrom('__proto__', 'constructor', 'extra', 'toString', ''), value: anyJson })
);

type Key = string | number;

/** Paths deeper than this are not mutated again (a nested mutation is deep enough already). */
const MAX_PATH_DEPTH = 40;

/** Every path in a document, containers and leaves, the root excluded. */
export function pathsOf(value: unknown, prefix: Key[] = [], out: Key[][] = []): Key[][] {
	if (prefix.length >= MAX_PATH_DEPTH) return out;
	if (Array.isArray(value)) value.forEach((v, i) => (out.push([...prefix, i]), pathsOf(v, [...prefix, i], out)));
	else if (value !== null && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) out.push([...prefix, k]), pathsOf(v, [...prefix, k], out);
	}
	return out;
}

/** Sets an own property as JSON.parse would (so "__proto__" is a key, not the prototype). */
function setOwn(target: Record<Key, unknown>, key: Key, value: unknown): Record<Key, unknown> {
	return Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function retype(value: unknown): unknown {
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return value === '' ? 0 : [value];
	if (typeof value === 'boolean') return value ? 'true' : 0;
	if (value === null) return {};
	if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
	return Object.values(value as object);
}

function nest(value: unknown, depth: number, inArray: boolean): unknown {
	let v = value;
	for (let i = 0; i < depth; i++) v = inArray ? [v] : { a: v };
	return v;
}

/** A copy of `doc` with the mutation applied; only the containers on the path are copied (a deep clone would overflow on nested values). */
export function mutate(doc: unknown, m: Mutation): unknown {
	const all = pathsOf(doc);
	const paths = m.op === 'tweak' ? all.filter((p) => typeof p.reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], doc) === 'number') : all;
	if (!paths.length) return doc;
	const path = paths[m.at % paths.length];
	const copy = shallow(doc);
	let parent = copy as Record<Key, unknown>;
	for (const key of path.slice(0, -1)) {
		const child = shallow(parent[key]);
		setOwn(parent, key, child);
		parent = child as Record<Key, unknown>;
	}
	const key = path[path.length - 1];
	const old = parent[key];
	if (m.op === 'drop') {
		if (Array.isArray(parent)) parent.splice(key as number, 1);
		else delete parent[key];
	} else if (m.op === 'addKey') {
		if (old !== null && typeof old === 'object' && !Array.isArray(old)) setOwn(parent, key, setOwn(shallow(old) as Record<Key, unknown>, m.key, m.value));
		else setOwn(parent, m.key, m.value);
	} else setOwn(parent, key, replacement(old, m));
	return copy;
}

function shallow(value: unknown): unknown {
	if (Array.isArray(value)) return [...value];
	if (value !== null && typeof value === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(value)) setOwn(out, k, v);
		return out;
	}
	return value;
}

function replacement(old: unknown, m: Exclude<Mutation, { op: 'drop' | 'addKey' }>): unknown {
	switch (m.op) {
		case 'tweak':
			return m.scale ? (old as number) * m.value : m.value;
		case 'replace':
		case 'number':
		case 'nanish':
			return m.value;
		case 'retype':
			return retype(old);
		case 'deep':
			return nest(old, m.depth, m.inArray);
		case 'huge':
			return Array.from({ length: m.size }, () => old);
	}
}

/** Changes to numbers only (an edge value, or the number scaled): most stay valid, and edges are where NaN hides. */
export const numberTweak: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ op: fc.constant('tweak' as const), at, value: fc.constantFrom(...EDGES), scale: fc.constant(false) }),
	fc.record({ op: fc.constant('tweak' as const), at, value: fc.constantFrom(0, 0.1, 0.5, 1.5, 3, 10), scale: fc.constant(true) })
);

/** Applies a list of mutations in turn. */
export function mutateAll(doc: unknown, mutations: Mutation[]): unknown {
	return mutations.reduce(mutate, doc);
}

/** KPIs that are ratios: undefined (NaN) when their denominator is 0, as kpis.ts documents; never infinite. */
const RATIOS: KpiName[] = ['repurchaseRate', 'ltv', 'cac', 'ltvToCac', 'roi', 'kFactor'];

/** The same scenario made tiny, so a fuzz case simulates in milliseconds; every value stays within the schema's bounds. */
export function tiny(scenario: Scenario): Scenario {
	const s = structuredClone(scenario);
	s.population.initial = Math.min(s.population.initial, 300);
	s.horizonDays = Math.min(s.horizonDays, 60);
	for (const ch of s.channels) ch.prospectsPerDay = Math.min(ch.prospectsPerDay, 10);
	// Invitations compound: a referral chain at hundreds of invites a year would grow without bound.
	for (const sg of s.segments) sg.referral.invitesPerYear = Math.min(sg.referral.invitesPerYear, 12);
	return s;
}

/** Runs one tiny replication and checks every array and KPI is a finite number (ratios may be undefined, never infinite). */
export function expectFiniteRun(scenario: Scenario): RunOutput {
	const s = tiny(scenario);
	const [out] = runReplications(s, 1);
	for (const key of OUTPUT_ARRAYS) {
		const bad = out[key].findIndex((v) => !Number.isFinite(v));
		expect(bad, `${key}[${bad}] = ${out[key][bad]}`).toBe(-1);
	}
	for (const [name, value] of Object.entries(replicationKpis(out, s))) {
		if (RATIOS.includes(name as KpiName) && Number.isNaN(value)) continue;
		expect(Number.isFinite(value), `${name} = ${value}`).toBe(true);
	}
	return out;
}
