/**
 * One open notebook in the page: the document (replaced, never mutated, on
 * each edit, so every edit is a value that autosave stores and undo brings
 * back), what each runnable cell is doing, and the one worker pool they
 * share. Runs go one at a time through a queue; a new request (an edit, Run
 * all) cancels the run in flight. Results are looked up by content hash in
 * memory, then in IndexedDB, before anything is simulated.
 */
import { checkMemory, estimateMemory, MemoryBudgetError } from '../../engine/memory';
import { shardCount, shardTasks } from '../../engine/run';
import type { ScenarioProblem } from '../../engine/scenario/validate';
import { runVariants, type RunLosses } from '../../experiment/runVariants';
import { Autosave, type AutosaveState } from '../../notebook/autosave';
import { ReplicationCollector, resolveExperimentCell, resultKey, summarise, type ExperimentResults, type ResolvedExperiment } from '../../notebook/experimentCell';
import { dependents, referenceOf } from '../../notebook/notebook';
import type { Cell, CellKind, Notebook } from '../../notebook/schema';
import { planTotalTests, resolveTestPlanCell, runTestPlan, testPlanKey, type ResolvedTestPlan, type TestPlanResults } from '../../notebook/testPlanCell';
import { shippedResult } from '../../notebook/shippedResults';
import { StorageError, type NotebookStore, type StorageProblem } from '../../storage/notebookStore';
import { poolArmRunner } from '../../workers/armRunner';
import { createBrowserPool } from '../../workers/browserPool';
import { CancelledError, type WorkerPool } from '../../workers/pool';

export type CellStatus = 'idle' | 'stale' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'tooBig';

/** What a runnable cell (experiment or test plan) is doing and has. */
export interface CellRun {
	status: CellStatus;
	replicationsDone: number;
	replications: number;
	daysDone: number;
	days: number;
	elapsedSeconds: number;
	/** Problems of the cell or its scenario, by path; the cell cannot run until they are fixed. */
	problems: ScenarioProblem[];
	error: string;
	/** Whether the results came from the cache rather than this run. */
	cached: boolean;
	/** Size a refused run needed and the budget, in GB. */
	tooBig: { neededGb: number; availableGb: number } | null;
}

/** Tabs tell each other here when they save a notebook. */
const SAVED_CHANNEL = 'lifecycle-lab.saved';

/** What a browser tab lets a run use. */
const BROWSER_BUDGET_BYTES = 1.5 * 2 ** 30;
/** Edits settle this long before dependent cells re-run. */
const RERUN_DELAY_MS = 800;
/** Partial results are summarised at most this often while a run streams in. */
const PARTIAL_EVERY_MS = 400;

const emptyRun = (): CellRun => ({
	status: 'idle',
	replicationsDone: 0,
	replications: 0,
	daysDone: 0,
	days: 0,
	elapsedSeconds: 0,
	problems: [],
	error: '',
	cached: false,
	tooBig: null
});

const runnable = (cell: Cell) => cell.kind === 'experiment' || cell.kind === 'testPlan';

export class NotebookSession {
	notebook = $state.raw<Notebook>(null as unknown as Notebook);
	runs = $state<Record<string, CellRun>>({});
	/** Results by cell, kept out of deep state: they are large and only ever replaced whole. */
	results = $state.raw<Record<string, ExperimentResults>>({});
	plans = $state.raw<Record<string, TestPlanResults>>({});
	saveState = $state<AutosaveState>('saved');
	saveError = $state('');
	/** Why the last save failed, for the message in the user's language. */
	saveProblem = $state<StorageProblem | null>(null);
	/** Deleted cells, newest last, for undo. */
	deleted = $state.raw<{ cell: Cell; index: number }[]>([]);
	/** The cell a run is working on, if any. */
	activeCell = $state<string | null>(null);
	/** Another tab saved this notebook over the version this tab's edits are based on. */
	conflict = $state(false);
	/** Set when the document was replaced by another tab's newer version. */
	reloadedFromElsewhere = $state(false);

	private pool: WorkerPool | null = null;
	private autosave: Autosave<Notebook>;
	private memory = new Map<string, unknown>();
	private queue: string[] = [];
	private generation = 0;
	private rerunTimer: ReturnType<typeof setTimeout> | null = null;
	/** The stored updatedAt this tab's document is based on: a save over anything else is a conflict. */
	private basedOn: string | null;
	private channel: BroadcastChannel | null = null;

