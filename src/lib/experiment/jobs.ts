/**
 * What runs an experiment's simulations looks like from the experiment's
 * side: jobs, a runner for them, and its options. The worker pool implements
 * a runner; experiment code depends on these types only, so the arrows point
 * workers → experiment and never back.
 */
import type { RunOutput } from '../engine/output';
import type { ShardTask } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';

/** One unit of work: a shard of a replication of a scenario. */
export interface Job {
	scenario: Scenario;
	task: ShardTask;
	/** Names the job in an error message, e.g. `variant "B", replication 3`. */
	label?: string;
	/**
	 * The referral growth a pilot measured for this run, when the caller has it:
	 * it sizes the population (never the results), and saves every worker a
	 * pilot of its own for each scenario it meets (a sweep's every cell).
	 */
	growth?: number;
}

/** Progress of a run of jobs. */
export interface RunProgress {
	jobsDone: number;
	jobs: number;
	/** Days simulated so far, summed over jobs, and the total to simulate. */
	daysDone: number;
	days: number;
}

/** A job that failed, and why. */
export interface JobFailure {
	index: number;
	message: string;
}

export interface RunJobsOptions {
	onProgress?: (progress: RunProgress) => void;
	onJobDone?: (index: number, output: RunOutput) => void;
	/** Where failures go when the run should carry on without them; without it the first failure ends the run. */
	failures?: JobFailure[];
}

/** Runs jobs and returns their outputs in job order (a failed job's output is missing when options.failures collects it). */
export type JobRunner = (jobs: Job[], options?: RunJobsOptions) => Promise<RunOutput[]>;
