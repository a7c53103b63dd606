/** `compare`, `sweep` and `sensitivity <experiment.json>`: variants run with common random numbers on worker threads. */
import { availableParallelism } from 'node:os';
import { buildComparison } from '../../lib/experiment/compare';
import { resolveSensitivity, resolveSweep, resolveVariants } from '../../lib/experiment/experiment';
import { runVariants } from '../../lib/experiment/runVariants';
import { runToPrecision, type PrecisionTarget, type Stopping } from '../../lib/experiment/precision';
import { controlName } from '../../lib/experiment/experiment';
import type { Experiment } from '../../lib/experiment/schema';
import { sensitivityReport, sweepReport } from '../../lib/experiment/sweep';
import { KPI_NAMES, type KpiName } from '../../lib/experiment/kpis';
import { onlyOptions, wholeNumber, writeOutput, type Options } from '../args';
import { loadExperiment, resolving } from '../experimentFile';
import { checkFits, withWorkers } from '../runOnWorkers';
import { cli } from '../shards';
import { UsageError } from '../scenarioFile';

export type ExperimentCommand = 'compare' | 'sweep' | 'sensitivity';

export async function experimentCommand(command: ExperimentCommand, path: string, values: Options): Promise<void> {
	const extra = command === 'sensitivity' ? (['metric'] as const) : command === 'compare' ? (['precision', 'max-replications'] as const) : [];
	onlyOptions(command, values, ['replications', 'workers', 'out', ...extra]);
	const { experiment, baseRaw } = loadExperiment(path);
	// Refused before the run, not after it.
	const metric = (values.metric ?? experiment.metrics[0]) as KpiName;
	if (command === 'sensitivity' && !KPI_NAMES.includes(metric)) throw new UsageError(`--metric must be one of ${KPI_NAMES.join(', ')}, got "${values.metric}"`);
	const replications = wholeNumber('--replications', values.replications, experiment.replications, 1, 10000);
	const target = command === 'compare' ? precisionTarget(experiment, values) : undefined;
	const workers = wholeNumber('--workers', values.workers, availableParallelism(), 1, 256);
	const resolve = { compare: resolveVariants, sweep: resolveSweep, sensitivity: resolveSensitivity }[command];
	const variants = resolving(path, () => resolve(experiment, baseRaw));
	checkFits(variants.map((v) => v.scenario), target?.maxReplications ?? replications, workers);
	const losses = { failures: [] as string[], droppedReplications: [] as number[] };
	let stopping: Stopping | undefined;
	const { result: runs, wallSeconds } = await withWorkers(workers, async (run) => {
		if (!target) return runVariants(variants, replications, run, command === 'compare' ? experiment.commonRandomNumbers : true, losses);
		const result = await runToPrecision(variants, controlName(experiment), target, run, experiment.commonRandomNumbers, losses);
		stopping = result.stopping;
		return result.runs;
	});
	for (const failure of losses.failures) console.error(`warning: ${failure}; its replication is left out of every variant`);
	if (command === 'compare') return writeOutput(values.out, JSON.stringify(buildComparison(experiment, runs, wallSeconds, losses.failures, stopping)) + '\n');
	if (command === 'sweep') return writeOutput(values.out, JSON.stringify(sweepReport(experiment, runs, wallSeconds)) + '\n');
	writeOutput(values.out, JSON.stringify(sensitivityReport(experiment, runs, metric, wallSeconds)) + '\n');
}

/** The precision target of a compare run: --precision M:H (with --max-replications), else the experiment's, else none (a fixed count). */
function precisionTarget(experiment: Experiment, values: Options): PrecisionTarget | undefined {
	if (values.precision === undefined) {
		if (values['max-replications'] !== undefined && !experiment.precision) throw new UsageError('--max-replications needs --precision (or a "precision" field in the experiment)');
		if (!experiment.precision || values.replications !== undefined) return undefined;
		const { metric, liftHalfWidth, maxReplications } = experiment.precision;
		return checkedTarget({ metric, liftHalfWidth, maxReplications: wholeNumber('--max-replications', values['max-replications'], maxReplications, 2, 10000) });
	}
	if (values.replications !== undefined) throw new UsageError('give either --replications or --precision, not both');
	const match = /^([A-Za-z]+):([0-9.eE+-]+)$/.exec(values.precision);
	const metric = match?.[1] as KpiName;
	const liftHalfWidth = Number(match?.[2]);
	if (!match || !KPI_NAMES.includes(metric)) throw new UsageError(`--precision must be METRIC:HALF_WIDTH with a metric among ${KPI_NAMES.join(', ')}, such as gmv:0.01; got "${values.precision}"`);
	if (!(liftHalfWidth > 0 && liftHalfWidth <= 10)) throw new UsageError(`--precision: the half-width must be a number above 0 and at most 10 (0.01 = 1 point), got "${match[2]}"`);
	return checkedTarget({ metric, liftHalfWidth, maxReplications: wholeNumber('--max-replications', values['max-replications'], 200, 2, 10000) });
}

/** A sharded run splits a fixed set of jobs; a precision target decides its batches from results, so the two do not mix. */
function checkedTarget(target: PrecisionTarget): PrecisionTarget {
	if (cli.mode.kind !== 'normal') throw new UsageError('a precision target decides its batches from the results so far: run it without --shard, or give --replications');
	return target;
}
