/**
 * What every buy-till-you-die purchase model offers (BG/NBD, MBG/NBD,
 * Pareto/NBD), and fitting any of them by maximum likelihood the same way:
 * Nelder–Mead on the parameters' logs from several starts, a few Newton
 * steps to pin the optimum down (so a fit over unique rows and one over
 * every customer agree to many digits), and standard errors from the
 * Hessian there.
 */
import { hessian, invert, nelderMead, newtonPolish } from './optimize';
import type { PurchaseRows } from './sufficientStatistics';

export type PurchaseModelId = 'bgnbd' | 'mbgnbd' | 'paretoNbd' | 'bgbb';
/** The continuous-time models a transaction log with dates is fitted with (BG/BB needs discrete occasions). */
export const PURCHASE_MODELS: readonly PurchaseModelId[] = ['bgnbd', 'mbgnbd', 'paretoNbd'];

/** A model's parameters by name; α (and β) are in the summary's time unit. */
export type ModelParams = Record<string, number>;

export interface PurchaseModel {
	id: PurchaseModelId;
	/** The name analysts know it by (BG/NBD, …). */
	label: string;
	/** Parameter names, in the order the optimiser sees them. */
	names: readonly string[];
	logLikelihood(params: ModelParams, rows: PurchaseRows): number;
	/** E[X(t)]: expected repeat purchases in (0, t] of a customer who first bought at 0. */
	expectedRepeatPurchases(params: ModelParams, t: number): number;
	/** E[Y(t) | x, t_x, T]: expected repeat purchases in the next t given a history. */
	conditionalExpectedPurchases(params: ModelParams, x: number, tx: number, T: number, t: number): number;
	/** P(alive | x, t_x, T). */
	probabilityAlive(params: ModelParams, x: number, tx: number, T: number): number;
	/** Optimiser starts on the scale of the customers' mean age. */
	starts(meanT: number): ModelParams[];
}

export interface StartResult {
	start: ModelParams;
	params: ModelParams;
	logLikelihood: number;
	converged: boolean;
	/** The optimum in log-parameters, so a fit can be finished elsewhere (sharded runs). */
	logs: number[];
}

export interface ModelFit {
	model: PurchaseModelId;
	params: ModelParams;
	/** NaN where the curvature gives none (not a proper maximum there). */
	standardErrors: ModelParams;
	logLikelihood: number;
	/** Customers fitted and free parameters, for AIC and BIC. */
	customers: number;
	aic: number;
	bic: number;
	starts: { start: ModelParams; params: ModelParams; logLikelihood: number; converged: boolean }[];
}

const toParams = (names: readonly string[], logs: number[]): ModelParams => Object.fromEntries(names.map((k, i) => [k, Math.exp(logs[i])]));

/** Customers in the rows (the sum of their weights). */
export function customersOf(rows: PurchaseRows): number {
	if (!rows.weight) return rows.x.length;
	let n = 0;
	for (let i = 0; i < rows.weight.length; i++) n += rows.weight[i];
	return n;
}

/** The customers' mean age T, for the starts' scale. */
export function meanAge(rows: PurchaseRows): number {
	let total = 0;
	for (let i = 0; i < rows.T.length; i++) total += rows.T[i] * (rows.weight ? rows.weight[i] : 1);
	return total / customersOf(rows) || 1;
}

/** The negative log-likelihood in log-parameters, infinite outside e^±20 or where it is not finite. */
export function negativeLogLikelihood(model: PurchaseModel, rows: PurchaseRows): (logs: number[]) => number {
	return (logs) => {
		if (logs.some((v) => !(Math.abs(v) <= 20))) return Infinity;
		const ll = model.logLikelihood(toParams(model.names, logs), rows);
		return Number.isFinite(ll) ? -ll : Infinity;
	};
}

/** Nelder–Mead from one start, then Newton steps: the expensive part of a fit, independent of the other starts. */
export function optimiseStart(model: PurchaseModel, rows: PurchaseRows, start: ModelParams): StartResult {
	const f = negativeLogLikelihood(model, rows);
	const m = nelderMead(f, model.names.map((k) => Math.log(start[k])));
	const polished = newtonPolish(f, m.point, m.value);
	return { start, params: toParams(model.names, polished.point), logLikelihood: -polished.value, converged: m.converged, logs: polished.point };
}

/** The fit from every start's optimum: the best one, with standard errors from the Hessian there. */
export function fitFromStarts(model: PurchaseModel, rows: PurchaseRows, runs: StartResult[]): ModelFit {
	const best = runs.reduce((x, y) => (y.logLikelihood > x.logLikelihood ? y : x));
	const params = best.params;
	let covariance: number[][] | null = null;
	try {
		covariance = invert(hessian(negativeLogLikelihood(model, rows), best.logs));
	} catch {
		// A flat direction (the data cannot tell a parameter): no standard errors rather than no fit.
	}
	// SE(θ) = θ · SE(log θ); a non-positive variance means no proper maximum there, so NaN rather than a confident 0.
	const se = (i: number) => (covariance && covariance[i][i] > 0 ? params[model.names[i]] * Math.sqrt(covariance[i][i]) : NaN);
	const customers = customersOf(rows);
	const k = model.names.length;
	return {
		model: model.id,
		params,
		standardErrors: Object.fromEntries(model.names.map((name, i) => [name, se(i)])),
		logLikelihood: best.logLikelihood,
		customers,
		aic: 2 * k - 2 * best.logLikelihood,
		bic: k * Math.log(customers) - 2 * best.logLikelihood,
		starts: runs.map(({ start, params: p, logLikelihood, converged }) => ({ start, params: p, logLikelihood, converged }))
	};
}

/** Fits a model from several starts (its defaults unless given) and keeps the best optimum. */
export function fitModel(model: PurchaseModel, rows: PurchaseRows, starts = model.starts(meanAge(rows))): ModelFit {
	return fitFromStarts(model, rows, starts.map((start) => optimiseStart(model, rows, start)));
}
