/**
 * The whole calibration of a transaction log: summaries, the purchase models
 * asked for (BG/NBD, MBG/NBD, Pareto/NBD) side by side and Gamma-Gamma for
 * spend, the holdout check, and the report the CLI prints. Data a model
 * cannot fit is refused with the reason before any optimiser runs.
 */
import { checkSpend, GAMMA_GAMMA_STARTS, gammaGammaFitFromStarts, optimiseGammaGammaStart, type GammaGammaParams, type GammaGammaStartResult } from './gammaGammaFit';
import { holdoutReport, predictedHoldout, type HoldoutReport } from './holdout';
import { aliveMatrix, expectedSpend, valueDeciles, type AliveMatrix, type ValueDecile } from './scores';
import { frequencyCheck, type FrequencyGroup } from './frequency';
import { observedRepurchaseCurve, observedRepurchaseRate, observedTriangle, type ObservedTriangle } from './observed';
import { fitFromStarts, meanAge, optimiseStart, PURCHASE_MODELS, type ModelFit, type ModelParams, type PurchaseModelId, type StartResult } from './purchaseModel';
import { PURCHASE_MODEL } from './purchaseModels';
import { purchaseRows } from './sufficientStatistics';
import { summarise, type CustomerSummary } from './summary';
import { formatDay, type TransactionLog } from './transactions';
import type { BgNbdParams } from './bgnbd';

/** One purchase model's fit with its checks: what the comparison shows per model. */
export interface ModelReport extends ModelFit {
	label: string;
	/** Customers by repeat purchases in calibration, actual and expected (BG/NBD only: null for the others). */
	frequency: FrequencyGroup[] | null;
	holdout: HoldoutReport | null;
	/** P(alive) over frequency and recency, and (with a holdout) deciles of expected value against actual. */
	scores: { aliveMatrix: AliveMatrix; deciles: ValueDecile[] | null };
}

export interface CalibrationReport {
	/** The model chosen (by the analyst, or the lowest BIC): its values are the ones below. */
	model: PurchaseModelId;
	timeUnit: 'day' | 'week';
	customers: number;
	transactions: number;
	badRows: number;
	/** Rows repeating another exactly (customer, day, amount): kept; their day counts once, their amounts add. */
	duplicateRows: number;
	calibrationEnd: string;
	holdoutEnd: string | null;
	params: BgNbdParams & ModelParams;
	standardErrors: BgNbdParams & ModelParams;
	logLikelihood: number;
	starts: ModelFit['starts'];
	spend: GammaGammaParams & { customers: number; logLikelihood: number; spendFrequencyCorrelation: number };
	/** Customers by repeat purchases in calibration (0 … 7+), actual and expected under the fit (BG/NBD; null otherwise). */
	frequency: FrequencyGroup[] | null;
	holdout: HoldoutReport | null;
	/** Every model fitted, in the order asked: the comparison. */
	models: ModelReport[];
	/** The chosen model's scores (as in its entry of models). */
	scores: ModelReport['scores'];
	/** Before any model: monthly (30-day) and weekly cohort triangles, the 90-day repurchase rate and the rate for every window up to 180 days. */
	observed: {
		monthly: ObservedTriangle;
		weekly: ObservedTriangle;
		repurchaseRate90: { rate: number; customers: number };
		repurchaseCurve: { days: number; rate: number; customers: number }[];
	};
}

const REPURCHASE_CURVE_DAYS = 180;
/** Fewer repeat customers than this cannot tell a purchase rate from a dropout. */
const FEWEST_REPEATERS = 5;

/**
 * The optimiser starts of every fit. Each is independent of the others and
 * holds nearly all of a calibration's work, so a sharded run spreads them over machines.
 */
export type FitJob = { model: PurchaseModelId; start: ModelParams } | { model: 'gammaGamma'; start: number[] };
export type FitJobResult = StartResult | GammaGammaStartResult;

/**
 * Summarises the log for fitting (calibrationEnd and holdoutEnd are day
 * numbers), refusing data no model here can fit, with the reason, before the long work.
 */
export function summariseForFit(log: TransactionLog, calibrationEnd: number, holdoutEnd: number | null, timeUnit: 'day' | 'week'): CustomerSummary {
	const summary = summarise(log, calibrationEnd, holdoutEnd, timeUnit === 'week' ? 7 : 1);
	const end = formatDay(calibrationEnd);
	if (summary.customers < 10) throw new Error(`only ${summary.customers} customers made a first purchase by ${end}: too few to fit`);
	const repeaters = summary.x.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
	if (repeaters < FEWEST_REPEATERS) {
		const days = new Set(summary.firstDay).size;
		const oneDay = days === 1 ? `; every first purchase is on ${formatDay(summary.firstDay[0])}` : '';
		throw new Error(
			`only ${repeaters} of ${summary.customers} customers bought again by ${end}${oneDay}: with so few repeat purchases the purchase rate cannot be told from dropout, so no model is fitted (set a later calibration end, or use a log covering more time)`
		);
	}
	const amount = log.amount[0];
	if (amount > 0 && log.amount.every((a) => a === amount)) {
		throw new Error(`every amount in the log is ${amount}: the amounts carry no spend to fit (is the amount column a count or a constant?)`);
	}
	checkSpend(summary);
	return summary;
}

