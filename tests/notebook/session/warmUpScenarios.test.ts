import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { warmUpScenarios } from '../../../src/lib/components/notebook/session/warmUpScenarios';
import { validateNotebook } from '../../../src/lib/notebook/notebook';

function example(file: string) {
	const result = validateNotebook(JSON.parse(readFileSync(new URL(`../../../scenarios/notebooks/${file}`, import.meta.url), 'utf8')));
	if (!result.ok) throw new Error(`invalid example ${file}`);
	return result.notebook;
}

describe('the scenarios that warm the workers while a notebook is idle', () => {
	it('are one run per set of policy types, in notebook order: a sweep of one policy’s values warms once', () => {
		const scenarios = warmUpScenarios(example('points-en.json'));
		expect(scenarios).toHaveLength(1);
		expect(scenarios[0].population.initial).toBe(10_000);
	});

	it('include each variant that adds a policy, and nothing for a notebook without experiments', () => {
		const types = (file: string) => warmUpScenarios(example(file)).map((s) => s.policies.map((p) => p.type).join());
		// Both win-back variants run the same policies; lesson 6 compares a win-back with none (twice: paired and unpaired).
		expect(types('win-back-en.json')).toHaveLength(1);
		expect(types('lesson-6-reading-ab-results.en.json')).toHaveLength(2);
		const notebook = example('win-back-en.json');
		expect(warmUpScenarios({ ...notebook, cells: notebook.cells.filter((c) => c.kind !== 'experiment') })).toEqual([]);
	});
});
