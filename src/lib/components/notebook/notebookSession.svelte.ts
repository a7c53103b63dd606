/**
 * One open notebook in the page, composed of its parts (each in session/):
 * the document and undo (NotebookDocument), autosave and other tabs
 * (SaveSync), the run queue (RunQueue), the bounded result cache
 * (ResultCache), the memory budget and one runner per kind of runnable cell.
 * This class wires them: an edit makes what depends on it stale and re-runs
 * it after a pause; results are looked up by content hash before anything
 * is simulated; every run shares one worker pool, and results are
 * summarised in a worker of their own (createSummariser).
 */
import { dependents } from '../../notebook/notebook';
import type { ExperimentResults } from '../../notebook/experimentCell';
import type { Cell, CellKind, Notebook } from '../../notebook/schema';
import type { TestPlanResults } from '../../notebook/testPlanCell';
import type { NotebookStore } from '../../storage/notebookStore';
import { createBrowserPool, createHelperPool } from '../../workers/browserPool';
import { whenChartsDrawn } from '../chartQueue';
import { CancelledError, type WorkerPool } from '../../workers/pool';
import { createSummariser, type Summariser } from '../../workers/summaryApi';
import { isRunnable, resolveJob, type CellResults } from './session/cellJobs';
import { emptyRun, type CellRun } from './session/cellRun';
import { NotebookDocument } from './session/notebookDocument.svelte';
import { ResultCache } from './session/resultCache';
import { RunQueue } from './session/runQueue';
import { runJob } from './session/runners';
import { SaveSync } from './session/saveSync.svelte';
import { warmUpScenarios } from './session/warmUpScenarios';

export type { CellRun, CellStatus } from './session/cellRun';

/** Edits settle this long before dependent cells re-run. */
export const RERUN_DELAY_MS = 800;

export class NotebookSession {
	runs = $state<Record<string, CellRun>>({});
	/** Results by cell, kept out of deep state: they are large and only ever replaced whole. */
	results = $state.raw<Record<string, ExperimentResults>>({});
	plans = $state.raw<Record<string, TestPlanResults>>({});
	/** The cell a run is working on, if any. */
	activeCell = $state<string | null>(null);
	/** Set when the document was replaced by another tab's newer version. */
	reloadedFromElsewhere = $state(false);
	/** The last Run all: the cells it runs, when it started, and its seconds once every cell is through (null while it goes, or when overtaken). */
	runAllBatch = $state<{ ids: string[]; startedAt: number; seconds: number | null } | null>(null);

	private readonly document: NotebookDocument;
	private readonly saving: SaveSync;
	private readonly queue: RunQueue;
	private readonly cache: ResultCache;
	private pool: WorkerPool | null = null;
	/** A worker on the page's own core, for test plans only (undefined until asked for; null where there is none). */
	private helper: WorkerPool | null | undefined = undefined;
	private summariser: Summariser;
	private rerunTimer: ReturnType<typeof setTimeout> | null = null;
	private closed = false;

	constructor(
		notebook: Notebook,
		readonly store: NotebookStore | null,
		private readonly createPool: () => WorkerPool = createBrowserPool,
		newSummariser: () => Summariser = createSummariser,
		private readonly createHelper: () => WorkerPool | null = createHelperPool
	) {
		this.document = new NotebookDocument(notebook, (nb, changed) => this.edited(nb, changed));
		this.saving = new SaveSync(notebook, store, () => void this.followTheirs());
		this.cache = new ResultCache(store);
		this.queue = new RunQueue((id, generation) => this.prepare(id, generation), {
			onQueued: (id) => (this.run(id).status = 'queued'),
			onDropped: (id) => {
				if (this.run(id).status === 'queued') this.run(id).status = 'cancelled';
			},
			onActive: (id) => (this.activeCell = id),
			onStop: () => {
				this.pool?.cancel();
				this.helper?.cancel();
			}
		});
		this.resetRuns(notebook);
		// Started with the page, not with the first run: loading the summary worker must not take a core while a run starts.
		this.summariser = newSummariser();
	}

	// ── what the components read ──────────────────────────────────────────

	get notebook(): Notebook {
		return this.document.notebook;
	}
	get deleted(): { cell: Cell; index: number }[] {
		return this.document.deleted;
	}
	get saveState() {
		return this.saving.saveState;
	}
	get saveError(): string {
		return this.saving.saveError;
	}
	get saveProblem() {
		return this.saving.saveProblem;
	}
	get conflict(): boolean {
		return this.saving.conflict;
	}
	/** Whether closing the tab now could lose an edit or leave a conflict with another tab unresolved. */
	get unsafeToClose(): boolean {
		return this.saving.unsafeToClose;
	}

	/** What a runnable cell is doing. */
	run(id: string): CellRun {
		return (this.runs[id] ??= emptyRun());
	}