/** The jobs of a calibration: every start of every purchase model asked for, then Gamma-Gamma's. */
export function fitJobs(summary: CustomerSummary, models: readonly PurchaseModelId[] = ['bgnbd']): FitJob[] {
	const meanT = meanAge(purchaseRows(summary));
	return [
		...models.flatMap((model) => PURCHASE_MODEL[model].starts(meanT).map((start) => ({ model, start }) as FitJob)),
		...GAMMA_GAMMA_STARTS.map((start) => ({ model: 'gammaGamma' as const, start }))
	];
}

/** Runs one job over the summary's unique rows. */
export function runFitJob(summary: CustomerSummary, job: FitJob): FitJobResult {
	if (job.model === 'gammaGamma') return optimiseGammaGammaStart(summary, job.start);
	return optimiseStart(PURCHASE_MODEL[job.model], purchaseRows(summary), job.start);
}

/** The lowest BIC among the fits (the analyst may choose another). */
export function bestByBic(models: ModelFit[]): PurchaseModelId {
	return models.reduce((x, y) => (y.bic < x.bic ? y : x)).model;
}

/** The report from the jobs' results (in the order of fitJobs), wherever they ran; `use` picks the model, else the lowest BIC. */
export function calibrationReport(log: TransactionLog, summary: CustomerSummary, jobs: FitJob[], results: FitJobResult[], timeUnit: 'day' | 'week', use?: PurchaseModelId): CalibrationReport {
	const of = (model: FitJob['model']) => results.filter((_, k) => jobs[k].model === model);
	const asked = PURCHASE_MODELS.filter((id) => jobs.some((job) => job.model === id));
	const rows = purchaseRows(summary);
	const spend = gammaGammaFitFromStarts(summary, of('gammaGamma') as GammaGammaStartResult[]);
	const spendPerPurchase = Float64Array.from(summary.x, (x, i) => expectedSpend(spend.params, x, summary.meanRepeatSpend[i]));
	const models: ModelReport[] = asked.map((id) => {
		const model = PURCHASE_MODEL[id];
		const fit = fitFromStarts(model, rows, of(id) as StartResult[]);
		return {
			...fit,
			label: model.label,
			frequency: id === 'bgnbd' ? frequencyCheck(fit.params as unknown as BgNbdParams, summary) : null,
			holdout: summary.holdoutEnd === null ? null : holdoutReport(fit.params, summary, model),
			scores: {
				aliveMatrix: aliveMatrix(summary, model, fit.params),
				deciles: summary.holdoutEnd === null ? null : valueDeciles(summary, predictedHoldout(fit.params, summary, model), spendPerPurchase)
			}
		};
	});
	if (use !== undefined && !asked.includes(use)) throw new Error(`the model to use, ${use}, was not fitted (fitted: ${asked.join(', ')})`);
	const chosen = models.find((m) => m.model === (use ?? bestByBic(models)))!;
	return {
		model: chosen.model,
		timeUnit,
		customers: summary.customers,
		transactions: log.length,
		badRows: log.badCount,
		duplicateRows: summary.duplicateRows,
		calibrationEnd: formatDay(summary.calibrationEnd),
		holdoutEnd: summary.holdoutEnd === null ? null : formatDay(summary.holdoutEnd),
		params: chosen.params as BgNbdParams & ModelParams,
		standardErrors: chosen.standardErrors as BgNbdParams & ModelParams,
		logLikelihood: chosen.logLikelihood,
		starts: chosen.starts,
		spend: { ...spend.params, customers: spend.customers, logLikelihood: spend.logLikelihood, spendFrequencyCorrelation: spend.spendFrequencyCorrelation },
		frequency: chosen.frequency,
		holdout: chosen.holdout,
		models,
		scores: chosen.scores,
		observed: {
			monthly: observedTriangle(log, 30),
			weekly: observedTriangle(log, 7),
			repurchaseRate90: observedRepurchaseRate(log, 90),
			repurchaseCurve: observedRepurchaseCurve(log, REPURCHASE_CURVE_DAYS)
		}
	};
}

/** Fits the log on this machine: calibrationEnd and holdoutEnd are day numbers. */
export function calibrate(
	log: TransactionLog,
	calibrationEnd: number,
	holdoutEnd: number | null,
	timeUnit: 'day' | 'week',
	models: readonly PurchaseModelId[] = ['bgnbd'],
	use?: PurchaseModelId
): { report: CalibrationReport; summary: CustomerSummary } {
	const summary = summariseForFit(log, calibrationEnd, holdoutEnd, timeUnit);
	const jobs = fitJobs(summary, models);
	return { summary, report: calibrationReport(log, summary, jobs, jobs.map((job) => runFitJob(summary, job)), timeUnit, use) };
}
