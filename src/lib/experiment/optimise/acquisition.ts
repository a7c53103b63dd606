/**
 * Where to evaluate next: expected improvement over the best feasible mean,
 * weighted by the probability that every constraint holds (Gardner et al.
 * 2014, "Bayesian optimization with inequality constraints"); with nothing
 * feasible yet, the probability of feasibility alone. A batch is chosen one
 * point at a time, each pending point believed at its predicted mean (the
 * "kriging believer"), so the batch spreads out without waiting for results.
 */
import { errorFunction } from 'simple-statistics';
import type { GaussianProcess, Prediction } from './gaussianProcess';
import type { UnitPoint } from './space';

/** A surrogate of a constrained KPI and its bound. */
export interface ConstraintSurrogate {
	gp: GaussianProcess;
	atMost?: number;
	atLeast?: number;
}

/** The surrogates of one search step; the objective is oriented so that more is better. */
export interface Surrogates {
	objective: GaussianProcess;
	constraints: ConstraintSurrogate[];
}

/** Φ, the standard normal distribution function. */
export function normalCdf(z: number): number {
	return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

function normalPdf(z: number): number {
	return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** The chance that a constraint holds at a point, from its surrogate. */
export function constraintProbability(c: ConstraintSurrogate, point: UnitPoint): number {
	const { mean, sd } = c.gp.predict(point);
	return c.atMost !== undefined ? normalCdf((c.atMost - mean) / sd) : normalCdf((mean - c.atLeast!) / sd);
}

/** The chance that every constraint holds at a point (constraints modelled independently). */
export function feasibilityProbability(s: Surrogates, point: UnitPoint): number {
	return s.constraints.reduce((p, c) => p * constraintProbability(c, point), 1);
}

/** E[max(f − best, 0)] for f ~ N(mean, sd²). */
export function expectedImprovement({ mean, sd }: Prediction, best: number): number {
	const z = (mean - best) / sd;
	return (mean - best) * normalCdf(z) + sd * normalPdf(z);
}

/** The acquisition value of a point: constrained expected improvement, or P(feasible) while there is no feasible incumbent. */
export function acquisition(s: Surrogates, point: UnitPoint, incumbent: number | null): number {
	const feasible = feasibilityProbability(s, point);
	return incumbent === null ? feasible : expectedImprovement(s.objective.predict(point), incumbent) * feasible;
}

/** Picks `size` of the candidates, best acquisition first, believing each pick at its predicted means before the next. */
export function chooseBatch(s: Surrogates, candidates: UnitPoint[], size: number, incumbent: number | null): number[] {
	const chosen: number[] = [];
	let current = s;
	for (let b = 0; b < size && chosen.length < candidates.length; b++) {
		let best = -1;
		let bestValue = -Infinity;
		candidates.forEach((point, i) => {
			if (chosen.includes(i)) return;
			const value = acquisition(current, point, incumbent);
			if (value > bestValue) [best, bestValue] = [i, value];
		});
		if (best < 0) break;
		chosen.push(best);
		const point = candidates[best];
		current = {
			objective: current.objective.withObservation(point, current.objective.predict(point).mean),
			constraints: current.constraints.map((c) => ({ ...c, gp: c.gp.withObservation(point, c.gp.predict(point).mean) }))
		};
	}
	return chosen;
}
