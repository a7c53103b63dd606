import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/lib/engine/scenario/validate';
import { runJobsHere, runVariants } from '../../src/lib/experiment/runVariants';
import { ReplicationCollector, resolveExperimentCell, resultKey, runExperimentCell, summarise, type ExperimentCell } from '../../src/lib/notebook/experimentCell';
import { validateNotebook } from '../../src/lib/notebook/notebook';
import type { Notebook, NotebookInput } from '../../src/lib/notebook/schema';
import { NotebookStore } from '../../src/lib/storage/notebookStore';
import { summariserHere } from '../../src/lib/workers/summaryApi';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));
scenario.population.initial = 1500;
scenario.horizonDays = 90;
const winBack = JSON.parse(readFileSync(new URL('../fixtures/small-experiment.json', import.meta.url), 'utf8')).variants[1].patch;

function notebook(edit: (cells: NotebookInput['cells']) => void = () => {}): Notebook {
	const cells: NotebookInput['cells'] = [
		{ id: 'base', kind: 'scenario', scenario: structuredClone(scenario) },
		{ id: 'ab', kind: 'experiment', scenarioCell: 'base', replications: 3, seed: 11, variants: [{ name: 'control' }, { name: 'win-back', patch: winBack }] }
	];
	edit(cells);
	const result = validateNotebook({ schema: 'lifecycle-lab/notebook@1', id: 'n', title: 'n', createdAt: '2026-11-23T00:00:00.000Z', updatedAt: '2026-11-23T00:00:00.000Z', cells });
	if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
	return result.notebook;
}

function resolved(nb: Notebook) {
	const result = resolveExperimentCell(nb, nb.cells[1] as ExperimentCell);
	if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
	return result.resolved;
}