	/** The cell with this id. */
	cell(id: string): Cell | undefined {
		return this.document.cell(id);
	}

	// ── editing ────────────────────────────────────────────────────────────

	/** Replaces the title. */
	setTitle(title: string): void {
		this.document.setTitle(title);
	}

	/** Replaces one cell's fields. */
	updateCell<K extends CellKind>(id: string, fields: Partial<Extract<Cell, { kind: K }>>): void {
		this.document.updateCell<K>(id, fields);
	}

	/** Inserts a cell at `index` (the end by default). */
	addCell(cell: Cell, index?: number): void {
		if (isRunnable(cell)) this.runs[cell.id] = emptyRun();
		this.document.addCell(cell, index);
	}

	/** Swaps a cell with its neighbour above (-1) or below (1). */
	moveCell(id: string, delta: -1 | 1): void {
		this.document.moveCell(id, delta);
	}

	/** Deletes a cell; refused (returns the cells that name it) while other cells depend on it. */
	deleteCell(id: string): string[] {
		return this.document.deleteCell(id);
	}

	/** Brings back the last deleted cell where it was. */
	undoDelete(): void {
		const cell = this.document.deleted.at(-1)?.cell;
		if (cell && isRunnable(cell)) this.runs[cell.id] = emptyRun();
		this.document.undoDelete();
	}

	/** Brings back an earlier version of the whole document (itself saved as the newest version). */
	restore(version: Notebook): void {
		this.replaceDocument(version);
		this.saving.schedule({ ...version, updatedAt: new Date().toISOString() });
		void this.showCached();
	}

	/** Saves now (before the page goes away). */
	flush(): Promise<void> {
		return this.saving.flush();
	}

	/** Replaces this tab's document by the stored one (the other tab's); this tab's own copy stays among the versions. */
	async loadTheirs(): Promise<void> {
		const theirs = await this.saving.theirs(this.notebook.id);
		if (!theirs) return;
		this.replaceDocument(theirs);
		this.reloadedFromElsewhere = true;
		await this.showCached();
	}

	/** Saves this tab's document over the other tab's (which stays among the versions, so nothing is lost). */
	keepMine(): Promise<void> {
		return this.saving.keepMine(this.notebook);
	}

	// ── running ────────────────────────────────────────────────────────────

	/** Shows cached results of every runnable cell whose inputs are unchanged, without simulating anything. */
	async showCached(): Promise<void> {
		for (const cell of this.notebook.cells) if (isRunnable(cell)) await this.prepare(cell.id, null);
	}

	/**
	 * Starts the simulation workers before the first run, when the notebook has
	 * a cell to run, and has them simulate the first days of its experiments'
	 * runs (see workers/warmUp.ts): loading and compiling their code then does
	 * not delay it.
	 */
	startWorkers(): void {
		if (!this.closed && this.notebook.cells.some(isRunnable) && !this.pool) {
			const pool = (this.pool = this.createPool());
			// Once the opened notebook's charts are drawn: warming takes both cores, and the page's first view comes first.
			void whenChartsDrawn().then(() => pool.warmUp(warmUpScenarios(this.notebook)));
		}
		if (!this.closed && this.notebook.cells.some((c) => c.kind === 'testPlan')) this.helperPool();
	}

	/** The test plans' extra worker, started on first use. */
	private helperPool(): WorkerPool | null {
		if (this.helper === undefined) this.helper = this.createHelper();
		return this.helper;
	}

	/** Runs every experiment, then every test plan, in notebook order. */
	async runAll(): Promise<void> {
		const batch = { ids: this.runAllOrder(), startedAt: performance.now(), seconds: null };
		this.runAllBatch = batch;
		await this.enqueue(batch.ids);
		// Overtaken by another request (an edit, a cancel): the batch did not finish, so it does not say it did.
		if (this.runAllBatch?.startedAt === batch.startedAt && batch.ids.every((id) => this.run(id).status !== 'queued' && this.run(id).status !== 'cancelled')) {
			this.runAllBatch = { ...batch, seconds: (performance.now() - batch.startedAt) / 1000 };
		}
	}

	/** The cells Run all runs, in the order it runs them. */
	runAllOrder(): string[] {
		const cells = this.notebook.cells;
		return [...cells.filter((c) => c.kind === 'experiment'), ...cells.filter((c) => c.kind === 'testPlan')].map((c) => c.id);
	}

	/** Runs one cell: an experiment or test plan itself, or the experiment behind a chart or KPI table. */
	runCell(id: string): Promise<void> {
		const cell = this.cell(id);
		if (!cell) return Promise.resolve();
		if (cell.kind === 'chart' || cell.kind === 'kpis') return this.runCell(cell.source);
		if (!isRunnable(cell)) return Promise.resolve();
		return this.enqueue([id]);
	}

