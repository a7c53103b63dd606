/**
 * A pool of simulation workers, the same for Web Workers and Node worker
 * threads: shard tasks are handed out as workers free up, results are stored
 * by task index (so completion order never changes a result), a worker that
 * dies fails its task with the replication and shard named and is replaced,
 * and cancel() stops everything at once and leaves the pool usable.
 */
import type { Remote } from 'comlink';
import type { RunOutput } from '../engine/output';
import type { ShardTask } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import type { Job, JobFailure, RunJobsOptions, RunProgress } from '../experiment/jobs';
import type { SimulationApi } from './simulationApi';

/** One worker as the pool sees it. */
export interface PoolWorker {
	api: Remote<SimulationApi>;
	/** Rejects when the worker dies or throws outside a call. */
	failure: Promise<never>;
	terminate(): void;
}

/** How long a worker simulates before reporting progress. */
const SLICE_MS = 100;

export class CancelledError extends Error {
	constructor() {
		super('the run was cancelled');
		this.name = 'CancelledError';
	}
}

export class WorkerPool {
	private workers: PoolWorker[];
	/** Slots whose worker has died since it was started (it is replaced before its next task). */
	private dead = new Set<PoolWorker>();
	private generation = 0;
	private cancelled: (() => void)[] = [];
	private closed = false;

	constructor(
		readonly size: number,
		private readonly spawn: () => PoolWorker
	) {
		if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be a whole number ≥ 1, got ${size}`);
		this.workers = Array.from({ length: size }, () => this.start());
	}

	/** Runs every shard task of one scenario; outputs come back in task order. */
	run(scenario: Scenario, tasks: ShardTask[], options: RunJobsOptions = {}): Promise<RunOutput[]> {
		return this.runJobs(
			tasks.map((task) => ({ scenario, task })),
			options
		);
	}

	/**
	 * Runs every job; outputs come back in job order. With `onProgress`, each
	 * shard runs in slices of about 100 ms and progress (jobs done, days
	 * simulated) is reported after every slice; `onJobDone` hears each output
	 * as it arrives, for partial results.
	 */
	runJobs(jobs: Job[], options: RunJobsOptions = {}): Promise<RunOutput[]> {
		const { onProgress, onJobDone, failures } = options;
		const daysDone = new Float64Array(jobs.length);
		const totalDays = jobs.reduce((s, j) => s + j.scenario.horizonDays, 0);
		let jobsDone = 0;
		// Once the run has failed or been cancelled, jobs still finishing elsewhere must not report.
		let over = false;
		const report = () => !over && onProgress?.({ jobsDone, jobs: jobs.length, daysDone: daysDone.reduce((s, d) => s + d, 0), days: totalDays });
		const running = this.runCalls(
			jobs,
			async (api, job, i) => {
				let output: RunOutput;
				if (onProgress) {
					const handle = await api.startShard(job.scenario, job.task, job.growth);
					// One slice always waits queued in the worker, so it goes on simulating while this thread is busy (drawing, say)
					// instead of idling until its next call arrives; a slice asked of a finished shard returns at once.
					const slice = () => {
						const days = api.advanceShard(handle, SLICE_MS);
						days.catch(() => {}); // the slice left queued when a run fails or is cancelled: its error is the run's, reported once
						return days;
					};
					let ahead = slice();
					for (;;) {
						const queued = ahead;
						ahead = slice();
						if ((daysDone[i] = await queued) >= job.scenario.horizonDays) break;
						report();
					}
					await ahead;
					output = await api.finishShard(handle);
				} else output = await api.runShard(job.scenario, job.task, job.growth);
				jobsDone++;
				report();
				if (!over) onJobDone?.(i, output);
				return output;
			},
			(job) => `${job.label ?? `replication ${job.task.replication + 1}`}, shard ${job.task.shard + 1}`,
			failures
		);
		running.catch(() => (over = true));
		return running;
	}

	/** Makes one worker call per item, as workers free up; results come back in item order. */
	async runCalls<T, R>(
		items: T[],
		call: (api: Remote<SimulationApi>, item: T, index: number) => Promise<R>,
		describe: (item: T) => string,
		failures?: JobFailure[]
	): Promise<R[]> {
		if (this.closed) throw new Error('the worker pool is closed');
		const generation = this.generation;
		let cancel!: () => void;
		const cancelled = new Promise<never>((_, reject) => (cancel = () => reject(new CancelledError())));
		cancelled.catch(() => {});
		this.cancelled.push(cancel);
		const results = new Array<R>(items.length);
		let next = 0;
		let failed = false;
		const busy = new Set<number>();
		const drain = async (slot: number) => {
			while (next < items.length && generation === this.generation && !failed) {
				const i = next++;
				if (this.dead.has(this.workers[slot])) this.replace(slot);
				const worker = this.workers[slot];
				busy.add(slot);
				try {
					results[i] = await Promise.race([call(worker.api, items[i], i), worker.failure, cancelled]);
				} catch (error) {
					if (error instanceof CancelledError || failed) throw error;
					// The slot may already hold a fresh worker (a fatal failure elsewhere replaced the busy ones): leave that one alone.
					if (this.workers[slot] !== worker) throw error;
					this.replace(slot);
					const message = `${describe(items[i])} failed: ${(error as Error)?.message ?? error}`;
					if (failures) {
						failures.push({ index: i, message });
						continue;
					}
					failed = true; // hand out nothing more, report no more progress
					// Stop the work still running for this failed run, so it cannot disturb the next one.
					for (const other of busy) if (other !== slot) this.replace(other);
					throw new Error(message);
				} finally {
					busy.delete(slot);
				}
			}
		};
		try {
			await Promise.all(this.workers.map((_, slot) => drain(slot)));
		} finally {
			this.cancelled = this.cancelled.filter((c) => c !== cancel);
		}
		if (generation !== this.generation) throw new CancelledError();
		return results;
	}

	/** Has every worker simulate the first days of runs to come (see warmUp.ts); a run started meanwhile stops it within a slice. */
	warmUp(scenarios: Scenario[]): void {
		if (!this.closed && scenarios.length) for (const worker of this.workers) worker.api.warmUp(scenarios).catch(() => {});
	}

	/** Stops every running task now; the pool starts fresh workers and stays usable. */
	cancel(): void {
		this.generation++;
		for (const reject of this.cancelled) reject();
		this.cancelled = [];
		for (let slot = 0; slot < this.workers.length; slot++) this.replace(slot);
	}

	/** Stops every worker for good. */
	close(): void {
		this.closed = true;
		this.generation++;
		for (const reject of this.cancelled) reject();
		for (const w of this.workers) w.terminate();
		this.workers = [];
	}

	private replace(slot: number): void {
		const old = this.workers[slot];
		this.dead.delete(old);
		old.terminate();
		this.workers[slot] = this.start();
	}

	private start(): PoolWorker {
		const worker = this.spawn();
		// Only a worker still in the pool is worth remembering as dead; one already replaced is gone.
		worker.failure.catch(() => this.workers.includes(worker) && this.dead.add(worker));
		return worker;
	}
}
