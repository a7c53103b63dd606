/**
 * An experiment cell as something to run: its scenario cell's scenario with
 * the cell's variants (or sweep, or sensitivity runs) applied and validated,
 * a content hash that names its results (scenario, seed, replications and
 * engine version: the same hash means the same numbers, so results are
 * cached under it), and the summaries the chart and KPI cells read, built
 * from whatever replications have arrived so far.
 */
import { buildComparison, type ComparisonReport } from '../experiment/compare';
import { ExperimentError, resolveSensitivity, resolveSweep, resolveVariants, validateExperiment, type ResolvedVariant } from '../experiment/experiment';
import { EXPERIMENT_SCHEMA_ID, type Experiment } from '../experiment/schema';
import type { KpiName } from '../experiment/kpis';
import { buildReport, type RunReport } from '../experiment/report';
import { sensitivityReport, sweepReport, type SensitivityReport, type SweepReport } from '../experiment/sweep';
import type { JobRunner } from '../experiment/jobs';
import { runVariants, type RunLosses, type RunVariantsOptions, type VariantRuns } from '../experiment/runVariants';
import { runToPrecision, type PrecisionStep, type Stopping } from '../experiment/precision';
import { controlName } from '../experiment/experiment';
import type { ScenarioProblem } from '../engine/scenario/validate';
import { ENGINE_VERSION } from '../engine/version';
import type { Cell, Notebook } from './schema';

export type ExperimentCell = Extract<Cell, { kind: 'experiment' }>;
export type Design = 'variants' | 'sweep' | 'sensitivity';

/** An experiment cell ready to run. */
export interface ResolvedExperiment {
	experiment: Experiment;
	design: Design;
	runs: ResolvedVariant[];
}

export type Resolution = { ok: true; resolved: ResolvedExperiment } | { ok: false; problems: ScenarioProblem[] };

/** The experiment an experiment cell describes, in the experiment file format. */
export function cellExperiment(notebook: Notebook, cell: ExperimentCell): unknown {
	const source = notebook.cells.find((c) => c.id === cell.scenarioCell);
	return {
		schema: EXPERIMENT_SCHEMA_ID,
		name: cell.id,
		scenario: source?.kind === 'scenario' ? source.scenario : {},
		replications: cell.replications,
		...(cell.seed === undefined ? {} : { seed: cell.seed }),
		metrics: cell.metrics,
		...(cell.control ? { control: cell.control } : {}),
		commonRandomNumbers: cell.commonRandomNumbers,
		...(cell.precision ? { precision: cell.precision } : {}),
		variants: cell.variants,
		...(cell.sweep ? { sweep: cell.sweep } : {}),
		...(cell.sensitivity ? { sensitivity: cell.sensitivity } : {})
	};
}

/** Resolves an experiment cell, collecting every problem (of the cell, or of a variant's scenario) by path. */
export function resolveExperimentCell(notebook: Notebook, cell: ExperimentCell): Resolution {
	const checked = validateExperiment(cellExperiment(notebook, cell));
	if (!checked.ok) return checked;
	const experiment = checked.experiment;
	const design: Design = experiment.sweep ? 'sweep' : experiment.sensitivity ? 'sensitivity' : 'variants';
	try {
		const base = experiment.scenario;
		const runs = design === 'sweep' ? resolveSweep(experiment, base) : design === 'sensitivity' ? resolveSensitivity(experiment, base) : resolveVariants(experiment, base);
		return { ok: true, resolved: { experiment, design, runs } };
	} catch (error) {
		if (error instanceof ExperimentError) return { ok: false, problems: error.problems };
		throw error;
	}
}

/** JSON with object keys sorted, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_, v) =>
		v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v
	);
}

/** The content hash naming an experiment's results: SHA-256 of everything that decides its numbers. */
export async function resultKey(resolved: ResolvedExperiment): Promise<string> {
	const { experiment, design, runs } = resolved;
	const content = canonicalJson({
		engine: ENGINE_VERSION,
		design,
		replications: experiment.replications,
		commonRandomNumbers: experiment.commonRandomNumbers,
		precision: experiment.precision ?? null,
		metrics: experiment.metrics,
		control: experiment.control ?? null,
		sweep: experiment.sweep ?? null,
		sensitivity: experiment.sensitivity ?? null,
		runs: runs.map((r) => ({ name: r.name, scenario: r.scenario }))
	});
	return sha256(content);
}

