/**
 * Ranking and selection: the best few settings re-run against each other, by
 * the fully sequential procedure of Kim & Nelson (2001, "A fully sequential
 * procedure for indifference-zone selection in simulation"). It uses paired
 * differences, so common random numbers help it, and guarantees the chosen
 * setting is the best with probability at least P whenever the best beats the
 * rest by at least the indifference amount δ. Replications are added in
 * fixed steps to every setting still in the running (never as workers free
 * up), and the run stops when one is left or the budget is spent.
 */
import { tCdf } from '../statistics';

/** Objective values (oriented so that more is better) of replications from..to−1 of each candidate asked for. */
export type Sampler = (ids: number[], from: number, to: number) => Promise<number[][]>;

export interface SelectionOptions {
	/** Wanted probability of correct selection, 1 − α. */
	probability: number;
	/** δ: differences smaller than this do not matter; default 1% of the best mean after the first stage. */
	indifference?: number;
	/** Replications per candidate at most. */
	maxReplications: number;
	/** Replications every candidate has before eliminating (at least 5). */
	firstStage?: number;
	/** Called between steps; true stops the procedure where it is. */
	shouldStop?: () => boolean;
}

export interface SelectionResult {
	best: number;
	runnerUp: number | null;
	/** Candidates still in the running at the end (one when separated). */
	survivors: number[];
	/** Each eliminated candidate and the replications it had when it went. */
	eliminated: { id: number; replications: number }[];
	/** Objective values per candidate, by replication. */
	values: Map<number, number[]>;
	indifference: number;
	firstStage: number;
	/** One candidate was left: the best is separated with the wanted probability. */
	separated: boolean;
	/** The replication budget ran out with more than one candidate left. */
	budgetSpent: boolean;
	stoppedEarly: boolean;
	/** Posterior probability that the chosen candidate is the best (paired t, Bonferroni bound over the others). */
	probabilityBest: number | null;
}

const mean = (v: number[], n = v.length) => v.slice(0, n).reduce((s, x) => s + x, 0) / n;

function differenceVariance(a: number[], b: number[], n: number): number {
	const d = a.slice(0, n).map((x, r) => x - b[r]);
	const m = mean(d);
	return d.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
}

/** P(μ_a > μ_b) from the paired differences of their common replications (t posterior of the mean difference). */
export function probabilityBetter(a: number[], b: number[]): number | null {
	const n = Math.min(a.length, b.length);
	if (n < 2) return null;
	const m = mean(a.slice(0, n).map((x, r) => x - b[r]));
	const se = Math.sqrt(differenceVariance(a, b, n) / n);
	if (se === 0) return m > 0 ? 1 : m < 0 ? 0 : 0.5;
	return tCdf(m / se, n - 1);
}

/** Runs the procedure on candidates that already have some replications (the same ones, paired by index). */
export async function selectBest(initial: Map<number, number[]>, sample: Sampler, options: SelectionOptions): Promise<SelectionResult> {
	const ids = [...initial.keys()];
	const values = new Map(ids.map((id) => [id, [...initial.get(id)!]]));
	const k = ids.length;
	const alpha = 1 - options.probability;
	const maxReps = Math.max(2, options.maxReplications);
	const firstStage = Math.min(maxReps, Math.max(options.firstStage ?? 5, 5, ...ids.map((id) => values.get(id)!.length)));
	let stoppedEarly = false;
	const extend = async (which: number[], to: number) => {
		const from = Math.min(...which.map((id) => values.get(id)!.length));
		if (to <= from) return;
		const rows = await sample(which, from, to);
		which.forEach((id, i) => values.set(id, [...values.get(id)!.slice(0, from), ...rows[i]]));
	};
	await extend(ids, firstStage);
	const firstMeans = ids.map((id) => mean(values.get(id)!, firstStage));
	const indifference = options.indifference ?? Math.max(1e-9, 0.01 * Math.abs(Math.max(...firstMeans)));
	// Rinott-type constant of the procedure (Kim & Nelson 2001, step "setup").
	const eta = 0.5 * ((2 * alpha) / Math.max(1, k - 1)) ** (-2 / (firstStage - 1)) - 0.5;
	const h2 = 2 * eta * (firstStage - 1);
	const s2 = new Map<string, number>();
	for (const a of ids) for (const b of ids) if (a !== b) s2.set(`${a},${b}`, differenceVariance(values.get(a)!, values.get(b)!, firstStage));

	let survivors = [...ids];
	const eliminated: SelectionResult['eliminated'] = [];
	let r = firstStage;
	const step = firstStage;
	for (;;) {
		const means = new Map(survivors.map((id) => [id, mean(values.get(id)!, r)]));
		const out = survivors.filter((i) =>
			survivors.some((l) => {
				if (l === i) return false;
				const w = Math.max(0, (indifference / (2 * r)) * ((h2 * s2.get(`${i},${l}`)!) / indifference ** 2 - r));
				return means.get(i)! < means.get(l)! - w;
			})
		);
		for (const id of out) eliminated.push({ id, replications: r });
		survivors = survivors.filter((id) => !out.includes(id));
		if (survivors.length <= 1 || r >= maxReps) break;
		if (options.shouldStop?.()) {
			stoppedEarly = true;
			break;
		}
		const next = Math.min(maxReps, r + step);
		await extend(survivors, next);
		r = next;
	}
	const byMean = (a: number, b: number) => mean(values.get(b)!) - mean(values.get(a)!);
	const best = [...survivors].sort(byMean)[0];
	// The runner-up is the one that stayed in the running longest (the best's closest rival), then the higher mean.
	const others = ids.filter((id) => id !== best).sort((a, b) => values.get(b)!.length - values.get(a)!.length || byMean(a, b));
	const chances = others.map((id) => probabilityBetter(values.get(best)!, values.get(id)!));
	const probabilityBest = chances.some((p) => p === null) ? null : Math.max(0, 1 - chances.reduce<number>((s, p) => s + (1 - (p ?? 0)), 0));
	return {
		best,
		runnerUp: others[0] ?? null,
		survivors,
		eliminated,
		values,
		indifference,
		firstStage,
		separated: survivors.length === 1,
		budgetSpent: survivors.length > 1 && r >= maxReps,
		stoppedEarly,
		probabilityBest
	};
}
