/**
 * The optimise experiment: a space-filling first batch, then batches chosen
 * by a Gaussian-process surrogate (constrained expected improvement), then
 * ranking and selection of the best few with more replications. Every
 * evaluation runs the same replication seeds (common random numbers), every
 * batch has a fixed size and the search's own random numbers come from the
 * seed, so the same seed gives the same search whatever runs the jobs.
 * Cancelling keeps what was evaluated and says the run stopped early.
 */
import seedrandom from 'seedrandom';
import { combineShards, shardTasks } from '../../engine/run';
import type { Scenario } from '../../engine/scenario/schema';
import { ENGINE_VERSION } from '../../engine/version';
import type { Job, JobRunner, RunJobsOptions, RunProgress } from '../jobs';
import { checkPointers, scenarioAt } from '../experiment';
import { KPI_NAMES, replicationKpis, type KpiName } from '../kpis';
import { estimate, type Estimate } from '../statistics';
import { chooseBatch, type Surrogates } from './acquisition';
import { GaussianProcess } from './gaussianProcess';
import type { Constraint, OptimiseSpec } from './schema';
import { selectBest, type SelectionResult } from './selection';
import { latinHypercube, snap, valuesKey, type UnitPoint } from './space';

type KpiRow = Record<KpiName, number>;

/** One setting the run evaluated. */
export interface EvaluationRecord {
	index: number;
	/** 0: the initial design; then each search batch; selection re-runs add replications, not evaluations. */
	batch: number;
	values: Record<string, unknown>;
	replications: number;
	kpis: Record<KpiName, Estimate>;
	/** Every constraint holds at its mean. */
	feasible: boolean;
}

/** A setting of the result with its KPIs and how each constraint stands. */
export interface SettingSummary {
	evaluation: number;
	values: Record<string, unknown>;
	replications: number;
	kpis: Record<KpiName, Estimate>;
	constraints: { metric: KpiName; atMost?: number; atLeast?: number; estimate: Estimate; met: boolean; metWholeInterval: boolean }[];
	feasible: boolean;
}

export interface OptimiseReport {
	meta: {
		engineVersion: string;
		experiment: string;
		seed: number;
		replicationsPerEvaluation: number;
		batchSize: number;
		evaluations: number;
		/** Replications simulated in all, search and selection. */
		simulations: number;
		wallSeconds: number;
		/** Cancelled: what was evaluated is kept and reported. */
		stoppedEarly: boolean;
	};
	objective: OptimiseSpec['objective'];
	constraints: Constraint[];
	decisions: OptimiseSpec['decisions'];
	history: EvaluationRecord[];
	selection: {
		procedure: 'Kim–Nelson fully sequential';
		candidates: { evaluation: number; replications: number; objective: Estimate; eliminatedAt: number | null }[];
		probabilityTarget: number;
		indifference: number | null;
		separated: boolean;
		budgetSpent: boolean;
		probabilityBest: number | null;
	} | null;
	best: SettingSummary | null;
	runnerUp: SettingSummary | null;
	/** The constraint with the least slack at the best setting: the frontier's x axis. */
	bindingConstraint: KpiName | null;
	/** Evaluations on the trade-off frontier (no other is better in the objective at no more of the binding KPI), in order of that KPI. */
	frontier: number[];
	/** The base scenario with the best values, ready for a scenario cell. */
	bestScenario: Scenario | null;
}

/** Progress of an optimisation. */
export interface OptimiseProgress {
	phase: 'search' | 'selection';
	evaluationsDone: number;
	evaluations: number;
	/** Replications simulated so far. */
	simulations: number;
	/** Days of the jobs now running, done and in all. */
	run?: RunProgress;
	/** The evaluations so far, for a live chart. */
	history: EvaluationRecord[];
}

export interface OptimiseOptions {
	/** The experiment's name, for the report. */
	experiment?: string;
	onProgress?: (progress: OptimiseProgress) => void;
	/** Checked between batches: true stops as a cancel does. */
	shouldStop?: () => boolean;
}

const isCancel = (error: unknown) => (error as Error)?.name === 'CancelledError';

/** Checks the decisions name values of the base scenario and both corners of the space give valid scenarios. */
export function checkDecisions(spec: OptimiseSpec, base: Scenario): void {
	checkPointers(base, spec.decisions.map((d, i) => [d.parameter, `optimise.decisions[${i}].parameter`]));
	for (const corner of [0, 1]) scenarioAt(base, snap(spec.decisions, spec.decisions.map(() => corner)).values, `optimise: every decision at its ${corner ? 'upper' : 'lower'} end`);
}