	constructor(
		notebook: Notebook,
		readonly store: NotebookStore | null,
		private readonly createPool: () => WorkerPool = createBrowserPool
	) {
		this.notebook = notebook;
		this.basedOn = store ? notebook.updatedAt : null;
		this.autosave = new Autosave(
			(nb) => this.save(nb),
			(state, error) => {
				this.saveState = state;
				this.saveError = error?.message ?? '';
				this.saveProblem = error ? (error instanceof StorageError ? error.problem : 'failed') : null;
				if (error instanceof StorageError && error.problem === 'conflict') this.conflict = true;
			}
		);
		for (const cell of notebook.cells) if (runnable(cell)) this.runs[cell.id] = emptyRun();
		if (store && typeof BroadcastChannel !== 'undefined') {
			this.channel = new BroadcastChannel(SAVED_CHANNEL);
			this.channel.onmessage = (event) => void this.savedElsewhere(event.data);
		}
	}

	private async save(nb: Notebook): Promise<void> {
		if (!this.store) throw new StorageError('unavailable', 'storage unavailable');
		await this.store.save(nb, this.basedOn);
		this.basedOn = nb.updatedAt;
		this.channel?.postMessage({ id: nb.id, updatedAt: nb.updatedAt });
	}

	/** Another tab saved a notebook: this one follows it when it has no edits of its own, else the user is asked. */
	private async savedElsewhere(message: { id: string; updatedAt: string }): Promise<void> {
		if (message.id !== this.notebook.id || message.updatedAt === this.basedOn) return;
		if (this.saveState === 'saved') await this.loadTheirs();
		else this.conflict = true;
	}

	/** Replaces this tab's document by the stored one (the other tab's). */
	async loadTheirs(): Promise<void> {
		const theirs = await this.store?.get(this.notebook.id);
		if (!theirs) return;
		this.cancel();
		this.basedOn = theirs.updatedAt;
		this.notebook = theirs;
		this.runs = Object.fromEntries(theirs.cells.filter(runnable).map((c) => [c.id, emptyRun()]));
		this.results = {};
		this.plans = {};
		this.conflict = false;
		this.reloadedFromElsewhere = true;
		await this.showCached();
	}

	/** Saves this tab's document over the other tab's (which stays among the versions, so nothing is lost). */
	async keepMine(): Promise<void> {
		const theirs = await this.store?.get(this.notebook.id);
		this.basedOn = theirs?.updatedAt ?? null;
		this.conflict = false;
		this.autosave.schedule({ ...this.notebook, updatedAt: new Date().toISOString() });
		await this.autosave.flush();
	}

	run(id: string): CellRun {
		return (this.runs[id] ??= emptyRun());
	}

	cell(id: string): Cell | undefined {
		return this.notebook.cells.find((c) => c.id === id);
	}

	// ── editing ────────────────────────────────────────────────────────────

	/** Replaces the document; `changed` names the cell whose content changed, so what depends on it goes stale and re-runs. */
	private commit(cells: Cell[], changed: string | null, title = this.notebook.title): void {
		this.notebook = { ...this.notebook, title, cells, updatedAt: new Date().toISOString() };
		this.autosave.schedule(this.notebook);
		if (changed === null) return;
		const stale = [changed, ...dependents(this.notebook, changed)].filter((id) => runnable(this.cell(id)!));
		for (const id of stale) if (this.run(id).status !== 'idle') this.run(id).status = 'stale';
		if (stale.some((id) => this.run(id).status === 'stale')) this.scheduleRerun();
	}

	setTitle(title: string): void {
		this.commit(this.notebook.cells, null, title);
	}

	/** Replaces one cell's fields. */
	updateCell<K extends CellKind>(id: string, fields: Partial<Extract<Cell, { kind: K }>>): void {
		const cells = this.notebook.cells.map((c) => (c.id === id ? ({ ...c, ...fields } as Cell) : c));
		const content = Object.keys(fields).some((k) => k !== 'collapsed');
		this.commit(cells, content ? id : null);
	}

	addCell(cell: Cell, index = this.notebook.cells.length): void {
		const cells = [...this.notebook.cells];
		cells.splice(index, 0, cell);
		if (runnable(cell)) this.runs[cell.id] = emptyRun();
		this.commit(cells, null);
	}

	moveCell(id: string, delta: -1 | 1): void {
		const cells = [...this.notebook.cells];
		const i = cells.findIndex((c) => c.id === id);
		const j = i + delta;
		if (i < 0 || j < 0 || j >= cells.length) return;
		[cells[i], cells[j]] = [cells[j], cells[i]];
		this.commit(cells, null);
	}

	/** Deletes a cell; refused (returns the cells that name it) while other cells depend on it. */
	deleteCell(id: string): string[] {
		const users = this.notebook.cells.filter((c) => referenceOf(c) === id).map((c) => c.id);
		if (users.length) return users;
		const index = this.notebook.cells.findIndex((c) => c.id === id);
		this.deleted = [...this.deleted, { cell: this.notebook.cells[index], index }];
		this.commit(this.notebook.cells.filter((c) => c.id !== id), null);
		return [];
	}