/** Hex SHA-256 of a text (Web Crypto: the same in the browser and in Node). */
export async function sha256(text: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the chart and KPI cells read from an experiment's runs. */
export interface ExperimentResults {
	key: string;
	design: Design;
	replications: number;
	/** Replications asked for: fewer arrived while the run streams in. */
	replicationsPlanned: number;
	comparison: ComparisonReport;
	/** Per run name, the full report (stages, costs, cohorts, flows); only for variant designs, which have few runs. */
	reports: Record<string, RunReport>;
	sweep?: SweepReport;
	/** One tornado per metric of interest. */
	sensitivity?: Partial<Record<KpiName, SensitivityReport>>;
	/** Shards that failed, named; their replications are left out of every run. */
	failures: string[];
	wallSeconds: number;
	/** With a precision target: the narrowing so far, and (once finished) why the run stopped. */
	stopping?: Stopping;
	/** Only while a sweep's first replication streams in: its grid cells summarised so far, of all of them (the others are not drawn yet). */
	cellsSoFar?: { done: number; total: number };
}

/** The run the others are compared with: the control of variants, the first (base) run of a sweep or sensitivity. */
export function controlOf(resolved: ResolvedExperiment): string {
	return resolved.design === 'variants' ? controlName(resolved.experiment) : resolved.runs[0].name;
}

/** Replications a cell may run: its fixed count, or its precision target's cap. */
export function plannedReplications(resolved: ResolvedExperiment): number {
	return resolved.experiment.precision?.maxReplications ?? resolved.experiment.replications;
}

/** Runs a cell's replications: a fixed count, or batches until its precision target is met (onBatch hears the narrowing). */
export async function runExperimentCell(
	resolved: ResolvedExperiment,
	run: JobRunner,
	losses: RunLosses,
	options: RunVariantsOptions & { onBatch?: (steps: PrecisionStep[]) => void } = {}
): Promise<{ runs: VariantRuns[]; stopping?: Stopping }> {
	const { experiment } = resolved;
	const { onBatch, ...rest } = options;
	if (!experiment.precision) return { runs: await runVariants(resolved.runs, experiment.replications, run, experiment.commonRandomNumbers, losses, rest) };
	return runToPrecision(resolved.runs, controlOf(resolved), experiment.precision, run, experiment.commonRandomNumbers, losses, {
		...rest,
		onBatch: onBatch && ((_runs, steps) => onBatch(steps))
	});
}

/** Summarises runs (each with the same replications, in replication order). */
export function summarise(key: string, resolved: ResolvedExperiment, runs: VariantRuns[], wallSeconds: number, failures: string[] = [], stopping?: Stopping): ExperimentResults {
	const { experiment, design } = resolved;
	// A sweep's or sensitivity's runs are named by their values: the first (the base) is what the others are compared with.
	const control = design === 'variants' ? experiment : { ...experiment, control: runs[0].name };
	const comparison = buildComparison(control, runs, wallSeconds, failures, stopping);
	const results: ExperimentResults = {
		key,
		design,
		replications: runs[0].outputs.length,
		replicationsPlanned: experiment.precision?.maxReplications ?? experiment.replications,
		comparison,
		reports: {},
		failures,
		wallSeconds,
		...(stopping ? { stopping } : {})
	};
	if (design === 'variants') for (const r of runs) results.reports[r.name] = buildReport(r.scenario, r.outputs, wallSeconds);
	if (design === 'sweep') results.sweep = sweepReport(experiment, runs, wallSeconds);
	if (design === 'sensitivity') {
		results.sensitivity = Object.fromEntries((experiment.metrics as KpiName[]).map((m) => [m, sensitivityReport(experiment, runs, m, wallSeconds)]));
	}
	return results;
}

/**
 * Collects replications as they arrive and, once replication k is in for
 * every run, offers the runs cut to the replications complete in all of them
 * (comparisons stay paired while results stream in).
 */
export class ReplicationCollector {
	private readonly arrived: Map<string, Map<number, VariantRuns['outputs'][number]>>;

	constructor(private readonly runs: ResolvedVariant[]) {
		this.arrived = new Map(runs.map((r) => [r.name, new Map()]));
	}

	add(run: string, replication: number, output: VariantRuns['outputs'][number]): void {
		this.arrived.get(run)?.set(replication, output);
	}

	/** The runs with the replications every run has, in replication order; null before the first complete one. */
	complete(): VariantRuns[] | null {
		const maps = [...this.arrived.values()];
		const common = [...maps[0].keys()].filter((k) => maps.every((m) => m.has(k))).sort((a, b) => a - b);
		if (!common.length) return null;
		return this.runs.map((r) => ({ ...r, outputs: common.map((k) => this.arrived.get(r.name)!.get(k)!) }));
	}

	/**
	 * Before the first complete replication: the runs whose first replication
	 * is in, each with it, in run order; null until the first run (the one the
	 * others are compared with) has it. A sweep's grid fills in cell by cell
	 * from these, instead of waiting for one replication of every cell.
	 */
	firstSoFar(): VariantRuns[] | null {
		if (!this.arrived.get(this.runs[0].name)!.has(0)) return null;
		return this.runs.filter((r) => this.arrived.get(r.name)!.has(0)).map((r) => ({ ...r, outputs: [this.arrived.get(r.name)!.get(0)!] }));
	}

	/** What a partial summary can show now: the complete replications, or (for a sweep, before the first is complete) the cells so far. */
	partial(design: Design): { runs: VariantRuns[]; cellsOnly: boolean } | null {
		const complete = this.complete();
		if (complete) return { runs: complete, cellsOnly: false };
		const first = design === 'sweep' ? this.firstSoFar() : null;
		return first && { runs: first, cellsOnly: true };
	}
}
