/** The notebook format under fire: any JSON, any text, and valid notebooks broken on purpose, validate or are refused by path; experiment cells that resolve simulate to finite numbers. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportNotebook, importNotebook, NotebookImportError, validateNotebook } from '../../src/lib/notebook/notebook';
import { resolveExperimentCell, type ExperimentCell } from '../../src/lib/notebook/experimentCell';
import type { Notebook } from '../../src/lib/notebook/schema';
import { anyJson, expectExplained, expectFiniteRun, mutateAll, mutation, numberTweak, runs, Tally } from './fuzz';

// The example notebooks by name, so the published counts do not move when lessons are added beside them.
const examples = ['win-back-en', 'win-back-zh-CN', 'points-en', 'points-zh-CN'].map((name) =>
	JSON.parse(readFileSync(new URL(`../../scenarios/notebooks/${name}.json`, import.meta.url), 'utf8'))
);

/** Every experiment cell resolves or is refused by path; the first one that resolves is simulated. */
function checkCells(notebook: Notebook, tally: Tally): void {
	let simulated = false;
	for (const cell of notebook.cells) {
		if (cell.kind !== 'experiment') continue;
		const resolution = tally.time(() => resolveExperimentCell(notebook, cell as ExperimentCell));
		tally.tried--; // part of the same case
		if (!resolution.ok) expectExplained(resolution.problems);
		else if (!simulated) {
			const runs = resolution.resolved.runs;
			for (const run of new Set([runs[0], runs[runs.length - 1]])) expectFiniteRun(run.scenario);
			simulated = true;
		}
	}
	if (simulated) tally.simulated++;
}

function check(input: unknown, tally: Tally): void {
	const result = tally.time(() => validateNotebook(input));
	if (!result.ok) {
		tally.refused++;
		return expectExplained(result.problems);
	}
	tally.valid++;
	checkCells(result.notebook, tally);
}

describe('fuzzing the notebook format', () => {
	it('any JSON value is refused with a path and a reason, never a throw', () => {
		const tally = new Tally('notebook, any JSON');
		fc.assert(fc.property(anyJson, (input) => check(input, tally)), runs(400));
		tally.print();
		tally.expectAllCounted(400);
		expect(tally.refused).toBe(400);
	});

	it('example notebooks with up to three mutations validate and run finitely, or are refused by path', () => {
		const tally = new Tally('notebook, mutated examples');
		const cases = fc.tuple(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 3 }));
		fc.assert(fc.property(cases, ([doc, mutations]) => check(mutateAll(doc, mutations), tally)), runs(400));
		tally.print();
		tally.expectAllCounted(400);
		expect(tally.valid).toBeGreaterThan(50);
	});

	it('example notebooks with numbers at edges validate and run finitely, or are refused by path', () => {
		const tally = new Tally('notebook, numbers at edges');
		const cases = fc.tuple(fc.constantFrom(...examples), fc.array(numberTweak, { minLength: 1, maxLength: 4 }));
		fc.assert(fc.property(cases, ([doc, tweaks]) => check(mutateAll(doc, tweaks), tally)), runs(200));
		tally.print();
		tally.expectAllCounted(200);
		expect(tally.simulated).toBeGreaterThan(50);
	});

	it('an imported file, truncated or with bytes flipped, is imported whole or refused with problems, never half', () => {
		const tally = new Tally('notebook import, damaged files');
		const damage = fc.record({ example: fc.nat(examples.length - 1), cut: fc.nat(), flips: fc.array(fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })), { maxLength: 4 }) });
		fc.assert(
			fc.property(damage, ({ example, cut, flips }) => {
				let text = exportNotebook(examples[example]);
				for (const [at, s] of flips) text = text.slice(0, at % text.length) + s + text.slice((at % text.length) + s.length);
				if (cut % 3 === 0) text = text.slice(0, cut % text.length);
				const imported = tally.time(() => {
					try {
						return importNotebook(text);
					} catch (error) {
						if (error instanceof NotebookImportError) return error;
						throw error;
					}
				});
				if (imported instanceof NotebookImportError) {
					tally.refused++;
					return expectExplained(imported.problems);
				}
				tally.valid++;
				expect(validateNotebook(imported).ok).toBe(true);
			}),
			runs(500)
		);
		tally.print();
		tally.expectAllCounted(500);
		expect(tally.refused).toBeGreaterThan(100);
	});
});
