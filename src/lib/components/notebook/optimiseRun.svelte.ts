/**
 * The run of one optimise cell in this page: its own worker pool (so the
 * notebook's queue is not held for minutes), progress as batches come in,
 * and the report. Cancel stops the workers at once; the search then reports
 * what it had evaluated and says it stopped early. Kept per cell id for the
 * page's life, so a re-rendered cell finds its run.
 */
import type { ScenarioProblem } from '../../engine/scenario/validate';
import { optimise, type EvaluationRecord, type OptimiseReport } from '../../experiment/optimise/optimise';
import { resolveOptimiseCell, type OptimiseCell } from '../../notebook/optimiseCell';
import type { Notebook } from '../../notebook/schema';
import { createBrowserPool } from '../../workers/browserPool';
import type { WorkerPool } from '../../workers/pool';

export type OptimiseStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export class OptimiseRun {
	status = $state<OptimiseStatus>('idle');
	phase = $state<'search' | 'selection'>('search');
	evaluationsDone = $state(0);
	evaluations = $state(0);
	simulations = $state(0);
	/** Share of the current batch's simulated days done, 0 to 1. */
	batchShare = $state(0);
	problems = $state.raw<ScenarioProblem[]>([]);
	error = $state('');
	history = $state.raw<EvaluationRecord[]>([]);
	report = $state.raw<OptimiseReport | null>(null);
	private pool: WorkerPool | null = null;

	/** Runs the cell's optimisation; a run in flight is cancelled first. */
	async start(notebook: Notebook, cell: OptimiseCell, createPool: () => WorkerPool = createBrowserPool): Promise<void> {
		this.cancel();
		const resolution = resolveOptimiseCell(notebook, cell);
		this.problems = resolution.ok ? [] : resolution.problems;
		if (!resolution.ok) return void (this.status = 'failed');
		const pool = (this.pool = createPool());
		Object.assign(this, { status: 'running', phase: 'search', evaluationsDone: 0, evaluations: cell.design.evaluations, simulations: 0, batchShare: 0, error: '', history: [], report: null });
		try {
			const report = await optimise(cell.design, resolution.base, (jobs, options) => pool.runJobs(jobs, options), {
				experiment: cell.id,
				onProgress: (p) => {
					if (this.pool !== pool) return;
					this.phase = p.phase;
					this.evaluationsDone = p.evaluationsDone;
					this.simulations = p.simulations;
					this.batchShare = p.run && p.run.days ? p.run.daysDone / p.run.days : 0;
					if (!p.run) this.history = p.history;
				}
			});
			if (this.pool !== pool) return;
			this.report = report;
			this.history = report.history;
			this.status = report.meta.stoppedEarly ? 'cancelled' : 'done';
		} catch (error) {
			if (this.pool !== pool) return;
			this.status = 'failed';
			this.error = (error as Error)?.message ?? String(error);
		} finally {
			pool.close();
			if (this.pool === pool) this.pool = null;
		}
	}

	/** Stops the workers; the search reports what it evaluated. */
	cancel(): void {
		this.pool?.cancel();
	}
}

const runs = new Map<string, OptimiseRun>();

/** The run of a cell, made on first use. */
export function optimiseRun(cellId: string): OptimiseRun {
	let run = runs.get(cellId);
	if (!run) runs.set(cellId, (run = new OptimiseRun()));
	return run;
}
