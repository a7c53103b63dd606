/**
 * Running an experiment's variants: every (variant, replication, shard) is a
 * job for whatever runs jobs (a worker pool, or this thread); outputs are
 * put back together per variant and replication. With common random numbers
 * variant v's replication k uses the same streams as every other variant's
 * replication k; without them each variant gets its own seed.
 */
import type { RunOutput } from '../engine/output';
import { combineShards, runShard, shardTasks } from '../engine/run';
import type { Job, JobFailure, JobRunner, RunJobsOptions } from './jobs';
import type { ResolvedVariant } from './experiment';

/** A variant with its replications' outputs. */
export interface VariantRuns extends ResolvedVariant {
	outputs: RunOutput[];
}

/** Hears each replication of each variant as soon as all its shards are in (a copy: the final result is combined separately). */
export type ReplicationListener = (variant: string, replication: number, output: RunOutput) => void;

/** Turns per-job arrivals into per-replication partial results, added in shard order like the final result. */
function partialResults(variants: ResolvedVariant[], jobs: Job[], listener: ReplicationListener) {
	const arrived = new Map<string, RunOutput[]>();
	return (index: number, output: RunOutput) => {
		const { scenario, task } = jobs[index];
		const name = variants.find((v) => v.scenario === scenario)!.name;
		const shards = shardTasks(scenario, 1).length;
		const key = `${name}\u0000${task.replication}`;
		const parts = arrived.get(key) ?? new Array<RunOutput>(shards);
		parts[task.shard] = output;
		arrived.set(key, parts);
		if (parts.filter(Boolean).length === shards) {
			arrived.delete(key);
			listener(name, task.replication, combineShards(parts.map((o) => structuredClone(o)), 1)[0]);
		}
	};
}

/**
 * Runs jobs handed out replication by replication (every variant's first
 * replication, then every variant's second, …) rather than variant by
 * variant, so the first replication complete in every variant, which the
 * first partial results need, comes after a share 1/R of the work instead
 * of nearly all of it. Outputs, failures and onJobDone keep the jobs' own
 * indices; the order of work changes no result (streams follow identity).
 */
async function replicationFirst(jobs: Job[], run: JobRunner, options: RunJobsOptions): Promise<RunOutput[]> {
	const order = jobs.map((_, i) => i).sort((a, b) => jobs[a].task.replication - jobs[b].task.replication || a - b);
	const { onJobDone, failures } = options;
	const local: JobFailure[] = [];
	const done = await run(
		order.map((i) => jobs[i]),
		{ ...options, failures: failures && local, onJobDone: onJobDone && ((i, output) => onJobDone(order[i], output)) }
	);
	failures?.push(...local.map((f) => ({ ...f, index: order[f.index] })));
	const outputs = new Array<RunOutput>(jobs.length);
	order.forEach((job, i) => (outputs[job] = done[i]));
	return outputs;
}

/** What an experiment run lost: each failure, and the replications left out of every variant because of them. */
export interface RunLosses {
	failures: string[];
	droppedReplications: number[];
}

/** Runs jobs one after another on this thread (tests, small runs), honouring failures and onJobDone. */
export const runJobsHere: JobRunner = async (jobs, options = {}) =>
	jobs.map((job, i) => {
		try {
			const output = runShard(job.scenario, job.task);
			options.onJobDone?.(i, output);
			return output;
		} catch (error) {
			if (!options.failures) throw error;
			options.failures.push({ index: i, message: `${job.label ?? `job ${i + 1}`} failed: ${(error as Error).message}` });
			return undefined as unknown as RunOutput;
		}
	});

/** Options of runVariants beyond the job runner's own. */
export type RunVariantsOptions = Omit<RunJobsOptions, 'failures' | 'onJobDone'> & {
	onReplication?: ReplicationListener;
	/** Index of the first replication to run (default 0): a later batch continues where the last one stopped, with the same streams. */
	firstReplication?: number;
};

/**
 * Runs R replications of every variant (replications first … first + R − 1)
 * and groups the outputs by variant. A failed shard (a worker that threw or
 * died) is reported in `losses`; its replication is left out of every
 * variant, so comparisons stay paired, and nothing else is lost.
 */
export async function runVariants(
	variants: ResolvedVariant[],
	replications: number,
	run: JobRunner,
	commonRandomNumbers = true,
	losses: RunLosses = { failures: [], droppedReplications: [] },
	options: RunVariantsOptions = {}
): Promise<VariantRuns[]> {
	const { onReplication, firstReplication: first = 0, ...rest } = options;
	const inBatch = (v: ResolvedVariant) => shardTasks(v.scenario, first + replications).filter((task) => task.replication >= first);
	const seeded = variants.map((v, i) =>
		commonRandomNumbers ? v : { ...v, scenario: { ...v.scenario, seed: (v.scenario.seed + 7919 * (i + 1)) % 4294967296 } }
	);
	const jobs: Job[] = seeded.flatMap((v) =>
		inBatch(v).map((task) => ({ scenario: v.scenario, task, label: `variant "${v.name}", replication ${task.replication + 1}` }))
	);
	const failures: { index: number; message: string }[] = [];
	const outputs = await replicationFirst(jobs, run, { ...rest, failures, onJobDone: onReplication && partialResults(seeded, jobs, onReplication) });
	const dropped = new Set(failures.map((f) => jobs[f.index].task.replication));
	losses.failures.push(...failures.map((f) => f.message));
	losses.droppedReplications.push(...[...dropped].sort((a, b) => a - b));
	if (dropped.size === replications) throw new Error(`every replication failed; first: ${failures[0].message}`);
	let offset = 0;
	return seeded.map((v) => {
		const count = inBatch(v).length;
		const parts = outputs.slice(offset, (offset += count));
		const shards = count / replications;
		const kept: RunOutput[] = [];
		for (let k = 0; k < replications; k++) {
			if (!dropped.has(first + k)) kept.push(...combineShards(parts.slice(k * shards, (k + 1) * shards), 1));
		}
		return { ...v, outputs: kept };
	});
}
