/**
 * The results shipped with the example notebooks: every experiment and test
 * plan of every example has one, under the content hash a run stores its
 * results under, and a shipped result is exactly what running the cell
 * gives (apart from the wall-clock time it took).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shippedWork } from '../../src/cli/shipResults';
import { runJobsHere, runVariants } from '../../src/lib/experiment/runVariants';
import { resolveExperimentCell, resultKey, summarise, type ExperimentCell } from '../../src/lib/notebook/experimentCell';
import { validateNotebook } from '../../src/lib/notebook/notebook';
import type { Notebook } from '../../src/lib/notebook/schema';

const dir = new URL('../../scenarios/notebooks/', import.meta.url);
const results = new URL('../../scenarios/results/', import.meta.url);
const examples: Notebook[] = readdirSync(dir).map((f) => {
	const r = validateNotebook(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
	if (!r.ok) throw new Error(f);
	return r.notebook;
});

/** The value with every wallSeconds left out: the only thing two runs of the same content may differ in. */
function withoutTimes(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutTimes);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'wallSeconds').map(([k, v]) => [k, withoutTimes(v)]));
	return value;
}

describe('results shipped with the examples', () => {
	it('exist for every experiment and test plan of every example (else run npm run ship-results)', async () => {
		const missing: string[] = [];
		for (const nb of examples) {
			for (const { key, what } of await shippedWork(nb, () => {
				throw new Error('nothing is run here');
			})) {
				if (!existsSync(new URL(`${key}.json`, results))) missing.push(what);
			}
		}
		expect(missing).toEqual([]);
	});

	it('equal what running the cell gives', async () => {
		const nb = examples.find((n) => n.id === 'lesson-6-en')!;
		const cell = nb.cells.find((c): c is ExperimentCell => c.kind === 'experiment' && c.id === 'paired')!;
		const r = resolveExperimentCell(nb, cell);
		if (!r.ok) throw new Error(JSON.stringify(r.problems));
		const key = await resultKey(r.resolved);
		const shipped = JSON.parse(readFileSync(new URL(`${key}.json`, results), 'utf8'));
		const runs = await runVariants(r.resolved.runs, r.resolved.experiment.replications, runJobsHere, r.resolved.experiment.commonRandomNumbers);
		const fresh = JSON.parse(JSON.stringify(summarise(key, r.resolved, runs, 0)));
		expect(withoutTimes(fresh)).toEqual(withoutTimes(shipped));
	}, 120_000);
});