/** Runs an optimisation of `base` (a validated scenario) on `run`'s jobs. */
export async function optimise(spec: OptimiseSpec, base: Scenario, run: JobRunner, options: OptimiseOptions = {}): Promise<OptimiseReport> {
	const started = performance.now();
	checkDecisions(spec, base);
	const sign = spec.objective.goal === 'maximise' ? 1 : -1;
	const d = spec.decisions.length;
	const random = seedrandom(`optimise/${base.seed}`);
	const points: { point: UnitPoint; values: Record<string, unknown>; scenario: Scenario; batch: number; rows: KpiRow[] }[] = [];
	const seen = new Set<string>();
	let simulations = 0;
	let stoppedEarly = false;
	const history = () => points.map((p, i) => record(p, i, spec));
	const progress = (phase: OptimiseProgress['phase'], runProgress?: RunProgress) =>
		options.onProgress?.({ phase, evaluationsDone: points.length, evaluations: spec.evaluations, simulations, run: runProgress, history: history() });

	/** Runs replications from..to−1 of each setting; KPI rows per setting. */
	const simulate = async (scenarios: Scenario[], from: number, to: number, phase: OptimiseProgress['phase']): Promise<KpiRow[][]> => {
		const jobs: Job[] = scenarios.flatMap((scenario, p) =>
			Array.from({ length: to - from }, (_, j) => from + j).flatMap((replication) =>
				shardTasks(scenario, 1).map(({ shard }) => ({ scenario, task: { replication, shard }, label: `setting ${p + 1}, replication ${replication + 1}` }))
			)
		);
		const runOptions: RunJobsOptions = { onProgress: (p) => progress(phase, p) };
		const outputs = await run(jobs, runOptions);
		let offset = 0;
		return scenarios.map((scenario) => {
			const count = shardTasks(scenario, to - from).length;
			const whole = combineShards(outputs.slice(offset, (offset += count)), to - from);
			simulations += to - from;
			return whole.map((o) => replicationKpis(o, scenario));
		});
	};

	const evaluate = async (proposals: { point: UnitPoint; values: Record<string, unknown> }[], batch: number) => {
		const scenarios = proposals.map((p) => scenarioAt(base, p.values, `optimise setting ${valuesKey(p.values)}`));
		const rows = await simulate(scenarios, 0, spec.replications, 'search');
		proposals.forEach((p, i) => points.push({ ...p, scenario: scenarios[i], batch, rows: rows[i] }));
		progress('search');
	};

	/** A new setting near `u`, or at random when the space around it is used up. */
	const fresh = (u: UnitPoint, taken: Set<string>) => {
		for (let attempt = 0; attempt < 200; attempt++) {
			const s = snap(spec.decisions, attempt === 0 ? u : u.map(() => random()));
			if (!taken.has(valuesKey(s.values))) return s;
		}
		return null;
	};

	try {
		const initialCount = Math.min(spec.evaluations, roundUp(spec.initialEvaluations ?? 2 * d + 2, spec.batchSize));
		const initial = latinHypercube(initialCount, d, random)
			.map((u) => {
				const s = fresh(u, seen);
				if (s) seen.add(valuesKey(s.values));
				return s;
			})
			.filter((s) => s !== null);
		// The initial design runs as one batch: its jobs are known in advance, so a sharded run can split them.
		await evaluate(initial, 0);
		for (let batch = 1; points.length < spec.evaluations; batch++) {
			if (options.shouldStop?.()) throw Object.assign(new Error('stopped'), { name: 'CancelledError' });
			const proposals = propose(spec, points, Math.min(spec.batchSize, spec.evaluations - points.length), random, seen, sign);
			if (!proposals.length) break; // every allowed setting has been evaluated
			for (const p of proposals) seen.add(valuesKey(p.values));
			await evaluate(proposals, batch);
		}
	} catch (error) {
		if (!isCancel(error)) throw error;
		stoppedEarly = true;
	}

	// Ranking and selection among the best feasible settings, by the surrogate's mean (less noisy than one setting's replications).
	let selection: SelectionResult | null = null;
	const usable = points.map((p, i) => ({ p, i })).filter(({ p }) => p.rows.length && p.rows.every((r) => Number.isFinite(r[spec.objective.metric])));
	const feasible = usable.filter(({ p }) => meetsConstraints(p.rows, spec.constraints));
	if (!stoppedEarly && feasible.length >= 2) {
		const gp = fitObjective(feasible.map(({ p }) => p), spec, sign);
		const ranked = feasible.map(({ p, i }) => ({ i, score: gp.predict(p.point).mean })).sort((a, b) => b.score - a.score);
		const chosen = ranked.slice(0, spec.selection.candidates).map((r) => r.i);
		const objective = (i: number) => points[i].rows.map((r) => sign * r[spec.objective.metric]);
		try {
			selection = await selectBest(
				new Map(chosen.map((i) => [i, objective(i)])),
				async (ids, from, to) => {
					const rows = await simulate(ids.map((i) => points[i].scenario), from, to, 'selection');
					ids.forEach((i, k) => (points[i].rows = [...points[i].rows.slice(0, from), ...rows[k]]));
					progress('selection');
					return rows.map((rs) => rs.map((r) => sign * r[spec.objective.metric]));
				},
				{ ...spec.selection, shouldStop: options.shouldStop }
			);
			stoppedEarly ||= selection.stoppedEarly;
		} catch (error) {
			if (!isCancel(error)) throw error;
			stoppedEarly = true;
		}
	}

	// More replications can show a candidate breaks a constraint after all: the best is then the best of those that keep to them.
	const kept = selection && [selection.best, ...(selection.runnerUp === null ? [] : [selection.runnerUp]), ...[...selection.values.keys()]].filter((i) => meetsConstraints(points[i].rows, spec.constraints));
	const ranked = selection ? [...new Set([...(kept ?? []), selection.best])] : [];
	const bestIndex = selection ? ranked[0] : pickBest(usable.map(({ i }) => i), points, spec, sign);
	const runnerUpIndex = selection ? (ranked.find((i) => i !== bestIndex) ?? selection.runnerUp) : pickBest(usable.map(({ i }) => i).filter((i) => i !== bestIndex), points, spec, sign);
	if (selection && bestIndex !== selection.best) selection.separated = false;
	const summary = (i: number | null) => (i === null ? null : summarise(points[i], i, spec));
	const best = summary(bestIndex);
	const binding = bindingConstraint(best, spec.constraints);
	const records = history();
	return {
		meta: {
			engineVersion: ENGINE_VERSION,
			experiment: options.experiment ?? '',
			seed: base.seed,
			replicationsPerEvaluation: spec.replications,
			batchSize: spec.batchSize,
			evaluations: points.length,
			simulations,
			wallSeconds: (performance.now() - started) / 1000,
			stoppedEarly
		},
		objective: spec.objective,
		constraints: spec.constraints,
		decisions: spec.decisions,
		history: records,
		selection: selection && {
			procedure: 'Kim–Nelson fully sequential',
			candidates: [...selection.values.keys()].map((i) => ({
				evaluation: i,
				replications: selection!.values.get(i)!.length,
				objective: estimate(points[i].rows.map((r) => r[spec.objective.metric])),
				eliminatedAt: selection!.eliminated.find((e) => e.id === i)?.replications ?? null
			})),
			probabilityTarget: spec.selection.probability,
			indifference: selection.indifference,
			separated: selection.separated,
			budgetSpent: selection.budgetSpent,
			probabilityBest: selection.probabilityBest
		},
		best,
		runnerUp: summary(runnerUpIndex),
		bindingConstraint: binding?.metric ?? null,
		frontier: binding ? tradeOffFrontier(records, spec.objective.metric, sign, binding) : [],
		bestScenario: bestIndex === null ? null : points[bestIndex].scenario
	};
}

