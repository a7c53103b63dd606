/**
 * One runner per kind of runnable cell: each simulates its job on the shared
 * worker pool, reports progress into the cell's CellRun, and gives its
 * results (or null when the run was refused before any work).
 */
import { RunawayGrowthError } from '../../../engine/growth';
import type { Stopping } from '../../../experiment/precision';
import type { RunLosses } from '../../../experiment/runVariants';
import { plannedReplications, ReplicationCollector, runExperimentCell, summarise, type ExperimentResults } from '../../../notebook/experimentCell';
import { planTotalTests, runTestPlan, type TestPlanResults } from '../../../notebook/testPlanCell';
import { poolArmRunner } from '../../../workers/armRunner';
import type { WorkerPool } from '../../../workers/pool';
import type { CellJob, CellResults } from './cellJobs';
import type { CellRun } from './cellRun';
import { largestScenario, overBudget } from './memoryBudget';

/** Partial results are summarised at most this often while a run streams in (the first as soon as it is complete). */
export const PARTIAL_EVERY_MS = 1000;
/** And never more than this share of the time: summarising and redrawing are main-thread work, and the page must stay responsive. */
const PARTIAL_SHARE = 0.1;

/** What a runner works with. */
export interface RunContext {
	pool: WorkerPool;
	/** The cell's run state, updated as the run goes. */
	state: CellRun;
	/** Shows results so far (an experiment's complete replications). */
	partial: (results: CellResults) => void;
}

type Runner<K extends CellJob['kind']> = (job: Extract<CellJob, { kind: K }>, context: RunContext) => Promise<Extract<CellResults, { kind: K }>['value'] | null>;

/** Runs an experiment's variants (or sweep, or sensitivity runs), refusing it first when it would not fit in memory. */
const runExperiment: Runner<'experiment'> = async ({ key, resolved }, { pool, state, partial }) => {
	let tooBig;
	try {
		// The growth pilot simulates for up to a second: in a worker, so the page never waits on it.
		const [growth] = await pool.runCalls([largestScenario(resolved)], (api, scenario) => api.referralGrowth(scenario), () => 'the growth pilot');
		tooBig = overBudget(resolved, pool.size, growth);
	} catch (error) {
		if (!(error instanceof RunawayGrowthError)) throw error;
		Object.assign(state, { status: 'failed', error: error.message });
		return null;
	}
	if (tooBig) {
		Object.assign(state, { status: 'tooBig', tooBig });
		return null;
	}
	const replications = plannedReplications(resolved);
	Object.assign(state, { status: 'running', replicationsDone: 0, replications, daysDone: 0, days: 0, elapsedSeconds: 0, error: '', cached: false, tooBig: null });
	const started = performance.now();
	const collector = new ReplicationCollector(resolved.runs);
	let nextPartial = 0;
	const losses: RunLosses = { failures: [], droppedReplications: [] };
	// With a precision target: the narrowing so far, shown with the partial results.
	let narrowing: Stopping | undefined;
	const target = resolved.experiment.precision;
	const { runs, stopping } = await runExperimentCell(resolved, (jobs, options) => pool.runJobs(jobs, options), losses, {
		onBatch: target && ((steps) => (narrowing = { reason: 'running', target, steps })),
		onProgress: (p) => {
			state.daysDone = p.daysDone;
			state.days = p.days;
			state.elapsedSeconds = (performance.now() - started) / 1000;
		},
		onReplication: (name, k, output) => {
			collector.add(name, k, output);
			const complete = collector.complete();
			state.replicationsDone = complete?.[0].outputs.length ?? 0;
			// Summarising is main-thread work: throttled, so streaming results never crowd out the page.
			const now = performance.now();
			if (complete && now >= nextPartial) {
				partial({ kind: 'experiment', value: summarise(key, resolved, complete, (now - started) / 1000, [], narrowing) });
				const cost = performance.now() - now;
				nextPartial = now + Math.max(PARTIAL_EVERY_MS, cost / PARTIAL_SHARE);
			}
		}
	});
	const results: ExperimentResults = summarise(key, resolved, runs, (performance.now() - started) / 1000, losses.failures, stopping);
	state.elapsedSeconds = results.wallSeconds;
	return results;
};

/** Rehearses a live test; progress counts simulated tests (two arms each) against the most the plan can run. */
const runPlan: Runner<'testPlan'> = async ({ key, resolved }, { pool, state }) => {
	Object.assign(state, { status: 'running', replicationsDone: 0, replications: planTotalTests(resolved.cell), daysDone: 0, days: 0, elapsedSeconds: 0, error: '', cached: false, tooBig: null });
	const started = performance.now();
	const plan: TestPlanResults = await runTestPlan(
		key,
		resolved,
		poolArmRunner(pool, (arms) => {
			state.replicationsDone += arms / 2;
			state.elapsedSeconds = (performance.now() - started) / 1000;
		})
	);
	return plan;
};

/** Runs a job with the runner for its kind; null when it was refused before any work. */
export async function runJob(job: CellJob, context: RunContext): Promise<CellResults | null> {
	switch (job.kind) {
		case 'experiment': {
			const value = await runExperiment(job, context);
			return value && { kind: 'experiment', value };
		}
		case 'testPlan': {
			const value = await runPlan(job, context);
			return value && { kind: 'testPlan', value };
		}
	}
}
