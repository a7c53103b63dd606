/**
 * What the calibration worker offers: read a CSV file's header (for the
 * column mapping), read the whole log into typed arrays and keep it, fit it,
 * count its observed curves, and fit scenario values by simulation. All of it
 * off the page's thread, so a large file or a long fit never freezes the page.
 */
import Papa from 'papaparse';
import { bgbbReport, bgbbScoresCsv, readBgbbData, type BgbbInput, type BgbbReport } from '../calibration/bgbbReport';
import { calibrate, type CalibrationReport } from '../calibration/calibrate';
import type { GammaGammaParams } from '../calibration/gammaGammaFit';
import type { ModelParams, PurchaseModelId } from '../calibration/purchaseModel';
import { PURCHASE_MODEL } from '../calibration/purchaseModels';
import { customerScores, scoresCsv, type ScoreOptions } from '../calibration/scores';
import { customerDays, summarise } from '../calibration/summary';
import { parseCohortTable, type CohortTable, type CohortTableMapping } from '../calibration/cohortTable';
import { cumulativeCurve, type HoldoutReport } from '../calibration/holdout';
import { OBSERVED_SERIES, observedCounts, type ObservedSeries } from '../calibration/observedCurve';
import { fitBySimulation, type FittedParameter, type SimulationFit, type SimulationFitTarget } from '../calibration/simulationFit';
import { daySpan } from '../calibration/observed';
import { parseDay, readTransactionFile, type TransactionLog } from '../calibration/transactions';
import type { LogSource, LogSummary } from './heldLog';

export interface CalibrationApi {
	header(file: Blob): Promise<string[]>;
	/** Reads the log (a file in slices, never whole, telling `onProgress` the bytes read so far) and keeps it for the calls that name the same source; the page gets its counts. */
	open(source: LogSource, onProgress?: (bytesRead: number, bytes: number) => void): Promise<LogSummary>;
	readCohorts(file: Blob, mapping: CohortTableMapping): Promise<CohortTable>;
	/** Fits the purchase models named (BG/NBD by default) and Gamma-Gamma; `use` picks the model the report follows, else the lowest BIC. */
	fit(log: LogSource, calibrationEnd: string, holdoutEnd: string | null, timeUnit: 'day' | 'week', models?: PurchaseModelId[], use?: PurchaseModelId): Promise<CalibrationOutcome>;
	/** The per-customer scores of a fitted model as CSV (one row per customer id). */
	scoresCsv(log: LogSource, calibrationEnd: string, timeUnit: 'day' | 'week', model: PurchaseModelId, params: ModelParams, spend: GammaGammaParams, options: ScoreOptions): Promise<string>;
	/** Fits BG/BB to a recency/frequency table or a log of purchases by occasion (the file read here, whole: such files are small). */
	fitBgbb(file: Blob, input: BgbbInput): Promise<BgbbReport>;
	/** BG/BB scores as CSV: P(alive) and expected purchases in the next `horizon` occasions, per customer (a log) or per row (a table). */
	bgbbScoresCsv(file: Blob, input: BgbbInput, params: ModelParams, horizon: number, discountRate: number): Promise<string>;
	/** Each series a log shows, counted per period of `periodDays` from its first day over its whole periods. */
	observedCurves(log: LogSource, periodDays: number): Promise<Record<ObservedSeries, number[]>>;
	/** Fits scenario values to the target by simulation, telling `onEvaluation` how many simulations of the distance are done; stop it by terminating the worker. */
	fitSimulation(scenario: unknown, parameters: FittedParameter[], target: SimulationFitTarget, replications: number, onEvaluation?: (evaluations: number) => void): SimulationFit;
}

/** The fit, with the cumulative repeat-purchase curve when there is no holdout to give it. */
export interface CalibrationOutcome {
	report: CalibrationReport;
	curve: HoldoutReport['weekly'];
}

function day(text: string, field: string): number {
	const value = parseDay(text);
	if (typeof value === 'string') throw new Error(`${field}: ${value}`);
	return value;
}

/** The last log this worker read, by its source's key; a promise, so calls that arrive while it is read wait for the same read. */
let held: { key: string; log: Promise<TransactionLog> } | null = null;

/** The log of this source: the one held under its key, else read (or taken) now and held. */
function logOf(source: LogSource, onProgress?: (bytesRead: number, bytes: number) => void): Promise<TransactionLog> {
	if (held?.key !== source.key) {
		const log = 'log' in source ? Promise.resolve(source.log) : readTransactionFile(source.file, source.mapping, onProgress);
		const entry = { key: source.key, log };
		held = entry;
		// A read that failed is not kept: the next call tries again (and names the error again).
		log.catch(() => held === entry && (held = null));
	}
	return held.log;
}

/** The counts the page shows of a log (the one-a-customer-a-day count made here, so the page never spends its thread on a million rows). */
function summaryOf(log: TransactionLog): LogSummary {
	const [firstDay, lastDay] = daySpan(log);
	const { length: transactions, rows, badRows, badCount } = log;
	return { transactions, customers: log.customerIds.length, rows, customerDays: customerDays(log), badRows, badCount, firstDay, lastDay };
}

export const calibrationApi: CalibrationApi = {
	async header(file) {
		const head = await file.slice(0, 64 * 1024).text();
		const parsed = Papa.parse<string[]>(head.replace(/^\uFEFF/, ''), { preview: 1, skipEmptyLines: true });
		return (parsed.data[0] ?? []).map((f) => f.trim());
	},
	async open(source, onProgress) {
		return summaryOf(await logOf(source, onProgress));
	},
	async readCohorts(file, mapping) {
		return parseCohortTable(await file.text(), mapping);
	},
	async fit(source, calibrationEnd, holdoutEnd, timeUnit, models, use) {
		const end = day(calibrationEnd, 'calibration end');
		const holdout = holdoutEnd ? day(holdoutEnd, 'holdout end') : null;
		if (holdout !== null && holdout <= end) throw new Error('the holdout must end after the calibration period');
		const { report, summary } = calibrate(await logOf(source), end, holdout, timeUnit, models, use);
		return { report, curve: report.holdout?.weekly ?? cumulativeCurve(report.params, summary, PURCHASE_MODEL[report.model]) };
	},
	async scoresCsv(source, calibrationEnd, timeUnit, model, params, spend, options) {
		const whole = await logOf(source);
		const summary = summarise(whole, day(calibrationEnd, 'calibration end'), null, timeUnit === 'week' ? 7 : 1);
		return scoresCsv(customerScores(whole, summary, PURCHASE_MODEL[model], params, spend, options));
	},
	async fitBgbb(file, input) {
		return bgbbReport(readBgbbData(await file.text(), input));
	},
	async bgbbScoresCsv(file, input, params, horizon, discountRate) {
		return bgbbScoresCsv(readBgbbData(await file.text(), input).histories, params, horizon, discountRate);
	},
	async observedCurves(source, periodDays) {
		const log = await logOf(source);
		return Object.fromEntries(OBSERVED_SERIES.map((series) => [series, observedCounts(log, series, periodDays)])) as Record<ObservedSeries, number[]>;
	},
	fitSimulation(scenario, parameters, target, replications, onEvaluation) {
		// The callback is a comlink proxy: each call posts a message, and the fit does not wait for it.
		return fitBySimulation(scenario, parameters, target, replications, onEvaluation && ((n) => void onEvaluation(n)));
	}
};
