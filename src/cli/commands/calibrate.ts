/**
 * `calibrate <transactions.csv> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]
 *   [--time-unit day|week] [--id-column C] [--date-column C] [--amount-column C] [--out scenario.json]`:
 * fits BG/NBD and Gamma-Gamma, prints the report as JSON, and writes a calibrated scenario with --out.
 * With --shard i/n it runs only its slice of the optimiser's starts and writes them as a partial file.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { calibrationReport, fitJobs, runFitJob, summariseForFit, type FitJobResult } from '../../lib/calibration/calibrate';
import { calibratedScenario } from '../../lib/calibration/calibratedScenario';
import { parseDay } from '../../lib/calibration/transactions';
import type { ScenarioInput } from '../../lib/engine/scenario/schema';
import { onlyOptions, writeOutput, type Options } from '../args';
import { UsageError } from '../scenarioFile';
import { modeJobs } from '../shards';
import { loadTransactions } from '../transactionsFile';

function day(name: string, text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const d = parseDay(text);
	if (typeof d === 'string') throw new UsageError(`${name}: ${d}`);
	return d;
}

export async function calibrateCommand(path: string, values: Options): Promise<void> {
	onlyOptions('calibrate', values, ['calibration-end', 'holdout-end', 'time-unit', 'id-column', 'date-column', 'amount-column', 'out']);
	const calibrationEnd = day('--calibration-end', values['calibration-end']);
	if (calibrationEnd === undefined) throw new UsageError('--calibration-end YYYY-MM-DD is required');
	const holdoutEnd = day('--holdout-end', values['holdout-end']) ?? null;
	if (holdoutEnd !== null && holdoutEnd <= calibrationEnd) throw new UsageError('--holdout-end must be after --calibration-end');
	const timeUnit = values['time-unit'] ?? 'week';
	if (timeUnit !== 'day' && timeUnit !== 'week') throw new UsageError(`--time-unit must be day or week, got "${timeUnit}"`);
	const log = await loadTransactions(path, values);
	let summary;
	try {
		summary = summariseForFit(log, calibrationEnd, holdoutEnd, timeUnit);
	} catch (error) {
		throw new UsageError(`${path}: ${(error as Error).message}`);
	}
	// The optimiser's starts are the work; with --shard this machine runs its slice of them and writes a partial file.
	const jobs = fitJobs(summary);
	const results = modeJobs<(typeof jobs)[number], FitJobResult>(jobs, (job) => runFitJob(summary, job));
	if (!results) return writeOutput(values.out, '');
	let report;
	try {
		report = calibrationReport(log, summary, jobs, results, timeUnit);
	} catch (error) {
		throw new UsageError(`${path}: ${(error as Error).message}`);
	}
	if (values.out) {
		const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
		const base = JSON.parse(readFileSync(join(root, 'scenarios/six-stage.json'), 'utf8')) as ScenarioInput;
		let scenario;
		try {
			scenario = calibratedScenario(base, report.params, summary.unitDays, report.spend, {
				file: basename(path),
				calibrationEnd: report.calibrationEnd,
				holdoutEnd: report.holdoutEnd,
				customers: report.customers
			});
		} catch (error) {
			throw new UsageError(`${path}: ${(error as Error).message}`);
		}
		writeOutput(values.out, JSON.stringify(scenario, null, 2) + '\n');
	}
	process.stdout.write(JSON.stringify(report) + '\n');
}
