/**
 * Running an experiment's variants: every (variant, replication, shard) is a
 * job for whatever runs jobs (a worker pool, or this thread); outputs are
 * put back together per variant and replication. With common random numbers
 * variant v's replication k uses the same streams as every other variant's
 * replication k; without them each variant gets its own seed.
 */
import type { RunOutput } from '../engine/output';
import { combineShards, runShard, shardTasks } from '../engine/run';
import type { Job } from '../workers/pool';
import type { ResolvedVariant } from './experiment';

/** A variant with its replications' outputs. */
export interface VariantRuns extends ResolvedVariant {
	outputs: RunOutput[];
}

/** Runs jobs and returns their outputs in job order. */
export type JobRunner = (jobs: Job[]) => Promise<RunOutput[]>;

/** Runs jobs one after another on this thread (tests, small runs). */
export const runJobsHere: JobRunner = async (jobs) => jobs.map((job) => runShard(job.scenario, job.task));

/** Runs R replications of every variant and groups the outputs by variant. */
export async function runVariants(
	variants: ResolvedVariant[],
	replications: number,
	run: JobRunner,
	commonRandomNumbers = true
): Promise<VariantRuns[]> {
	const seeded = variants.map((v, i) =>
		commonRandomNumbers ? v : { ...v, scenario: { ...v.scenario, seed: (v.scenario.seed + 7919 * (i + 1)) % 4294967296 } }
	);
	const jobs: Job[] = seeded.flatMap((v) =>
		shardTasks(v.scenario, replications).map((task) => ({ scenario: v.scenario, task, label: `variant "${v.name}", replication ${task.replication + 1}` }))
	);
	const outputs = await run(jobs);
	let offset = 0;
	return seeded.map((v) => {
		const count = shardTasks(v.scenario, replications).length;
		const parts = outputs.slice(offset, (offset += count));
		return { ...v, outputs: combineShards(parts, replications) };
	});
}
