/** The experiment format under fire: any JSON, and valid experiments broken on purpose, validate and resolve, or are refused by path; what resolves simulates to finite numbers. */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExperimentError, resolveSensitivity, resolveSweep, resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import type { Experiment } from '../../src/lib/experiment/schema';
import { anyJson, expectExplained, expectFiniteRun, mutateAll, mutation, numberTweak, runs, Tally } from './fuzz';

const dir = new URL('../../scenarios/experiments/', import.meta.url);
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
/** The shipped experiments and the test fixture, each with its scenario inlined so a case needs no file. */
const experiments = [
	...readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => ({ doc: read(new URL(f, dir)), at: new URL(f, dir) })),
	{ doc: read(new URL('../fixtures/small-experiment.json', import.meta.url)), at: new URL('../fixtures/small-experiment.json', import.meta.url) }
].map(({ doc, at }) => ({ ...doc, scenario: read(new URL(doc.scenario, at)) }));

/** Every design the experiment has: its variants, and its sweep or sensitivity runs when present. */
function resolveAll(e: Experiment) {
	const base = e.scenario as Record<string, unknown>;
	return [resolveVariants(e, base), ...(e.sweep ? [resolveSweep(e, base)] : []), ...(e.sensitivity ? [resolveSensitivity(e, base)] : [])].flat();
}

function check(input: unknown, tally: Tally): void {
	const result = tally.time(() => validateExperiment(input));
	if (!result.ok) {
		tally.refused++;
		return expectExplained(result.problems);
	}
	// A path to a scenario file is the CLI's to read; the fuzz cases keep theirs inline.
	if (typeof result.experiment.scenario === 'string') return void tally.valid++;
	let resolved;
	try {
		resolved = resolveAll(result.experiment);
	} catch (error) {
		// A variant, sweep cell or sensitivity run that breaks the scenario is refused like the file itself.
		if (!(error instanceof ExperimentError)) throw error;
		tally.refused++;
		return expectExplained(error.problems);
	}
	tally.valid++;
	// The first and last runs: the control and the far corner of a grid.
	for (const run of new Set([resolved[0], resolved[resolved.length - 1]])) expectFiniteRun(run.scenario);
	tally.simulated++;
}

describe('fuzzing the experiment format', () => {
	it('any JSON value is refused with a path and a reason, never a throw', () => {
		const tally = new Tally('experiment, any JSON');
		fc.assert(fc.property(anyJson, (input) => check(input, tally)), runs(400));
		tally.print();
		tally.expectAllCounted(400);
		expect(tally.refused).toBe(400);
	});

	it('shipped experiments with up to three mutations resolve and simulate finitely, or are refused by path', () => {
		const tally = new Tally('experiment, mutated');
		const cases = fc.tuple(fc.constantFrom(...experiments), fc.array(mutation, { minLength: 1, maxLength: 3 }));
		fc.assert(fc.property(cases, ([doc, mutations]) => check(mutateAll(doc, mutations), tally)), runs(800));
		tally.print();
		tally.expectAllCounted(800);
		expect(tally.valid).toBeGreaterThan(20);
	});

	it('shipped experiments with numbers at edges resolve and simulate finitely, or are refused by path', () => {
		const tally = new Tally('experiment, numbers at edges');
		const cases = fc.tuple(fc.constantFrom(...experiments), fc.array(numberTweak, { minLength: 1, maxLength: 4 }));
		fc.assert(fc.property(cases, ([doc, tweaks]) => check(mutateAll(doc, tweaks), tally)), runs(300));
		tally.print();
		tally.expectAllCounted(300);
		expect(tally.simulated).toBeGreaterThan(50);
	});
});

describe('what the fuzzer found in the experiment format', () => {
	const base = experiments.at(-1)!.scenario;
	const experiment = (extra: Record<string, unknown>) => {
		const result = validateExperiment({ schema: 'lifecycle-lab/experiment@1', name: 'found', scenario: base, ...extra });
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		return result.experiment;
	};

	it('a sweep may set a field the scenario file leaves to its default', () => {
		expect(base.metrics).toBeUndefined();
		const e = experiment({ sweep: [{ parameter: '/metrics/activeWindowDays', values: [10, 20] }] });
		expect(resolveSweep(e, base).map((cell) => cell.scenario.metrics.activeWindowDays)).toEqual([10, 20]);
	});

	it('a patch nested thousands deep is refused by path instead of overflowing the stack', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 5000; i++) deep = { a: deep };
		const result = validateExperiment({ schema: 'lifecycle-lab/experiment@1', name: 'deep', scenario: base, variants: [{ name: 'a', patch: { labels: deep } }] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems).toEqual([{ path: 'variants[0].patch', message: 'is nested more than 32 levels deep; no scenario field is' }]);
	});
});