function roundUp(n: number, step: number): number {
	return Math.ceil(n / step) * step;
}

const meanOf = (rows: KpiRow[], metric: KpiName) => rows.reduce((s, r) => s + r[metric], 0) / rows.length;

function holds(c: Constraint, value: number): boolean {
	return c.atMost !== undefined ? value <= c.atMost : value >= c.atLeast!;
}

function meetsConstraints(rows: KpiRow[], constraints: Constraint[]): boolean {
	return constraints.every((c) => holds(c, meanOf(rows, c.metric)));
}

function record(p: { values: Record<string, unknown>; batch: number; rows: KpiRow[] }, index: number, spec: OptimiseSpec): EvaluationRecord {
	return {
		index,
		batch: p.batch,
		values: p.values,
		replications: p.rows.length,
		kpis: Object.fromEntries(KPI_NAMES.map((k) => [k, estimate(p.rows.map((r) => r[k]))])) as Record<KpiName, Estimate>,
		feasible: meetsConstraints(p.rows, spec.constraints)
	};
}

function summarise(p: { values: Record<string, unknown>; batch: number; rows: KpiRow[] }, index: number, spec: OptimiseSpec): SettingSummary {
	const r = record(p, index, spec);
	return {
		evaluation: index,
		values: r.values,
		replications: r.replications,
		kpis: r.kpis,
		constraints: spec.constraints.map((c) => {
			const e = r.kpis[c.metric];
			const met = e.mean !== null && holds(c, e.mean);
			const metWholeInterval = e.ci95 !== null && holds(c, e.ci95[0]) && holds(c, e.ci95[1]);
			return { ...c, estimate: e, met, metWholeInterval };
		}),
		feasible: r.feasible
	};
}

