import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRunnable, resolveJob } from '../../../src/lib/components/notebook/session/cellJobs';
import { validateNotebook } from '../../../src/lib/notebook/notebook';
import type { Cell, Notebook } from '../../../src/lib/notebook/schema';

const scenario = JSON.parse(readFileSync(new URL('../../fixtures/small-six-stage.json', import.meta.url), 'utf8'));

function notebook(): Notebook {
	const result = validateNotebook({
		schema: 'lifecycle-lab/notebook@1',
		id: 'nb',
		title: 'Jobs',
		createdAt: '2026-11-23T00:00:00.000Z',
		updatedAt: '2026-11-23T00:00:00.000Z',
		cells: [
			{ id: 'base', kind: 'scenario', scenario },
			{ id: 'ab', kind: 'experiment', scenarioCell: 'base', replications: 2, variants: [{ name: 'a' }, { name: 'b', patch: { dormancyDays: 30 } }] },
			{ id: 'plan', kind: 'testPlan', source: 'ab', metric: 'repurchase', days: 28, armSize: 500 },
			{ id: 'note', kind: 'text', markdown: 'text' }
		]
	});
	if (!result.ok) throw new Error('invalid test notebook');
	return result.notebook;
}
const cell = <K extends Cell['kind']>(nb: Notebook, id: string) => nb.cells.find((c) => c.id === id) as Extract<Cell, { kind: K }>;

describe('runnable cells as jobs', () => {
	it('tags each job with its cell kind and a content-hash key', async () => {
		const nb = notebook();
		const experiment = await resolveJob(nb, cell<'experiment'>(nb, 'ab'));
		const plan = await resolveJob(nb, cell<'testPlan'>(nb, 'plan'));
		expect(experiment.ok && experiment.job.kind).toBe('experiment');
		expect(plan.ok && plan.job.kind).toBe('testPlan');
		if (!experiment.ok || !plan.ok) return;
		expect(experiment.job.key).toMatch(/^[0-9a-f]{64}$/);
		expect(plan.job.key).not.toBe(experiment.job.key);
		expect(isRunnable(cell(nb, 'note'))).toBe(false);
		expect(isRunnable(cell(nb, 'base'))).toBe(false);
	});

	it('the same content gives the same key; a changed value another', async () => {
		const nb = notebook();
		const again = await resolveJob(notebook(), cell<'experiment'>(notebook(), 'ab'));
		const first = await resolveJob(nb, cell<'experiment'>(nb, 'ab'));
		const edited = { ...cell<'experiment'>(nb, 'ab'), replications: 3 };
		const changed = await resolveJob({ ...nb, cells: nb.cells.map((c) => (c.id === 'ab' ? edited : c)) }, edited);
		if (!first.ok || !again.ok || !changed.ok) throw new Error('unresolved');
		expect(again.job.key).toBe(first.job.key);
		expect(changed.job.key).not.toBe(first.job.key);
	});

	it('names the problem by path when a cell cannot run', async () => {
		const nb = notebook();
		const broken = { ...cell<'experiment'>(nb, 'ab'), scenarioCell: 'missing' };
		const resolution = await resolveJob({ ...nb, cells: nb.cells.map((c) => (c.id === 'ab' ? broken : c)) }, broken);
		expect(resolution.ok).toBe(false);
		if (!resolution.ok) expect(resolution.problems.length).toBeGreaterThan(0);
	});
});
