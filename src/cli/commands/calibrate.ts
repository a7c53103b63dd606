/**
 * `calibrate <transactions.csv> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]
 *   [--time-unit day|week] [--id-column C] [--date-column C] [--amount-column C] [--out scenario.json]
 *   [--model bgnbd|mbgnbd|paretonbd|all] [--use M] [--scores scores.csv [--horizon H] [--discount-rate d]]`:
 * fits the purchase models asked for (BG/NBD by default; `all` compares the three) and Gamma-Gamma,
 * prints the report as JSON, writes a calibrated scenario with --out (its customers follow the model used) and per-customer scores with --scores.
 * With --shard i/n it runs only its slice of the optimiser's starts and writes them as a partial file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { calibrationReport, fitJobs, runFitJob, summariseForFit, type FitJobResult } from '../../lib/calibration/calibrate';
import { PURCHASE_MODELS, type PurchaseModelId } from '../../lib/calibration/purchaseModel';
import { PURCHASE_MODEL } from '../../lib/calibration/purchaseModels';
import { customerScores, scoresCsv } from '../../lib/calibration/scores';
import { calibratedScenario } from '../../lib/calibration/calibratedScenario';
import { parseDay } from '../../lib/calibration/transactions';
import type { ScenarioInput } from '../../lib/engine/scenario/schema';
import { onlyOptions, writeOutput, type Options } from '../args';
import { UsageError } from '../scenarioFile';
import { modeJobs } from '../shards';
import { calibrateBgbbCommand } from './calibrateBgbb';
import { loadTransactions } from '../transactionsFile';

/** Refuses an output file that cannot be written, before the fit. */
function checkWritable(file: string): void {
	try {
		writeFileSync(file, '', { flag: 'a' });
	} catch (error) {
		throw new UsageError(`cannot write --scores ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
}

function day(name: string, text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const d = parseDay(text);
	if (typeof d === 'string') throw new UsageError(`${name}: ${d}`);
	return d;
}

/** Model names on the command line: lower case, as analysts type them. */
const MODEL_NAMES: Record<string, PurchaseModelId> = { bgnbd: 'bgnbd', mbgnbd: 'mbgnbd', paretonbd: 'paretoNbd' };

function modelName(option: string, text: string): PurchaseModelId {
	const id = MODEL_NAMES[text.toLowerCase()];
	if (!id) throw new UsageError(`${option} must be one of ${Object.keys(MODEL_NAMES).join(', ')}${option === '--model' ? ', all, or bgbb (discrete occasions)' : ''}, got "${text}"`);
	return id;
}

function positive(option: string, text: string | undefined, fallback: number, min: number): number {
	if (text === undefined) return fallback;
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value < min || value > 1e6) throw new UsageError(`${option} must be a number from ${min} to 1000000, got "${text}"`);
	return value;
}

export async function calibrateCommand(path: string, values: Options): Promise<void> {
	if (values.model?.toLowerCase() === 'bgbb') return calibrateBgbbCommand(path, values);
	onlyOptions('calibrate', values, ['calibration-end', 'holdout-end', 'time-unit', 'id-column', 'date-column', 'amount-column', 'out', 'model', 'use', 'scores', 'horizon', 'discount-rate']);
	const models = values.model === undefined ? ['bgnbd' as const] : values.model === 'all' ? [...PURCHASE_MODELS] : [modelName('--model', values.model)];
	const use = values.use === undefined ? undefined : modelName('--use', values.use);
	if (use && !models.includes(use)) throw new UsageError(`--use ${values.use} is not among the models fitted (--model ${values.model ?? 'bgnbd'})`);
	if (!values.scores && (values.horizon !== undefined || values['discount-rate'] !== undefined)) throw new UsageError('--horizon and --discount-rate go with --scores');
	const calibrationEnd = day('--calibration-end', values['calibration-end']);
	if (calibrationEnd === undefined) throw new UsageError('--calibration-end YYYY-MM-DD is required');
	const holdoutEnd = day('--holdout-end', values['holdout-end']) ?? null;
	if (holdoutEnd !== null && holdoutEnd <= calibrationEnd) throw new UsageError('--holdout-end must be after --calibration-end');
	const timeUnit = values['time-unit'] ?? 'week';
	if (timeUnit !== 'day' && timeUnit !== 'week') throw new UsageError(`--time-unit must be day or week, got "${timeUnit}"`);
	// Scores look a year ahead by default, undiscounted.
	const horizon = positive('--horizon', values.horizon, timeUnit === 'week' ? 52 : 365, 1);
	const discountRate = positive('--discount-rate', values['discount-rate'], 0, 0);
	if (values.scores) checkWritable(values.scores);
	const log = await loadTransactions(path, values);
	let summary;
	try {
		summary = summariseForFit(log, calibrationEnd, holdoutEnd, timeUnit);
	} catch (error) {
		throw new UsageError(`${path}: ${(error as Error).message}`);
	}
	// The optimiser's starts are the work; with --shard this machine runs its slice of them and writes a partial file.
	const jobs = fitJobs(summary, models);
	const results = modeJobs<(typeof jobs)[number], FitJobResult>(jobs, (job) => runFitJob(summary, job));
	if (!results) return writeOutput(values.out, '');
	let report;
	try {
		report = calibrationReport(log, summary, jobs, results, timeUnit, use);
	} catch (error) {
		throw new UsageError(`${path}: ${(error as Error).message}`);
	}
	if (report.duplicateRows > 0) console.error(`warning: ${path}: ${report.duplicateRows} rows repeat another row exactly (customer, date, amount); they are kept: their day is one purchase either way, but their amounts add to its spend`);
	if (values.scores) {
		const scores = customerScores(log, summary, PURCHASE_MODEL[report.model], report.params, report.spend, { horizon, discountRate });
		writeFileSync(values.scores, scoresCsv(scores));
	}
	if (values.out) {
		const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
		const base = JSON.parse(readFileSync(join(root, 'scenarios/six-stage.json'), 'utf8')) as ScenarioInput;
		let scenario;
		try {
			scenario = calibratedScenario(base, report.model, report.params, summary.unitDays, report.spend, {
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
