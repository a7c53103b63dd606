/**
 * The whole calibration of a transaction log: summaries, the BG/NBD and
 * Gamma-Gamma fits, the holdout check, and the report the CLI prints.
 */
import type { BgNbdParams } from './bgnbd';
import { fitBgNbd } from './bgnbdFit';
import { fitGammaGamma, type GammaGammaParams } from './gammaGammaFit';
import { holdoutReport, type HoldoutReport } from './holdout';
import { observedRepurchaseRate, observedTriangle, type ObservedTriangle } from './observed';
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
	holdout: HoldoutReport | null;
	/** Before any model: monthly (30-day) and weekly cohort triangles and the 90-day repurchase rate. */
	observed: { monthly: ObservedTriangle; weekly: ObservedTriangle; repurchaseRate90: { rate: number; customers: number } };
}

/** Fits the log: calibrationEnd and holdoutEnd are day numbers. */
export function calibrate(log: TransactionLog, calibrationEnd: number, holdoutEnd: number | null, timeUnit: 'day' | 'week'): { report: CalibrationReport; summary: CustomerSummary } {
	const summary = summarise(log, calibrationEnd, holdoutEnd, timeUnit === 'week' ? 7 : 1);
	if (summary.customers < 10) throw new Error(`only ${summary.customers} customers made a first purchase by ${formatDay(calibrationEnd)}: too few to fit`);
	const fit = fitBgNbd(summary);
	const spend = fitGammaGamma(summary);
	return {
		summary,
		report: {
			model: 'bgnbd',
			timeUnit,
			customers: summary.customers,
			transactions: log.length,
			badRows: log.badCount,
			calibrationEnd: formatDay(calibrationEnd),
			holdoutEnd: holdoutEnd === null ? null : formatDay(holdoutEnd),
			params: fit.params,
			standardErrors: fit.standardErrors,
			logLikelihood: fit.logLikelihood,
			starts: fit.starts,
			spend: { ...spend.params, customers: spend.customers, logLikelihood: spend.logLikelihood },
			holdout: holdoutEnd === null ? null : holdoutReport(fit.params, summary),
			observed: { monthly: observedTriangle(log, 30), weekly: observedTriangle(log, 7), repurchaseRate90: observedRepurchaseRate(log, 90) }
		}
	};
}
