/** `run <scenario.json>`: R replications of one scenario; the report as JSON, or the daily means as CSV. */
import { availableParallelism } from 'node:os';
import { buildReport, dailyCsv } from '../../lib/experiment/report';
import { onlyOptions, optionalNumber, wholeNumber, writeOutput, type Options } from '../args';
import { runOnWorkers } from '../runOnWorkers';
import { loadScenario, UsageError } from '../scenarioFile';

export async function runCommand(path: string, values: Options): Promise<void> {
	onlyOptions('run', values, ['replications', 'seed', 'days', 'population', 'workers', 'out', 'format']);
	const format = values.format ?? 'json';
	if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}"`);
	const replications = wholeNumber('--replications', values.replications, 1, 1, 10000);
	const workers = wholeNumber('--workers', values.workers, availableParallelism(), 1, 256);
	const scenario = loadScenario(path, {
		seed: optionalNumber('--seed', values.seed, 0, 4294967295),
		days: optionalNumber('--days', values.days, 1, 3650),
		population: optionalNumber('--population', values.population, 0, 1e8)
	});
	const { outputs, wallSeconds } = await runOnWorkers(scenario, replications, workers);
	const report = buildReport(scenario, outputs, wallSeconds);
	writeOutput(values.out, format === 'json' ? JSON.stringify(report) + '\n' : dailyCsv(report, scenario.stages.map((s) => s.id)));
}