	undoDelete(): void {
		const last = this.deleted.at(-1);
		if (!last) return;
		this.deleted = this.deleted.slice(0, -1);
		this.addCell(last.cell, Math.min(last.index, this.notebook.cells.length));
	}

	/** Brings back an earlier version of the whole document (itself saved as the newest version). */
	restore(version: Notebook): void {
		this.cancel();
		this.notebook = version;
		this.runs = Object.fromEntries(version.cells.filter(runnable).map((c) => [c.id, emptyRun()]));
		this.results = {};
		this.plans = {};
		this.autosave.schedule({ ...version, updatedAt: new Date().toISOString() });
		void this.showCached();
	}

	/** Saves now (before the page goes away). */
	flush(): Promise<void> {
		return this.autosave.flush();
	}

	// ── running ────────────────────────────────────────────────────────────

	/** Shows cached results of every runnable cell whose inputs are unchanged, without simulating anything. */
	async showCached(): Promise<void> {
		for (const cell of this.notebook.cells) {
			if (cell.kind === 'experiment' || cell.kind === 'testPlan') await this.prepare(cell.id, null);
		}
	}

	/** Runs every experiment, then every test plan, in notebook order. */
	runAll(): Promise<void> {
		const cells = this.notebook.cells;
		return this.enqueue([...cells.filter((c) => c.kind === 'experiment'), ...cells.filter((c) => c.kind === 'testPlan')].map((c) => c.id));
	}

	/** Runs one cell: an experiment or test plan itself, or the experiment behind a chart or KPI table. */
	runCell(id: string): Promise<void> {
		const cell = this.cell(id);
		if (!cell) return Promise.resolve();
		if (cell.kind === 'chart' || cell.kind === 'kpis') return this.runCell(cell.source);
		if (!runnable(cell)) return Promise.resolve();
		return this.enqueue([id]);
	}

	/** Stops the run in flight and everything queued. */
	cancel(): void {
		this.generation++;
		for (const id of this.queue) if (this.run(id).status === 'queued') this.run(id).status = 'cancelled';
		this.queue = [];
		if (this.activeCell) this.pool?.cancel();
	}

	close(): void {
		this.cancel();
		void this.autosave.flush();
		this.pool?.close();
		this.channel?.close();
	}

	private scheduleRerun(): void {
		if (this.rerunTimer) clearTimeout(this.rerunTimer);
		this.rerunTimer = setTimeout(() => {
			const stale = this.notebook.cells.filter((c) => runnable(c) && this.run(c.id).status === 'stale').map((c) => c.id);
			if (stale.length) void this.enqueue(stale);
		}, RERUN_DELAY_MS);
	}

	private async enqueue(ids: string[]): Promise<void> {
		// A run asked for while an edit's re-run is pending takes the stale cells along, so the pending one cannot cancel it.
		if (this.rerunTimer) {
			clearTimeout(this.rerunTimer);
			this.rerunTimer = null;
			const stale = this.notebook.cells.filter((c) => runnable(c) && this.run(c.id).status === 'stale' && !ids.includes(c.id)).map((c) => c.id);
			ids = [...ids, ...stale];
		}
		this.cancel();
		const generation = this.generation;
		this.queue = [...ids];
		for (const id of ids) this.run(id).status = 'queued';
		while (this.queue.length && generation === this.generation) {
			const id = this.queue.shift()!;
			this.activeCell = id;
			try {
				await this.prepare(id, generation);
			} finally {
				if (this.activeCell === id) this.activeCell = null;
			}
		}
	}

	/**
	 * Resolves a cell and shows its cached results; with the run's generation
	 * (null: only look in the cache) simulates when nothing is cached, unless
	 * a cancel came while the cache was being read.
	 */
	private async prepare(id: string, generation: number | null): Promise<void> {
		const cell = this.cell(id);
		const state = this.run(id);
		const cacheOnly = generation === null;
		const resolution = cell?.kind === 'experiment' ? resolveExperimentCell(this.notebook, cell) : cell?.kind === 'testPlan' ? resolveTestPlanCell(this.notebook, cell) : null;
		if (!resolution) return;
		state.problems = resolution.ok ? [] : resolution.problems;
		if (!resolution.ok) return void (state.status = cacheOnly ? 'idle' : 'failed');
		const isPlan = 'control' in resolution.resolved;
		const key = isPlan ? await testPlanKey(resolution.resolved as ResolvedTestPlan) : await resultKey(resolution.resolved as ResolvedExperiment);
		const cached = await this.cached<ExperimentResults | TestPlanResults>(key);
		if (cached) return isPlan ? this.finish(id, { cached: true }, undefined, cached as TestPlanResults) : this.finish(id, { cached: true }, cached as ExperimentResults);
		if (cacheOnly) return;
		if (generation !== this.generation) return void (state.status = 'cancelled');
		if (isPlan) await this.plan(state, id, resolution.resolved as ResolvedTestPlan, key);
		else await this.simulate(state, id, resolution.resolved as ResolvedExperiment, key);
	}

