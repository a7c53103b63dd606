/** `compare`, `sweep` and `sensitivity <experiment.json>`: variants run with common random numbers on worker threads. */
import { availableParallelism } from 'node:os';
import { buildComparison } from '../../lib/experiment/compare';
import { resolveSensitivity, resolveSweep, resolveVariants } from '../../lib/experiment/experiment';
import { runVariants } from '../../lib/experiment/runVariants';
import { sensitivityReport, sweepReport } from '../../lib/experiment/sweep';
import { KPI_NAMES, type KpiName } from '../../lib/experiment/kpis';
import { onlyOptions, wholeNumber, writeOutput, type Options } from '../args';
import { loadExperiment, resolving } from '../experimentFile';
import { checkFits, withWorkers } from '../runOnWorkers';
import { UsageError } from '../scenarioFile';

export type ExperimentCommand = 'compare' | 'sweep' | 'sensitivity';

export async function experimentCommand(command: ExperimentCommand, path: string, values: Options): Promise<void> {
	onlyOptions(command, values, ['replications', 'workers', 'out', ...(command === 'sensitivity' ? (['metric'] as const) : [])]);
	const { experiment, baseRaw } = loadExperiment(path);
	// Refused before the run, not after it.
	const metric = (values.metric ?? experiment.metrics[0]) as KpiName;
	if (command === 'sensitivity' && !KPI_NAMES.includes(metric)) throw new UsageError(`--metric must be one of ${KPI_NAMES.join(', ')}, got "${values.metric}"`);
	const replications = wholeNumber('--replications', values.replications, experiment.replications, 1, 10000);
	const workers = wholeNumber('--workers', values.workers, availableParallelism(), 1, 256);
	const resolve = { compare: resolveVariants, sweep: resolveSweep, sensitivity: resolveSensitivity }[command];
	const variants = resolving(path, () => resolve(experiment, baseRaw));
	checkFits(variants.map((v) => v.scenario), replications, workers);
	const losses = { failures: [] as string[], droppedReplications: [] as number[] };
	const { result: runs, wallSeconds } = await withWorkers(workers, (run) =>
		runVariants(variants, replications, run, command === 'compare' ? experiment.commonRandomNumbers : true, losses)
	);
	for (const failure of losses.failures) console.error(`warning: ${failure}; its replication is left out of every variant`);
	if (command === 'compare') return writeOutput(values.out, JSON.stringify(buildComparison(experiment, runs, wallSeconds, losses.failures)) + '\n');
	if (command === 'sweep') return writeOutput(values.out, JSON.stringify(sweepReport(experiment, runs, wallSeconds)) + '\n');
	writeOutput(values.out, JSON.stringify(sensitivityReport(experiment, runs, metric, wallSeconds)) + '\n');
}
