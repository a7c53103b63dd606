/**
 * Variants as edits of the base addressed by id: an edit of the base flows
 * into every variant that does not change the same value, older merge-patch
 * variants migrate to edits that give exactly the same scenarios, and a path
 * can never reach an object's prototype.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import { mergePatch } from '../../src/lib/experiment/mergePatch';
import { applyEdits, editsOf, EditError, overriddenChanges, valueAtId } from '../../src/lib/experiment/variantEdits';
import { resolveExperimentCell, type ExperimentCell } from '../../src/lib/notebook/experimentCell';
import { importNotebook, validateNotebook } from '../../src/lib/notebook/notebook';
import type { Notebook } from '../../src/lib/notebook/schema';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const legacyText = readFileSync(new URL('../fixtures/legacy-merge-patch-notebook.json', import.meta.url), 'utf8');

/** The scenarios each experiment cell of a notebook runs, by cell and variant. */
function scenariosOf(nb: Notebook): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const cell of nb.cells.filter((c): c is ExperimentCell => c.kind === 'experiment')) {
		const r = resolveExperimentCell(nb, cell);
		if (!r.ok) throw new Error(JSON.stringify(r.problems));
		for (const run of r.resolved.runs) out[`${cell.id}/${run.name}`] = run.scenario;
	}
	return out;
}

/** The fixed daily cost of the operations policy in a resolved scenario. */
const fixedCost = (scenario: unknown) => valueAtId(scenario, '/policies/operations/costPerDay');

describe('variants as edits of the base, by id', () => {
	const base = read('../../scenarios/notebooks/lesson-5-hidden-churn.en.json').cells.find((c: { kind: string }) => c.kind === 'scenario').scenario;

	it('address a policy by its id, wherever it sits in the list', () => {
		const edited = applyEdits(base, { '/policies/operations/costPerDay': 4500 }) as { policies: { id: string; costPerDay?: number }[] };
		expect(edited.policies.find((p) => p.id === 'operations')!.costPerDay).toBe(4500);
		const reordered = { ...base, policies: [{ type: 'fixedCost', id: 'other', costPerDay: 1 }, ...base.policies] };
		expect(fixedCost(applyEdits(reordered, { '/policies/operations/costPerDay': 4500 }))).toBe(4500);
	});

	it('add a policy the base lacks and remove one it has', () => {
		const policy = { type: 'fixedCost', id: 'tools', costPerDay: 10 };
		const added = applyEdits(base, { '/policies/tools': policy }) as { policies: { id: string }[] };
		expect(added.policies.at(-1)).toEqual(policy);
		const removed = applyEdits(added, { '/policies/operations': null }) as { policies: { id: string }[] };
		expect(removed.policies.map((p) => p.id)).toEqual(['tools']);
	});

	it('name the path when the base no longer has what an edit changes', () => {
		expect(() => applyEdits(base, { '/policies/gone/costPerDay': 1 })).toThrow(EditError);
		expect(() => applyEdits(base, { '/policies/gone/costPerDay': 1 })).toThrow(/\/policies\/gone\/costPerDay: the base has nothing at \/policies\/gone/);
	});

	it('never reach an object’s prototype', () => {
		expect(() => applyEdits({}, { '/__proto__/polluted': true })).toThrow(/not a scenario field/);
		expect(() => applyEdits(base, { '/policies/operations/constructor/prototype/polluted': true })).toThrow(/not a scenario field/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('are found from any edited scenario and rebuild it exactly', () => {
		const target = structuredClone(base);
		target.policies[0].costPerDay = 999;
		target.policies.push({ type: 'winBack', id: 'wb', quietDays: 30, detectionLagDays: 0, messageCost: 0.1, responseRate: 0.2, purchaseRateMultiplier: 2, dropoutMultiplier: 0.8, effectDays: 7, couponCost: 5 });
		target.stages[0].transitions[0].dailyProbability = 0.5;
		const edits = editsOf(base, target);
		expect(Object.keys(edits).sort()).toEqual(['/policies/operations/costPerDay', '/policies/wb', `/stages/${base.stages[0].id}/transitions/${base.stages[0].transitions[0].to}/dailyProbability`].sort());
		expect(applyEdits(base, edits)).toEqual(target);
	});

	it('tell which overrides hide a value the base just changed', () => {
		const edits = { '/policies/operations/costPerDay': 4500, '/horizonDays': 200 };
		const after = applyEdits(base, { '/policies/operations/costPerDay': 6000 });
		expect(overriddenChanges(edits, base, after)).toEqual(['/policies/operations/costPerDay']);
	});
});

describe('an edit of the base flows into the variants', () => {
	it('changing the base’s fixed cost changes it in every variant that does not set it, and in no variant that does', () => {
		const nb = importNotebook(legacyText);
		const cell = nb.cells.find((c): c is ExperimentCell => c.kind === 'experiment')!;
		const overriding = { ...cell, variants: [...cell.variants, { name: 'lean_ops', edits: { '/policies/operations/costPerDay': 1000 } }] };
		const withBase = (cost: number): Notebook => ({
			...nb,
			cells: nb.cells.map((c) => (c.kind === 'scenario' ? { ...c, scenario: applyEdits(c.scenario, { '/policies/operations/costPerDay': cost }) as Record<string, unknown> } : c.id === cell.id ? overriding : c))
		});
		const before = scenariosOf(withBase(3000));
		const after = scenariosOf(withBase(6000));
		for (const name of cell.variants.map((v) => `${cell.id}/${v.name}`)) {
			expect(fixedCost(before[name])).toBe(3000);
			expect(fixedCost(after[name])).toBe(6000);
		}
		expect(fixedCost(after[`${cell.id}/lean_ops`])).toBe(1000);
	});
});

describe('older merge-patch variants', () => {
	it('migrate on import to edits that give exactly the scenarios the patches gave', () => {
		const legacy = JSON.parse(legacyText);
		expect(legacy.cells.some((c: { variants?: { patch?: unknown }[] }) => c.variants?.some((v) => v.patch && Object.keys(v.patch).length))).toBe(true);
		const nb = importNotebook(legacyText);
		const cell = nb.cells.find((c): c is ExperimentCell => c.kind === 'experiment')!;
		expect(cell.variants.every((v) => v.patch === undefined)).toBe(true);
		const base = (nb.cells.find((c) => c.id === cell.scenarioCell) as { scenario: Record<string, unknown> }).scenario;
		const legacyCell = legacy.cells.find((c: { id: string }) => c.id === cell.id);
		for (const [i, v] of cell.variants.entries()) expect(applyEdits(base, v.edits ?? {})).toEqual(mergePatch(base, legacyCell.variants[i].patch ?? {}));
	});

	it('still run in an experiment file', () => {
		const base = read('../../scenarios/industry-average.json');
		const checked = validateExperiment({ schema: 'lifecycle-lab/experiment@1', name: 'old', scenario: base, variants: [{ name: 'a' }, { name: 'b', patch: { dormancyDays: 60 } }] });
		if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
		expect(resolveVariants(checked.experiment, base)[1].scenario.dormancyDays).toBe(60);
	});

	it('are gone from every shipped notebook and experiment', () => {
		for (const dir of ['notebooks', 'experiments']) {
			for (const file of readdirSync(new URL(`../../scenarios/${dir}/`, import.meta.url))) {
				const text = readFileSync(new URL(`../../scenarios/${dir}/${file}`, import.meta.url), 'utf8');
				expect(text, file).not.toMatch(/"patch"/);
				if (dir === 'notebooks') expect(validateNotebook(JSON.parse(text)).ok, file).toBe(true);
			}
		}
	});
});
