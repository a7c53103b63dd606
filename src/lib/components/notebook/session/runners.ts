/**
 * One runner per kind of runnable cell: each simulates its job on the shared
 * worker pool, reports progress into the cell's CellRun, and gives its
 * results (or null when the run was refused before any work).
 */
import { RunawayGrowthError } from '../../../engine/growth';
import type { Job } from '../../../experiment/jobs';
import type { Stopping } from '../../../experiment/precision';
import type { RunLosses } from '../../../experiment/runVariants';
import { plannedReplications, ReplicationCollector, runExperimentCell, type ExperimentResults } from '../../../notebook/experimentCell';
import { planTotalTests, runTestPlan, type TestPlanResults } from '../../../notebook/testPlanCell';
import { poolArmRunner } from '../../../workers/armRunner';
import type { WorkerPool } from '../../../workers/pool';
import { summariserHere, type Summariser } from '../../../workers/summaryApi';
import type { CellJob, CellResults } from './cellJobs';
import type { CellRun } from './cellRun';
import { largestScenario, overBudget } from './memoryBudget';

/** Partial results are summarised at most this often while a run streams in (the first as soon as it is complete). */
export const PARTIAL_EVERY_MS = 1000;
/** And never more than this share of the time: summaries take a core from the simulation, and redrawing is main-thread work. */
const PARTIAL_SHARE = 0.1;
/** And further apart as a run goes on (a quarter of the time so far): a long run is shown often at first, without paying for a summary every second. */
const PARTIAL_SPACING = 0.25;

/** Progress is shown at most this often (every slice of every worker would repaint the page ten times a second each). */
const PROGRESS_EVERY_MS = 250;

/** What a runner works with. */
export interface RunContext {
	pool: WorkerPool;
	/** A worker more for test plans (on the core the pool leaves to the page), if any. */
	helper?: WorkerPool | null;
	/** The cell's run state, updated as the run goes. */
	state: CellRun;
	/** Shows results so far (an experiment's complete replications). */
	partial: (results: CellResults) => void;
	/** Where replications are summarised (a worker in the page, so the page never does it); in place by default. */
	summariser?: Summariser;
}

type Runner<K extends CellJob['kind']> = (job: Extract<CellJob, { kind: K }>, context: RunContext) => Promise<Extract<CellResults, { kind: K }>['value'] | null>;

/** Jobs that carry the growth a pilot measured for their run (see Job.growth). */
function withGrowth(jobs: Job[], growth: number): Job[] {
	return jobs.map((job) => ({ ...job, growth }));
}

/** Numbers the streams of replications handed to a summariser. */
let streams = 0;

/** Runs an experiment's variants (or sweep, or sensitivity runs), refusing it first when it would not fit in memory. */
const runExperiment: Runner<'experiment'> = async ({ key, resolved }, { pool, state, partial, summariser = summariserHere() }) => {
	let tooBig;
	let growth: number;
	try {
		// The growth pilot simulates for up to a second: in a worker, so the page never waits on it.
		[growth] = await pool.runCalls([largestScenario(resolved)], (api, scenario) => api.referralGrowth(scenario), () => 'the growth pilot');
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
	// Replications go to the summariser as they arrive; this side only counts them.
	const collector = new ReplicationCollector(resolved.runs);
	const stream = ++streams;
	summariser.open(stream, resolved.runs);
	let nextPartial = 0;
	let nextProgress = 0;
	// One partial summary at a time, and none shown once the run is over (a late one must not replace the final results).
	let summarising = false;
	let over = false;
	const losses: RunLosses = { failures: [], droppedReplications: [] };
	// With a precision target: the narrowing so far, shown with the partial results.
	let narrowing: Stopping | undefined;
	const target = resolved.experiment.precision;
	// The pilot's growth sizes every run's population: each worker need not measure each cell's again.
	const { runs, stopping } = await runExperimentCell(resolved, (jobs, options) => pool.runJobs(withGrowth(jobs, growth), options), losses, {
		onBatch: target && ((steps) => (narrowing = { reason: 'running', target, steps })),
		onProgress: (p) => {
			// Each change repaints the page around the progress bar: a few times a second is enough to watch.
			const now = performance.now();
			if (now < nextProgress && p.jobsDone < p.jobs) return;
			nextProgress = now + PROGRESS_EVERY_MS;
			state.daysDone = p.daysDone;
			state.days = p.days;
			state.elapsedSeconds = (performance.now() - started) / 1000;
		},
		onReplication: (name, k, output) => {
			collector.add(name, k, output);
			summariser.add(stream, name, k, output);
			const partialRuns = collector.partial(resolved.design);
			state.replicationsDone = partialRuns && !partialRuns.cellsOnly ? partialRuns.runs[0].outputs.length : 0;
			// Throttled, so summaries never take much of a core from the simulation nor redraws much of the page's time.
			const now = performance.now();
			if (!partialRuns || summarising || now < nextPartial) return;
			summarising = true;
			summariser
				.summariseStream(stream, key, resolved, (now - started) / 1000, narrowing)
				.then((value) => value && !over && partial({ kind: 'experiment', value }))
				.catch(() => {}) // a partial view lost is no loss: the final summary follows
				.finally(() => {
					summarising = false;
					const done = performance.now();
					nextPartial = done + Math.max(PARTIAL_EVERY_MS - (done - now), (done - now) / PARTIAL_SHARE, (done - started) * PARTIAL_SPACING);
				});
		}
	}).finally(() => {
		over = true;
		summariser.closeStream(stream);
	});
	const results: ExperimentResults = await summariser.summarise(key, resolved, runs, (performance.now() - started) / 1000, losses.failures, stopping);
	state.elapsedSeconds = results.wallSeconds;
	return results;
};

/** Rehearses a live test; progress counts simulated tests (two arms each) against the most the plan can run. */
const runPlan: Runner<'testPlan'> = async ({ key, resolved }, { pool, helper, state }) => {
	Object.assign(state, { status: 'running', replicationsDone: 0, replications: planTotalTests(resolved.cell), daysDone: 0, days: 0, elapsedSeconds: 0, error: '', cached: false, tooBig: null });
	const started = performance.now();
	let tests = 0;
	let nextProgress = 0;
	const plan: TestPlanResults = await runTestPlan(
		key,
		resolved,
		poolArmRunner(helper ? [pool, helper] : pool, (arms) => {
			tests += arms / 2;
			// Shown a few times a second, like an experiment's progress (batches of small arms finish many times a second).
			const now = performance.now();
			if (now < nextProgress) return;
			nextProgress = now + PROGRESS_EVERY_MS;
			state.replicationsDone = tests;
			state.elapsedSeconds = (now - started) / 1000;
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
