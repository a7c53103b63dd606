import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/lib/engine/scenario/validate';
import { runJobsHere } from '../../src/lib/experiment/runVariants';
import { resolveExperimentCell, runExperimentCell, summarise, type ExperimentCell } from '../../src/lib/notebook/experimentCell';
import { validateNotebook } from '../../src/lib/notebook/notebook';
import { fromWire, toWire } from '../../src/lib/workers/resultsWire';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));
scenario.population.initial = 800;
scenario.horizonDays = 60;
const winBack = JSON.parse(readFileSync(new URL('../fixtures/small-experiment.json', import.meta.url), 'utf8')).variants[1].patch;

describe('results on their way from the summary worker to the page', () => {
	it('go as JSON text when that gives them back exactly: an experiment’s summary, partial (one replication) and whole', async () => {
		const result = validateNotebook({
			schema: 'lifecycle-lab/notebook@1',
			id: 'n',
			title: 'n',
			createdAt: '2026-11-23T00:00:00.000Z',
			updatedAt: '2026-11-23T00:00:00.000Z',
			cells: [
				{ id: 'base', kind: 'scenario', scenario },
				{ id: 'ab', kind: 'experiment', scenarioCell: 'base', replications: 2, variants: [{ name: 'control' }, { name: 'win-back', patch: winBack }] }
			]
		});
		if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
		const resolution = resolveExperimentCell(result.notebook, result.notebook.cells[1] as ExperimentCell);
		if (!resolution.ok) throw new Error('the experiment does not resolve');
		const { runs } = await runExperimentCell(resolution.resolved, runJobsHere, { failures: [], droppedReplications: [] });
		const partial = runs.map((r) => ({ ...r, outputs: r.outputs.slice(0, 1) }));
		for (const summary of [summarise('k', resolution.resolved, partial, 1), summarise('k', resolution.resolved, runs, 2)]) {
			const wire = toWire(summary);
			expect('text' in wire).toBe(true);
			expect(fromWire(wire)).toStrictEqual(summary);
		}
	});

	it('go as they are when JSON would change them (NaN, −0, undefined, a typed array)', () => {
		for (const value of [{ a: [1, NaN] }, { a: -0 }, { a: 1, b: undefined }, { a: [undefined] }, { a: new Float64Array(2) }, { a: Infinity }]) {
			const wire = toWire(value);
			expect(wire).toEqual({ value });
			expect(fromWire(wire)).toBe(value);
		}
		expect(toWire({ a: [1.5, null, 'x', true, { b: [] }] })).toEqual({ text: '{"a":[1.5,null,"x",true,{"b":[]}]}' });
	});
});
