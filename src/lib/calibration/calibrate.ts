/**
 * The whole calibration of a transaction log: summaries, the BG/NBD and
 * Gamma-Gamma fits, the holdout check, and the report the CLI prints.
 */
import type { BgNbdParams } from './bgnbd';
import { bgNbdFitFromStarts, defaultStarts, optimiseBgNbdStart, type BgNbdStartResult } from './bgnbdFit';
import { GAMMA_GAMMA_STARTS, gammaGammaFitFromStarts, optimiseGammaGammaStart, type GammaGammaParams, type GammaGammaStartResult } from './gammaGammaFit';
import { holdoutReport, type HoldoutReport } from './holdout';
import { frequencyCheck, type FrequencyGroup } from './frequency';
import { observedRepurchaseCurve, observedRepurchaseRate, observedTriangle, type ObservedTriangle } from './observed';
import { summarise, type CustomerSummary } from './summary';
import { formatDay, type TransactionLog } from './transactions';

export interface CalibrationReport {
	model: 'bgnbd';
	timeUnit: 'day' | 'week';
	customers: number;
	transactions: number;
	badRows: number;
	calibrationEnd: string;
	holdoutEnd: string | null;
	params: BgNbdParams;
	standardErrors: BgNbdParams;
	logLikelihood: number;
	starts: { start: BgNbdParams; params: BgNbdParams; logLikelihood: number; converged: boolean }[];
	spend: GammaGammaParams & { customers: number; logLikelihood: number };
	/** Customers by repeat purchases in calibration (0 … 7+), actual and expected under the fit. */
	frequency: FrequencyGroup[];
	holdout: HoldoutReport | null;
	/** Before any model: monthly (30-day) and weekly cohort triangles, the 90-day repurchase rate and the rate for every window up to 180 days. */
	observed: {
		monthly: ObservedTriangle;
		weekly: ObservedTriangle;
		repurchaseRate90: { rate: number; customers: number };
		repurchaseCurve: { days: number; rate: number; customers: number }[];
	};
}

const REPURCHASE_CURVE_DAYS = 180;

/**
 * The optimiser starts of both fits. Each is independent of the others and
 * holds nearly all of a calibration's work (the likelihood over every
 * customer, hundreds of times), so a sharded run spreads them over machines.
 */
export type FitJob = { model: 'bgnbd'; start: BgNbdParams } | { model: 'gammaGamma'; start: number[] };
export type FitJobResult = BgNbdStartResult | GammaGammaStartResult;

/** Summarises the log for fitting; calibrationEnd and holdoutEnd are day numbers. */
export function summariseForFit(log: TransactionLog, calibrationEnd: number, holdoutEnd: number | null, timeUnit: 'day' | 'week'): CustomerSummary {
	const summary = summarise(log, calibrationEnd, holdoutEnd, timeUnit === 'week' ? 7 : 1);
	if (summary.customers < 10) throw new Error(`only ${summary.customers} customers made a first purchase by ${formatDay(calibrationEnd)}: too few to fit`);
	return summary;
}

export function fitJobs(summary: CustomerSummary): FitJob[] {
	return [...defaultStarts(summary).map((start) => ({ model: 'bgnbd' as const, start })), ...GAMMA_GAMMA_STARTS.map((start) => ({ model: 'gammaGamma' as const, start }))];
}

export function runFitJob(summary: CustomerSummary, job: FitJob): FitJobResult {
	return job.model === 'bgnbd' ? optimiseBgNbdStart(summary, job.start) : optimiseGammaGammaStart(summary, job.start);
}

/** The report from the jobs' results (in the order of fitJobs), wherever they ran. */
export function calibrationReport(log: TransactionLog, summary: CustomerSummary, jobs: FitJob[], results: FitJobResult[], timeUnit: 'day' | 'week'): CalibrationReport {
	const of = (model: FitJob['model']) => results.filter((_, k) => jobs[k].model === model);
	const fit = bgNbdFitFromStarts(summary, of('bgnbd') as BgNbdStartResult[]);
	const spend = gammaGammaFitFromStarts(summary, of('gammaGamma') as GammaGammaStartResult[]);
	return {
		model: 'bgnbd',
		timeUnit,
		customers: summary.customers,
		transactions: log.length,
		badRows: log.badCount,
		calibrationEnd: formatDay(summary.calibrationEnd),
		holdoutEnd: summary.holdoutEnd === null ? null : formatDay(summary.holdoutEnd),
		params: fit.params,
		standardErrors: fit.standardErrors,
		logLikelihood: fit.logLikelihood,
		starts: fit.starts,
		spend: { ...spend.params, customers: spend.customers, logLikelihood: spend.logLikelihood },
		frequency: frequencyCheck(fit.params, summary),
		holdout: summary.holdoutEnd === null ? null : holdoutReport(fit.params, summary),
		observed: {
			monthly: observedTriangle(log, 30),
			weekly: observedTriangle(log, 7),
			repurchaseRate90: observedRepurchaseRate(log, 90),
			repurchaseCurve: observedRepurchaseCurve(log, REPURCHASE_CURVE_DAYS)
		}
	};
}

/** Fits the log on this machine: calibrationEnd and holdoutEnd are day numbers. */
export function calibrate(log: TransactionLog, calibrationEnd: number, holdoutEnd: number | null, timeUnit: 'day' | 'week'): { report: CalibrationReport; summary: CustomerSummary } {
	const summary = summariseForFit(log, calibrationEnd, holdoutEnd, timeUnit);
	const jobs = fitJobs(summary);
	return { summary, report: calibrationReport(log, summary, jobs, jobs.map((job) => runFitJob(summary, job)), timeUnit) };
}
