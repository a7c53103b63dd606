/**
 * Fitting what transaction logs cannot identify (funnel rates, referral) by
 * simulation: choose scenario values (named by JSON Pointer, within bounds)
 * so that a simulated daily series, summed into periods, matches an observed
 * one. Every evaluation runs the same replications with the same seeds
 * (common random numbers), so the distance is a smooth function of the
 * values and Nelder–Mead can minimise it. The distance is a chi-square: each
 * period's squared difference over the observed count (its Poisson variance)
 * plus the simulation's own variance of the mean. Standard errors use the
 * method of simulated moments' sandwich, (JᵀWJ)⁻¹ JᵀWΣWJ (JᵀWJ)⁻¹ · (1 + 1/R),
 * with J the series' slopes in the values (central differences, same seeds),
 * W the chi-square weights and Σ the covariance of one run's periods
 * estimated from replications at the optimum: weeks of one population are
 * correlated, and a plain curvature would miss that and claim too much.
 * Only the observed periods are simulated: the horizon is cut (or stretched)
 * to them, since later days cannot change the distance.
 */
import { seriesOf, type SeriesName } from '../engine/output';
import { runReplications } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import { parseScenario } from '../engine/scenario/validate';
import { setAtPointer } from '../engine/scenario/jsonPointer';
import { invert, nelderMead } from './optimize';

export interface FittedParameter {
	pointer: string;
	low: number;
	high: number;
	start: number;
	/** A count the schema wants whole (the initial population): rounded before each run. */
	integer?: boolean;
}

export interface SimulationFitTarget {
	series: SeriesName;
	/** Days summed into one observed value (7: weekly counts). */
	periodDays: number;
	/** Observed counts per period, from day 0. */
	observed: number[];
}

export interface SimulationFit {
	values: Record<string, number>;
	/** null where the curve does not identify the value, or the fit stopped at one of its bounds. */
	standardErrors: Record<string, number | null>;
	chiSquare: number;
	degreesOfFreedom: number;
	simulated: number[];
	evaluations: number;
}

// Values live on (low, high) through a logistic transform, so the optimiser is unconstrained.
const toValue = (u: number, p: FittedParameter) => p.low + (p.high - p.low) / (1 + Math.exp(-u));
const toFree = (v: number, p: FittedParameter) => -Math.log((p.high - p.low) / (v - p.low) - 1);
const settable = (v: number, p: FittedParameter) => (p.integer ? Math.round(v) : v);

/** Period totals of each replication. */
function periodRows(scenario: Scenario, target: SimulationFitTarget, replications: number): number[][] {
	const periods = target.observed.length;
	return runReplications(scenario, replications).map((o) => {
		const daily = seriesOf(o, target.series);
		return Array.from({ length: periods }, (_, k) => {
			let s = 0;
			for (let d = k * target.periodDays; d < Math.min((k + 1) * target.periodDays, daily.length); d++) s += daily[d];
			return s;
		});
	});
}

const columnMeans = (rows: number[][]) => rows[0].map((_, k) => rows.reduce((s, r) => s + r[k], 0) / rows.length);

/** Simulated period totals: mean and variance of the mean over replications. */
function simulate(scenario: Scenario, target: SimulationFitTarget, replications: number): { mean: number[]; varianceOfMean: number[] } {
	const rows = periodRows(scenario, target, replications);
	const mean = columnMeans(rows);
	const varianceOfMean = mean.map((m, k) => rows.reduce((s, r) => s + (r[k] - m) ** 2, 0) / Math.max(1, replications - 1) / replications);
	return { mean, varianceOfMean };
}

const SANDWICH_REPLICATIONS = 24;
/** A value this share of its range from a bound counts as on it: the logistic transform flattens there, so the simplex stops short of the bound itself. */
const BOUND_MARGIN = 0.01;