describe('an experiment cell', () => {
	it('names a bad variant patch by variant and field', () => {
		const nb = notebook((cells) => ((cells[1] as { variants: unknown[] }).variants[1] = { name: 'b', patch: { dormancyDays: -3 } }));
		const result = resolveExperimentCell(nb, nb.cells[1] as ExperimentCell);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems.map(formatProblem).join('\n')).toMatch(/^dormancyDays: .*in variants\[1\] "b"/);
	});

	it('has a result key that changes with whatever changes the numbers, and only with that', async () => {
		const key = await resultKey(resolved(notebook()));
		const reordered = notebook((cells) => {
			const s = (cells[0] as { scenario: Record<string, unknown> }).scenario;
			(cells[0] as { scenario: unknown }).scenario = Object.fromEntries(Object.entries(s).reverse());
		});
		expect(await resultKey(resolved(reordered))).toBe(key);
		expect(await resultKey(resolved(notebook((c) => ((c[1] as { seed: number }).seed = 12))))).not.toBe(key);
		expect(await resultKey(resolved(notebook((c) => ((c[1] as { replications: number }).replications = 4))))).not.toBe(key);
		expect(await resultKey(resolved(notebook((c) => ((c[0] as unknown as { scenario: { dormancyDays: number } }).scenario.dormancyDays = 91))))).not.toBe(key);
	});

	it('streams to the same results as the finished run, and the results survive the cache', async () => {
		const r = resolved(notebook());
		const collector = new ReplicationCollector(r.runs);
		const partialReplications: number[] = [];
		const runs = await runVariants(r.runs, r.experiment.replications, runJobsHere, true, undefined, {
			onReplication: (name, k, output) => {
				collector.add(name, k, output);
				partialReplications.push(collector.complete()?.[0].outputs.length ?? 0);
			}
		});
		// Work goes replication by replication: every variant's first replication is in after the second job, not the fourth.
		expect(partialReplications).toEqual([0, 1, 1, 2, 2, 3]);
		const key = await resultKey(r);
		const streamed = summarise(key, r, collector.complete()!, 1);
		const finished = summarise(key, r, runs, 1);
		expect(streamed).toEqual(finished);
		expect(Object.keys(finished.reports)).toEqual(['control', 'win-back']);
		expect(finished.comparison.comparisons.find((c) => c.metric === 'totalCost')!.diff.mean).toBeGreaterThan(0);

		(globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
		const store = await NotebookStore.open();
		await store.putResult(key, finished);
		expect(await store.getResult(key)).toEqual(finished);
		expect(await store.getResult('no-such-key')).toBeUndefined();
		store.close();
	});

	it('summarises a sweep and a sensitivity analysis, comparing each run with the first', async () => {
		for (const design of [
			{ sweep: [{ parameter: '/dormancyDays', values: [60, 120] }, { parameter: '/economics/grossMargin', values: [0.2, 0.4] }] },
			{ sensitivity: [{ parameter: '/dormancyDays', low: 60, high: 120 }] }
		]) {
			const nb = notebook((cells) => Object.assign(cells[1], { replications: 2, metrics: ['grossProfit', 'gmv'], ...design }));
			const r = resolved(nb);
			const results = summarise(await resultKey(r), r, await runVariants(r.runs, 2, runJobsHere), 1);
			expect(results.comparison.meta.control).toBe(r.runs[0].name);
			if ('sweep' in design) {
				expect(results.sweep!.cells).toHaveLength(4);
				// Gross margin 0.4 earns more gross profit than 0.2 from the same customers (common random numbers).
				const profit = (margin: number) => results.sweep!.cells.find((c) => c.values['/economics/grossMargin'] === margin && c.values['/dormancyDays'] === 60)!.kpis.grossProfit!.mean!;
				expect(profit(0.4)).toBeCloseTo(2 * profit(0.2), 0);
			} else expect(results.sensitivity!.grossProfit!.parameters[0].parameter).toBe('/dormancyDays');
		}
	});

	it("fills a sweep's grid cell by cell while its first replication streams in, the first cell always among them", async () => {
		const nb = notebook((cells) => Object.assign(cells[1], { replications: 2, metrics: ['grossProfit'], sweep: [{ parameter: '/economics/grossMargin', values: [0.2, 0.3, 0.4] }] }));
		const r = resolved(nb);
		const key = await resultKey(r);
		const summaries = summariserHere();
		summaries.open(1, r.runs);
		const cells: (number | null)[] = [];
		const runs = await runVariants(r.runs, 2, runJobsHere, true, undefined, {
			onReplication: async (name, k, output) => {
				summaries.add(1, name, k, output);
				const partial = await summaries.summariseStream(1, key, r, 0);
				cells.push(partial?.cellsSoFar ? partial.sweep!.cells.length : null);
			}
		});
		// Replication 1 of every cell, one at a time; then complete replications, with no cell count.
		expect(cells).toEqual([1, 2, null, null, null, null]);
		const finished = summarise(key, r, runs, 0);
		const collector = new ReplicationCollector(r.runs);
		collector.add(r.runs[0].name, 0, runs[0].outputs[0]);
		collector.add(r.runs[2].name, 0, runs[2].outputs[0]);
		// A later cell in before the second: the grid shows the two that are in (the first is what the others are compared with).
		const soFar = collector.partial('sweep')!;
		expect(soFar.cellsOnly).toBe(true);
		const streamed = summarise(key, r, soFar.runs, 0);
		expect(streamed.sweep!.cells.map((c) => c.values)).toEqual([finished.sweep!.cells[0].values, finished.sweep!.cells[2].values]);
		expect(collector.partial('variants')).toBeNull();
	});

	it('runs to a precision target when the cell has one: the narrowing heard batch by batch, the stopping reason in the results, a result key of its own', async () => {
		const precise = notebook((c) => ((c[1] as { precision?: unknown }).precision = { metric: 'gmv', liftHalfWidth: 1e-6, maxReplications: 12 }));
		const r = resolved(precise);
		expect(await resultKey(r)).not.toBe(await resultKey(resolved(notebook())));
		const heard: number[][] = [];
		const { runs, stopping } = await runExperimentCell(r, runJobsHere, { failures: [], droppedReplications: [] }, { onBatch: (steps) => heard.push(steps.map((s) => s.replications)) });
		expect(heard).toEqual([[10], [10, 12]]);
		expect(stopping?.reason).toBe('cap');
		const results = summarise('k', r, runs, 0, [], stopping);
		expect(results.replications).toBe(12);
		expect(results.replicationsPlanned).toBe(12);
		expect(results.stopping?.steps.map((s) => s.replications)).toEqual([10, 12]);
		expect(results.comparison.meta.stopping?.reason).toBe('cap');
	});
});
