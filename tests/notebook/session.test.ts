import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotebookSession } from '../../src/lib/components/notebook/notebookSession.svelte';
import { validateNotebook } from '../../src/lib/notebook/notebook';
import type { Notebook } from '../../src/lib/notebook/schema';
import { NotebookStore } from '../../src/lib/storage/notebookStore';
import { createNodePool } from '../../src/lib/workers/nodePool';
import { summariserHere, type Summariser } from '../../src/lib/workers/summaryApi';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));
scenario.population.initial = 1000;
scenario.horizonDays = 60;

function notebook(): Notebook {
	const result = validateNotebook({
		schema: 'lifecycle-lab/notebook@1',
		id: 'nb',
		title: 'Session',
		createdAt: '2026-11-23T00:00:00.000Z',
		updatedAt: '2026-11-23T00:00:00.000Z',
		cells: [
			{ id: 'base', kind: 'scenario', scenario },
			{ id: 'ab', kind: 'experiment', scenarioCell: 'base', replications: 2, variants: [{ name: 'a' }, { name: 'b', patch: { dormancyDays: 30 } }] },
			{ id: 'table', kind: 'kpis', source: 'ab' },
			{ id: 'note', kind: 'text', markdown: 'text' }
		]
	});
	if (!result.ok) throw new Error('invalid test notebook');
	return result.notebook;
}

let store: NotebookStore;
const sessions: NotebookSession[] = [];
function open(nb: Notebook): NotebookSession {
	const session = new NotebookSession(nb, store, () => createNodePool(1));
	sessions.push(session);
	return session;
}

beforeEach(async () => {
	(globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
	store = await NotebookStore.open();
	await store.save(notebook());
});
afterEach(() => {
	for (const s of sessions.splice(0)) s.close();
	store.close();
});

const gmv = (session: NotebookSession) => session.results.ab.comparison.variants[0].kpis.gmv.mean;

describe('an open notebook', () => {
	it('re-runs an experiment after an edit to its scenario, and serves unchanged content from the cache', async () => {
		const session = open(notebook());
		await session.runAll();
		expect(session.run('ab').status).toBe('done');
		expect(session.run('ab').cached).toBe(false);
		expect(session.runAllBatch?.ids).toEqual(['ab']);
		expect(session.runAllBatch?.seconds).toBeGreaterThan(0); // the notebook can say Run all finished
		const before = gmv(session);

		const edited = { ...scenario, economics: { ...scenario.economics, grossMargin: 0.5 }, seed: 99 };
		session.updateCell('base', { scenario: edited });
		expect(session.run('ab').status).toBe('stale');
		session.updateCell('note', { markdown: 'other text' }); // text edits do not make anything stale
		await vi.waitFor(() => expect(session.run('ab').status).toBe('done'), { timeout: 30_000, interval: 50 });
		expect(session.run('ab').cached).toBe(false);
		expect(gmv(session)).not.toBe(before);

		session.updateCell('base', { scenario });
		await vi.waitFor(() => expect(gmv(session)).toBe(before), { timeout: 5_000, interval: 20 });
		expect(session.run('ab').cached).toBe(true);
	});

	it('never lets a second tab overwrite the first: it is told, and chooses', async () => {
		const first = open(notebook());
		const second = open(notebook());
		second.updateCell('note', { markdown: 'typed in the second tab' }); // not saved yet
		first.updateCell('note', { markdown: 'saved from the first tab' });
		await first.flush();
		await second.flush();
		expect(second.conflict).toBe(true);
		expect(second.saveState).toBe('failed');
		expect(((await store.get('nb'))!.cells[3] as { markdown: string }).markdown).toBe('saved from the first tab');

		await second.keepMine();
		expect(((await store.get('nb'))!.cells[3] as { markdown: string }).markdown).toBe('typed in the second tab');
		const kept = (await store.versions('nb')).map((v) => (v.notebook.cells[3] as { markdown: string }).markdown);
		expect(kept).toContain('saved from the first tab');

		// The first tab had nothing unsaved, so it follows the newer version and says so.
		await vi.waitFor(() => expect(first.reloadedFromElsewhere).toBe(true), { timeout: 2_000 });
		expect((first.notebook.cells[3] as { markdown: string }).markdown).toBe('typed in the second tab');
	});

	it('a Run all that was cancelled does not say it finished', async () => {
		const session = open(notebook());
		const running = session.runAll();
		session.cancel();
		await running;
		expect(session.runAllBatch?.seconds).toBeNull();
	});

	it('refuses to delete a cell others read, and undoes a delete in place', () => {
		const session = open(notebook());
		expect(session.deleteCell('ab')).toEqual(['table']);
		expect(session.deleteCell('table')).toEqual([]);
		expect(session.notebook.cells.map((c) => c.id)).toEqual(['base', 'ab', 'note']);
		session.undoDelete();
		expect(session.notebook.cells.map((c) => c.id)).toEqual(['base', 'ab', 'table', 'note']);
	});

	it('starts its workers ahead of the first run when asked, once, and the run uses them; never after it closed', async () => {
		let pools = 0;
		const session = new NotebookSession(notebook(), null, () => (pools++, createNodePool(1)));
		session.startWorkers();
		session.startWorkers();
		expect(pools).toBe(1);
		await session.runCell('ab');
		expect(session.run('ab').status).toBe('done');
		expect(pools).toBe(1);
		await session.close();
		const closed = new NotebookSession(notebook(), null, () => (pools++, createNodePool(1)));
		await closed.close();
		closed.startWorkers();
		expect(pools).toBe(1);
	});

	it('close() stops every timer it started (autosave and the pending re-run)', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const session = new NotebookSession(notebook(), null, () => createNodePool(1));
			session.run('ab').status = 'done';
			session.updateCell('base', { scenario: { ...scenario, seed: 7 } }); // schedules a save and a re-run
			expect(session.run('ab').status).toBe('stale');
			expect(vi.getTimerCount()).toBe(2);
			await session.close();
			expect(vi.getTimerCount()).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});

	it('summarises through its summariser, and a partial summary answering late never replaces the final results', async () => {
		const sizes: number[] = [];
		const here = summariserHere();
		// The partial summaries answer well after the final one: as a busy summary worker might.
		const slow: Summariser = {
			...here,
			summariseStream: async (...args) => {
				const value = await here.summariseStream(...args);
				sizes.push(value?.replications ?? 0);
				await new Promise((r) => setTimeout(r, 300));
				return value;
			},
			summarise: async (...args) => {
				sizes.push(args[2][0].outputs.length);
				return here.summarise(...args);
			}
		};
		const session = new NotebookSession(notebook(), null, () => createNodePool(1), () => slow);
		sessions.push(session);
		await session.runAll();
		expect(sizes).toContain(1);
		expect(sizes.at(-1)).toBe(2);
		expect(session.results.ab.replications).toBe(2);
		await new Promise((r) => setTimeout(r, 400));
		expect(session.results.ab.replications).toBe(2);
	});
});