/** The sandwich covariance of the values at the optimum (see the module comment). */
function sandwichCovariance(scenarioAtValues: (v: number[]) => Scenario, values: number[], parameters: FittedParameter[], target: SimulationFitTarget, replications: number): number[][] {
	const k = parameters.length;
	const n = target.observed.length;
	const rows = periodRows(scenarioAtValues(values), target, SANDWICH_REPLICATIONS);
	const mean = columnMeans(rows);
	const sigma = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / (rows.length - 1)));
	const weight = target.observed.map((o) => 1 / Math.max(1, o));
	const jacobian = parameters.map((p, i) => {
		const h = Math.min(values[i] - p.low, p.high - values[i], Math.abs(values[i]) * 0.05 || 1e-3) / 2;
		const at = (d: number) => columnMeans(periodRows(scenarioAtValues(values.map((v, j) => (j === i ? v + d : v))), target, replications));
		const up = at(h);
		const down = at(-h);
		return up.map((u, t) => (u - down[t]) / (2 * h));
	});
	const bread = invert(Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => jacobian[a].reduce((s, x, t) => s + x * weight[t] * jacobian[b][t], 0))));
	const meat = Array.from({ length: k }, (_, a) =>
		Array.from({ length: k }, (_, b) => {
			let s = 0;
			for (let t = 0; t < n; t++) for (let u = 0; u < n; u++) s += jacobian[a][t] * weight[t] * sigma[t][u] * weight[u] * jacobian[b][u];
			return s;
		})
	);
	const multiply = (x: number[][], y: number[][]) => x.map((row) => y[0].map((_, j) => row.reduce((s, v, m) => s + v * y[m][j], 0)));
	return multiply(multiply(bread, meat), bread).map((row) => row.map((v) => v * (1 + 1 / replications)));
}

/**
 * Fits the parameters so the simulated series matches the observed one;
 * `onEvaluation` hears the count of distances computed so far (for progress).
 */
export function fitBySimulation(
	baseRaw: unknown,
	parameters: FittedParameter[],
	target: SimulationFitTarget,
	replications = 4,
	onEvaluation?: (evaluations: number) => void
): SimulationFit {
	let evaluations = 0;
	const horizonDays = target.observed.length * target.periodDays;
	const atValues = (values: number[]) => {
		let raw = setAtPointer(baseRaw, '/horizonDays', horizonDays);
		parameters.forEach((p, i) => (raw = setAtPointer(raw, p.pointer, settable(values[i], p))));
		return parseScenario(raw);
	};
	const scenarioAt = (free: number[]) => atValues(free.map((u, i) => toValue(u, parameters[i])));
	const chiSquare = (free: number[]) => {
		const { mean, varianceOfMean } = simulate(scenarioAt(free), target, replications);
		evaluations++;
		onEvaluation?.(evaluations);
		return target.observed.reduce((s, obs, k) => s + (obs - mean[k]) ** 2 / Math.max(1, obs + varianceOfMean[k]), 0);
	};
	const best = nelderMead(chiSquare, parameters.map((p) => toFree(p.start, p)), { step: 0.5, tolerance: 1e-6, maxIterations: 300 });
	const values = Object.fromEntries(parameters.map((p, i) => [p.pointer, settable(toValue(best.point[i], p), p)]));
	let standardErrors: Record<string, number | null>;
	try {
		const covariance = sandwichCovariance(atValues, parameters.map((p) => values[p.pointer]), parameters, target, replications);
		// At a bound the optimum is not interior and the slopes are one-sided: no standard error is honest there.
		const atBound = (p: FittedParameter) => Math.min(values[p.pointer] - p.low, p.high - values[p.pointer]) <= (p.high - p.low) * BOUND_MARGIN;
		standardErrors = Object.fromEntries(parameters.map((p, i) => [p.pointer, covariance[i][i] > 0 && !atBound(p) ? Math.sqrt(covariance[i][i]) : null]));
	} catch {
		standardErrors = Object.fromEntries(parameters.map((p) => [p.pointer, null]));
	}
	return {
		values,
		standardErrors,
		chiSquare: best.value,
		degreesOfFreedom: target.observed.length - parameters.length,
		simulated: simulate(scenarioAt(best.point), target, replications).mean,
		evaluations
	};
}