/** Without a selection stage: the feasible setting with the best mean, else the one meeting most constraints. */
function pickBest(indices: number[], points: { rows: KpiRow[] }[], spec: OptimiseSpec, sign: number): number | null {
	if (!indices.length) return null;
	const met = (i: number) => spec.constraints.filter((c) => holds(c, meanOf(points[i].rows, c.metric))).length;
	return [...indices].sort((a, b) => met(b) - met(a) || sign * (meanOf(points[b].rows, spec.objective.metric) - meanOf(points[a].rows, spec.objective.metric)))[0];
}

/** The objective's surrogate, oriented so that more is better. */
function fitObjective(points: { point: UnitPoint; rows: KpiRow[] }[], spec: OptimiseSpec, sign: number): GaussianProcess {
	return fitSurrogate(points, (r) => sign * r[spec.objective.metric]);
}

function fitSurrogate(points: { point: UnitPoint; rows: KpiRow[] }[], value: (row: KpiRow) => number): GaussianProcess {
	const y = points.map((p) => p.rows.reduce((s, r) => s + value(r), 0) / p.rows.length);
	const noise = points.map((p, i) => (p.rows.length < 2 ? 0 : p.rows.reduce((s, r) => s + (value(r) - y[i]) ** 2, 0) / (p.rows.length - 1) / p.rows.length));
	return GaussianProcess.fit(points.map((p) => p.point), y, noise);
}

/** The next batch: candidates at random and around the best settings so far, ranked by constrained expected improvement. */
function propose(spec: OptimiseSpec, points: { point: UnitPoint; values: Record<string, unknown>; rows: KpiRow[] }[], size: number, random: () => number, seen: Set<string>, sign: number) {
	const usable = points.filter((p) => spec.constraints.every((c) => p.rows.every((r) => Number.isFinite(r[c.metric]))) && p.rows.every((r) => Number.isFinite(r[spec.objective.metric])));
	const d = spec.decisions.length;
	const randomPoint = () => Array.from({ length: d }, () => random());
	const candidates: { point: UnitPoint; values: Record<string, unknown> }[] = [];
	const taken = new Set(seen);
	const add = (u: UnitPoint) => {
		const s = snap(spec.decisions, u.map((x) => Math.min(1, Math.max(0, x))));
		const key = valuesKey(s.values);
		if (!taken.has(key)) {
			taken.add(key);
			candidates.push(s);
		}
	};
	if (usable.length < 2) {
		for (let i = 0; i < 50 && candidates.length < size; i++) add(randomPoint());
		return candidates.slice(0, size);
	}
	const surrogates: Surrogates = {
		objective: fitObjective(usable, spec, sign),
		constraints: spec.constraints.map((c) => ({ gp: fitSurrogate(usable, (r) => r[c.metric]), atMost: c.atMost, atLeast: c.atLeast }))
	};
	const feasible = usable.filter((p) => meetsConstraints(p.rows, spec.constraints));
	const scored = feasible.map((p) => ({ p, mean: surrogates.objective.predict(p.point).mean })).sort((a, b) => b.mean - a.mean);
	const incumbent = scored.length ? scored[0].mean : null;
	for (let i = 0; i < 300 * d; i++) add(randomPoint());
	// Local candidates around the three best: the optimum of a smooth KPI is usually near the best seen.
	for (const { p } of scored.slice(0, 3)) {
		for (const radius of [0.02, 0.06, 0.15]) {
			for (let i = 0; i < 40; i++) add(p.point.map((x) => x + radius * gaussian(random)));
		}
	}
	return chooseBatch(surrogates, candidates.map((c) => c.point), size, incumbent).map((i) => candidates[i]);
}

function gaussian(random: () => number): number {
	return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The constraint with the least slack at the best setting, relative to its bound. */
function bindingConstraint(best: SettingSummary | null, constraints: Constraint[]): Constraint | null {
	if (!best || !constraints.length) return null;
	const slack = (c: Constraint) => {
		const bound = c.atMost ?? c.atLeast!;
		const m = best.kpis[c.metric].mean;
		return m === null ? Infinity : Math.abs(bound - m) / Math.max(Math.abs(bound), 1e-9);
	};
	return [...constraints].sort((a, b) => slack(a) - slack(b))[0];
}

/** Evaluations no other beats in the objective while using no more of the binding KPI (less for an upper bound, more for a lower one). */
function tradeOffFrontier(history: EvaluationRecord[], metric: KpiName, sign: number, c: Constraint): number[] {
	const side = c.atMost !== undefined ? 1 : -1;
	const pts = history
		.filter((h) => h.kpis[metric].mean !== null && h.kpis[c.metric].mean !== null)
		.map((h) => ({ i: h.index, x: side * h.kpis[c.metric].mean!, y: sign * h.kpis[metric].mean! }))
		.sort((a, b) => a.x - b.x || b.y - a.y);
	const front: number[] = [];
	let bestY = -Infinity;
	for (const p of pts) {
		if (p.y > bestY) {
			front.push(p.i);
			bestY = p.y;
		}
	}
	return front;
}
