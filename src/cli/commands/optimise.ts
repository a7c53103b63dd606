/**
 * `optimise <experiment.json>`: the experiment's optimise design searched on
 * worker threads. With --shard i/n a machine runs its slice of the initial
 * design (the one batch whose settings are known before any result) and
 * writes a partial file; `merge` replays the initial design from the parts
 * and runs the adaptive batches and the selection, which each wait for the
 * results before them, on the merging machine.
 */
import { availableParallelism } from 'node:os';
import { controlName, resolveVariants } from '../../lib/experiment/experiment';
import { checkDecisions, optimise } from '../../lib/experiment/optimise/optimise';
import type { JobRunner } from '../../lib/experiment/jobs';
import { onlyOptions, wholeNumber, writeOutput, type Options } from '../args';
import { loadExperiment, resolving } from '../experimentFile';
import { checkFits, poolRunner } from '../runOnWorkers';
import { UsageError } from '../scenarioFile';
import { cli, modeRunner } from '../shards';

/** Thrown by a shard run once its slice of the initial design is done: the rest needs every shard's results. */
class ShardDone extends Error {}

/** Runs the optimise design of the experiment at `path` and writes its report (or, with --shard, its partial file). */
export async function optimiseCommand(path: string, values: Options): Promise<void> {
	onlyOptions('optimise', values, ['workers', 'out']);
	const { experiment, baseRaw } = loadExperiment(path);
	const spec = experiment.optimise;
	if (!spec) throw new UsageError(`${path}: the experiment has no "optimise" section (decisions, objective, constraints)`);
	const workers = wholeNumber('--workers', values.workers, availableParallelism(), 1, 256);
	const base = resolving(path, () => {
		const control = resolveVariants(experiment, baseRaw).find((v) => v.name === controlName(experiment))!.scenario;
		checkDecisions(spec, control);
		return control;
	});
	const firstBatch = Math.max(spec.batchSize, spec.initialEvaluations ?? 2 * spec.decisions.length + 2);
	checkFits(Array.from({ length: firstBatch }, () => base), spec.replications, workers);
	const pool = poolRunner(workers);
	const firstRunner = modeRunner(pool.run);
	let calls = 0;
	// The first call is the initial design: sharded or replayed like any batch command's jobs; later calls run here.
	const run: JobRunner = async (jobs, options) => {
		if (calls++ > 0) return pool.run(jobs, options);
		const outputs = await firstRunner(jobs, options);
		if (cli.mode.kind === 'shard') throw new ShardDone();
		return outputs;
	};
	try {
		const report = await optimise(spec, base, run, {
			experiment: experiment.name,
			onProgress: (p) => {
				// Like the other commands: a line per batch on a terminal, silence elsewhere.
				if (!p.run && process.stderr.isTTY) console.error(`optimise: ${p.phase === 'search' ? `${p.evaluationsDone}/${p.evaluations} settings evaluated` : `selection, ${p.simulations} replications so far`}`);
			}
		});
		writeOutput(values.out, JSON.stringify(report) + '\n');
	} catch (error) {
		if (!(error instanceof ShardDone)) throw error;
		writeOutput(values.out, '');
	} finally {
		pool.close();
	}
}
