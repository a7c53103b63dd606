/** The scenario format under fire: any JSON, and valid scenarios broken on purpose, validate or are refused by path; what validates simulates to finite numbers. */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/lib/engine/scenario/validate';
import { anyJson, expectExplained, expectFiniteRun, mutateAll, mutation, numberTweak, runs, Tally } from './fuzz';

const dir = new URL('../../scenarios/', import.meta.url);
const builtIns = readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));

/** Validates one case; a valid one is simulated. */
function check(input: unknown, tally: Tally): void {
	const result = tally.time(() => validateScenario(input));
	if (!result.ok) {
		tally.refused++;
		return expectExplained(result.problems);
	}
	tally.valid++;
	expectFiniteRun(result.scenario);
	tally.simulated++;
}

describe('fuzzing the scenario format', () => {
	it('any JSON value is refused with a path and a reason, never a throw', () => {
		const tally = new Tally('scenario, any JSON');
		fc.assert(fc.property(anyJson, (input) => check(input, tally)), runs(400));
		tally.print();
		tally.expectAllCounted(400);
		expect(tally.refused).toBe(400);
	});

	it('built-in scenarios with up to three mutations validate and simulate finitely, or are refused by path', () => {
		const tally = new Tally('scenario, mutated built-ins');
		const cases = fc.tuple(fc.constantFrom(...builtIns), fc.array(mutation, { minLength: 1, maxLength: 3 }));
		fc.assert(fc.property(cases, ([doc, mutations]) => check(mutateAll(doc, mutations), tally)), runs(1000));
		tally.print();
		tally.expectAllCounted(1000);
		expect(tally.valid).toBeGreaterThan(20);
	});

	it('built-in scenarios with numbers set to edges (0, 1, bounds) or scaled validate and simulate finitely, or are refused by path', () => {
		const tally = new Tally('scenario, numbers at edges');
		const cases = fc.tuple(fc.constantFrom(...builtIns), fc.array(numberTweak, { minLength: 1, maxLength: 4 }));
		fc.assert(fc.property(cases, ([doc, tweaks]) => check(mutateAll(doc, tweaks), tally)), runs(600));
		tally.print();
		tally.expectAllCounted(600);
		expect(tally.simulated).toBeGreaterThan(200);
	});
});
