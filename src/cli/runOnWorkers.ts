/** Runs work on a pool of Node worker threads that lives for one command. */
import { totalmem } from 'node:os';
import { estimateRunMemory, RunawayGrowthError } from '../lib/engine/growth';
import { checkMemory, estimateMemory, MemoryBudgetError } from '../lib/engine/memory';
import type { RunOutput } from '../lib/engine/output';
import { combineShards, shardCount, shardTasks } from '../lib/engine/run';
import { UsageError } from './scenarioFile';
import { cli, modeRunner } from './shards';
import type { Scenario } from '../lib/engine/scenario/schema';
import type { Job, JobRunner, RunProgress } from '../lib/experiment/jobs';
import { createInlinePool, createNodePool } from '../lib/workers/nodePool';
import type { WorkerPool } from '../lib/workers/pool';

/** Work below this many agent-days (a few hundredths of a second) runs on the calling thread: starting a thread costs more. */
const INLINE_AGENT_DAYS = 2_000_000;

/** Whether jobs are small enough to run without threads (LIFECYCLE_LAB_THREADS=always turns this off, for tests that compare the two). */
function runsInline(jobs: Job[]): boolean {
	if (process.env.LIFECYCLE_LAB_THREADS === 'always') return false;
	return jobs.reduce((sum, job) => sum + job.scenario.population.initial * job.scenario.horizonDays, 0) <= INLINE_AGENT_DAYS;
}

/** A job runner on `workers` threads (started when first needed; small work runs inline), progress on a terminal, and what closes its pools; no shard mode. */
export function poolRunner(workers: number): { run: JobRunner; close: () => void } {
	const pools: { inline?: WorkerPool; threads?: WorkerPool } = {};
	const poolFor = (jobs: Job[]) => (runsInline(jobs) ? (pools.inline ??= createInlinePool()) : (pools.threads ??= createNodePool(workers)));
	return {
		run: withTerminalProgress((jobs, options) => poolFor(jobs).runJobs(jobs, options)),
		close() {
			pools.threads?.close();
			pools.inline?.close();
		}
	};
}

/** Gives `work` a job runner on `workers` threads (started when first needed; small work runs inline), and times it. */
export async function withWorkers<T>(workers: number, work: (run: JobRunner) => Promise<T>): Promise<{ result: T; wallSeconds: number }> {
	const pool = poolRunner(workers);
	try {
		const start = performance.now();
		const result = await work(modeRunner(pool.run));
		return { result, wallSeconds: (performance.now() - start) / 1000 };
	} finally {
		pool.close();
	}
}

/** Progress shows after this long (LIFECYCLE_LAB_PROGRESS_AFTER_MS sets it, for tests that cannot wait for a slow run). */
const PROGRESS_AFTER_MS = Number(process.env.LIFECYCLE_LAB_PROGRESS_AFTER_MS ?? 1000);

/** On a terminal, long work shows runs done and time left on stderr (redrawn in place, cleared at the end); elsewhere it stays silent. */
function withTerminalProgress(run: JobRunner): JobRunner {
	if (!process.stderr.isTTY) return run;
	return async (jobs, options = {}) => {
		const start = performance.now();
		let shown = 0;
		const onProgress = (progress: RunProgress) => {
			options.onProgress?.(progress);
			const now = performance.now();
			if (now - start < PROGRESS_AFTER_MS || now - shown < 250) return; // quick runs show nothing
			shown = now;
			const share = progress.days > 0 ? progress.daysDone / progress.days : 0;
			const left = share > 0 ? ((now - start) / 1000) * ((1 - share) / share) : NaN;
			process.stderr.write(`\r${progress.jobsDone}/${progress.jobs} runs · ${Math.floor(share * 100)}% · ${Number.isFinite(left) ? `${Math.ceil(left)} s left` : 'estimating'}\x1b[K`);
		};
		try {
			return await run(jobs, { ...options, onProgress });
		} finally {
			if (shown) process.stderr.write('\r\x1b[K');
		}
	};
}

/** The CLI may use up to 60% of the machine's memory. */
const BUDGET_BYTES = 0.6 * totalmem();

/** Refuses, as a usage error with the figures, work that would not fit in memory. */
export function checkFits(scenarios: Scenario[], replications: number, workers: number): void {
	let total = 0;
	let largest = scenarios[0];
	for (const s of scenarios) {
		const shards = shardCount(s.population.initial);
		total += estimateMemory(s, shards, shards * replications, 0).resultBytes;
		if (s.population.initial > largest.population.initial) largest = s;
	}
	const shards = shardCount(largest.population.initial);
	try {
		// The largest scenario's people, grown by its referrals as a pilot of it shows.
		const simulation = estimateRunMemory(largest, shards, shards * replications, workers);
		checkMemory({ ...simulation, resultBytes: total, totalBytes: simulation.simulationBytes + total }, BUDGET_BYTES);
	} catch (error) {
		if (error instanceof MemoryBudgetError || error instanceof RunawayGrowthError) throw new UsageError(error.message);
		throw error;
	}
}

/** Runs R replications of a scenario and times it. */
export async function runOnWorkers(scenario: Scenario, replications: number, workers: number): Promise<{ outputs: RunOutput[]; wallSeconds: number }> {
	// Check the figures before building the task list: a run too big to fit would spend minutes and gigabytes on the list alone.
	const taskCount = shardCount(scenario.population.initial) * replications;
	checkFits([scenario], replications, Math.min(workers, taskCount));
	const tasks = shardTasks(scenario, replications);
	const { result, wallSeconds } = await withWorkers(Math.min(workers, tasks.length), async (run) =>
		combineShards(await run(tasks.map((task) => ({ scenario, task }))), replications)
	);
	return { outputs: result, wallSeconds };
}