	private finish(id: string, fields: Partial<CellRun>, results?: ExperimentResults, plan?: TestPlanResults): void {
		Object.assign(this.run(id), { status: 'done', error: '', tooBig: null }, fields);
		if (results) this.results = { ...this.results, [id]: results };
		if (plan) this.plans = { ...this.plans, [id]: plan };
	}

	private async cached<T>(key: string): Promise<T | undefined> {
		if (this.memory.has(key)) return this.memory.get(key) as T;
		// An example's results ship with the app under the same content hash a run stores them under.
		const stored = (await this.store?.getResult<T>(key).catch(() => undefined)) ?? (await shippedResult<T>(key));
		if (stored) this.memory.set(key, stored);
		return stored;
	}

	private remember(key: string, results: unknown): void {
		this.memory.set(key, results);
		// A full quota only loses the cache: the results stay on screen.
		void this.store?.putResult(key, results).catch(() => {});
	}

	private async simulate(state: CellRun, id: string, resolved: ResolvedExperiment, key: string): Promise<void> {
		const replications = resolved.experiment.replications;
		this.pool ??= this.createPool();
		const biggest = resolved.runs.reduce((a, b) => (b.scenario.population.initial > a.scenario.population.initial ? b : a)).scenario;
		try {
			const tasks = shardTasks(biggest, replications).length * resolved.runs.length;
			checkMemory(estimateMemory(biggest, shardCount(biggest.population.initial), tasks, this.pool.size), BROWSER_BUDGET_BYTES);
		} catch (error) {
			if (!(error instanceof MemoryBudgetError)) throw error;
			state.status = 'tooBig';
			state.tooBig = { neededGb: error.estimate.totalBytes / 2 ** 30, availableGb: error.budgetBytes / 2 ** 30 };
			return;
		}
		Object.assign(state, { status: 'running', replicationsDone: 0, replications, daysDone: 0, days: 0, elapsedSeconds: 0, error: '', cached: false, tooBig: null });
		const started = performance.now();
		const collector = new ReplicationCollector(resolved.runs);
		let lastPartial = 0;
		const losses: RunLosses = { failures: [], droppedReplications: [] };
		const pool = this.pool;
		try {
			const runs = await runVariants(resolved.runs, replications, (jobs, options) => pool.runJobs(jobs, options), resolved.experiment.commonRandomNumbers, losses, {
				onProgress: (p) => {
					state.daysDone = p.daysDone;
					state.days = p.days;
					state.elapsedSeconds = (performance.now() - started) / 1000;
				},
				onReplication: (name, k, output) => {
					collector.add(name, k, output);
					const complete = collector.complete();
					state.replicationsDone = complete?.[0].outputs.length ?? 0;
					if (complete && performance.now() - lastPartial > PARTIAL_EVERY_MS) {
						lastPartial = performance.now();
						this.results = { ...this.results, [id]: summarise(key, resolved, complete, (lastPartial - started) / 1000) };
					}
				}
			});
			const results = summarise(key, resolved, runs, (performance.now() - started) / 1000, losses.failures);
			this.remember(key, results);
			this.finish(id, { cached: false, elapsedSeconds: results.wallSeconds }, results);
		} catch (error) {
			this.failed(state, error);
		}
	}

	private async plan(state: CellRun, id: string, resolved: ResolvedTestPlan, key: string): Promise<void> {
		this.pool ??= this.createPool();
		Object.assign(state, { status: 'running', replicationsDone: 0, replications: planTotalTests(resolved.cell), daysDone: 0, days: 0, elapsedSeconds: 0, error: '', cached: false });
		const started = performance.now();
		try {
			// Progress counts simulated tests (two arms each) against the most the plan can run.
			const plan = await runTestPlan(key, resolved, poolArmRunner(this.pool, (arms) => {
				state.replicationsDone += arms / 2;
				state.elapsedSeconds = (performance.now() - started) / 1000;
			}));
			this.remember(key, plan);
			this.finish(id, { cached: false }, undefined, plan);
		} catch (error) {
			this.failed(state, error);
		}
	}

	private failed(state: CellRun, error: unknown): void {
		if (error instanceof CancelledError) state.status = 'cancelled';
		else {
			state.status = 'failed';
			state.error = (error as Error)?.message ?? String(error);
		}
	}
}