	/** Queues cells to run; a re-run still waiting out an edit's pause is folded in, so its timer cannot cancel this run. */
	private enqueue(ids: string[]): Promise<void> {
		if (this.rerunTimer) {
			clearTimeout(this.rerunTimer);
			this.rerunTimer = null;
			const stale = this.notebook.cells.filter((c) => isRunnable(c) && this.run(c.id).status === 'stale' && !ids.includes(c.id)).map((c) => c.id);
			ids = [...ids, ...stale];
		}
		return this.queue.enqueue(ids);
	}

	/** Stops the run in flight and everything queued. */
	cancel(): void {
		this.queue.cancel();
	}

	/** Stops everything this session started: runs, timers, the pool and the other-tab channel; saves what is pending. */
	close(): Promise<void> {
		this.closed = true;
		this.cancel();
		if (this.rerunTimer) clearTimeout(this.rerunTimer);
		this.rerunTimer = null;
		this.pool?.close();
		this.pool = null;
		this.helper?.close();
		this.helper = null;
		this.summariser.close();
		return this.saving.close();
	}

	// ── wiring ─────────────────────────────────────────────────────────────

	/** An edit: save it; when a cell's content changed, what reads it goes stale and re-runs after a pause. */
	private edited(notebook: Notebook, changed: string | null): void {
		this.saving.schedule(notebook);
		if (changed === null) return;
		const stale = [changed, ...dependents(notebook, changed)].filter((id) => isRunnable(this.cell(id)));
		for (const id of stale) if (this.run(id).status !== 'idle') this.run(id).status = 'stale';
		if (stale.some((id) => this.run(id).status === 'stale')) this.scheduleRerun();
	}

	/** Another tab saved: follow it, unless this tab was edited meanwhile (then the user chooses). */
	private async followTheirs(): Promise<void> {
		const before = this.notebook;
		const theirs = await this.saving.theirs(this.notebook.id);
		if (!theirs) return;
		if (this.notebook !== before) {
			this.saving.conflict = true;
			return;
		}
		this.replaceDocument(theirs);
		this.reloadedFromElsewhere = true;
		await this.showCached();
	}

	private replaceDocument(notebook: Notebook): void {
		this.cancel();
		this.document.replace(notebook);
		this.resetRuns(notebook);
		this.results = {};
		this.plans = {};
	}

	private resetRuns(notebook: Notebook): void {
		this.runs = Object.fromEntries(notebook.cells.filter(isRunnable).map((c) => [c.id, emptyRun()]));
	}

	private scheduleRerun(): void {
		if (this.rerunTimer) clearTimeout(this.rerunTimer);
		this.rerunTimer = setTimeout(() => {
			this.rerunTimer = null;
			const stale = this.notebook.cells.filter((c) => isRunnable(c) && this.run(c.id).status === 'stale').map((c) => c.id);
			if (stale.length) void this.queue.enqueue(stale);
		}, RERUN_DELAY_MS);
	}

	/**
	 * Resolves a cell and shows its cached results; with the run's generation
	 * (null: only look in the cache) simulates when nothing is cached, unless
	 * a cancel came while the cache was being read.
	 */
	private async prepare(id: string, generation: number | null): Promise<void> {
		const cell = this.cell(id);
		if (!isRunnable(cell)) return;
		const state = this.run(id);
		const cacheOnly = generation === null;
		const resolution = await resolveJob(this.notebook, cell);
		state.problems = resolution.ok ? [] : resolution.problems;
		if (!resolution.ok) return void (state.status = cacheOnly ? 'idle' : 'failed');
		const job = resolution.job;
		const cached = await this.cache.get<CellResults['value']>(job.key);
		if (cached) return this.finish(id, { cached: true }, { kind: job.kind, value: cached } as CellResults);
		if (cacheOnly) return;
		if (!this.queue.isCurrent(generation)) return void (state.status = 'cancelled');
		this.pool ??= this.createPool();
		try {
			const helper = job.kind === 'testPlan' ? this.helperPool() : null;
			const results = await runJob(job, { pool: this.pool, helper, state, partial: (r) => this.show(id, r), summariser: this.summariser });
			if (!results) return;
			this.cache.put(job.key, results.value);
			this.finish(id, { cached: false }, results);
		} catch (error) {
			this.failed(state, error);
		}
	}

	private show(id: string, results: CellResults): void {
		if (results.kind === 'experiment') this.results = { ...this.results, [id]: results.value };
		else this.plans = { ...this.plans, [id]: results.value };
	}

	private finish(id: string, fields: Partial<CellRun>, results: CellResults): void {
		Object.assign(this.run(id), { status: 'done', error: '', tooBig: null }, fields);
		this.show(id, results);
	}

	private failed(state: CellRun, error: unknown): void {
		if (error instanceof CancelledError) state.status = 'cancelled';
		else {
			state.status = 'failed';
			state.error = (error as Error)?.message ?? String(error);
		}
	}
}
