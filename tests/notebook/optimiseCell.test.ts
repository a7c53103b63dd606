/** The optimise cell in the notebook document: it validates, names a scenario cell, and refuses a decision the scenario does not have, by path. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateNotebook } from '../../src/lib/notebook/notebook';
import { defaultDesign, resolveOptimiseCell, type OptimiseCell } from '../../src/lib/notebook/optimiseCell';

const scenario = JSON.parse(readFileSync(new URL('../../scenarios/fmcg-points-ladder.json', import.meta.url), 'utf8'));

function notebookWith(design: unknown) {
	const now = new Date().toISOString();
	return validateNotebook({
		schema: 'lifecycle-lab/notebook@1',
		id: 'nb-optimise',
		title: 'Optimise',
		createdAt: now,
		updatedAt: now,
		cells: [
			{ id: 'scenario', kind: 'scenario', scenario },
			{ id: 'search', kind: 'optimise', scenarioCell: 'scenario', design }
		]
	});
}

describe('the optimise cell', () => {
	it('starts from the first policy value of its scenario, and resolves to that scenario', () => {
		const design = defaultDesign(scenario);
		// The points ladder's first policy is the operations cost: 3000 a day, searched from half to twice that.
		expect(design.decisions[0]).toMatchObject({ parameter: '/policies/0/costPerDay', low: 1500, high: 6000 });
		const result = notebookWith(design);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const resolution = resolveOptimiseCell(result.notebook, result.notebook.cells[1] as OptimiseCell);
		expect(resolution.ok && resolution.base.name).toBe('fmcg-points-ladder');
	});

	it('refuses a decision the scenario has no value for, naming the decision', () => {
		const result = notebookWith({ decisions: [{ parameter: '/policies/9/pointsPerCurrencyUnit', low: 0.5, high: 2 }], objective: { metric: 'grossProfit' } });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const resolution = resolveOptimiseCell(result.notebook, result.notebook.cells[1] as OptimiseCell);
		expect(resolution.ok).toBe(false);
		if (resolution.ok) return;
		expect(resolution.problems).toEqual([{ path: 'optimise.decisions[0].parameter', message: 'the scenario has no value at /policies/9/pointsPerCurrencyUnit' }]);
	});

	it('refuses bounds the scenario format does not allow, at the end that breaks it', () => {
		const result = notebookWith({ decisions: [{ parameter: '/policies/1/redemptionThreshold', kind: 'integer', low: 0, high: 500 }], objective: { metric: 'grossProfit' } });
		if (!result.ok) throw new Error('the notebook should validate');
		const resolution = resolveOptimiseCell(result.notebook, result.notebook.cells[1] as OptimiseCell);
		expect(resolution.ok).toBe(false);
		if (resolution.ok) return;
		expect(resolution.problems[0].message).toMatch(/lower end/);
	});
});
