/**
 * Reports of sweeps (a grid over one or two parameters, each cell's metrics
 * with intervals) and one-at-a-time sensitivity (each parameter at its low
 * and high value against the base, ranked by swing: the tornado chart's data).
 * Runs share random numbers, so effects are paired differences.
 */
import { ENGINE_VERSION } from '../engine/version';
import { compareMetric, kpiColumns } from './compare';
import type { KpiName } from './kpis';
import type { Experiment } from './schema';
import { estimate, type Estimate } from './statistics';
import type { VariantRuns } from './runVariants';

function meta(experiment: Experiment, runs: VariantRuns[], wallSeconds: number) {
	return {
		engineVersion: ENGINE_VERSION,
		experiment: experiment.name,
		seed: runs[0].scenario.seed,
		replications: runs[0].outputs.length,
		wallSeconds
	};
}

export interface SweepReport {
	meta: ReturnType<typeof meta>;
	parameters: { parameter: string; label?: string; values: unknown[] }[];
	cells: { values: Record<string, unknown>; kpis: Partial<Record<KpiName, Estimate>> }[];
}

/** Each sweep cell with the experiment's metrics. */
export function sweepReport(experiment: Experiment, runs: VariantRuns[], wallSeconds: number): SweepReport {
	const metrics = experiment.metrics as KpiName[];
	return {
		meta: meta(experiment, runs, wallSeconds),
		parameters: (experiment.sweep ?? []).map(({ parameter, label, values }) => ({ parameter, ...(label ? { label } : {}), values })),
		cells: runs.map((r) => {
			const columns = kpiColumns(r);
			return { values: r.values ?? {}, kpis: Object.fromEntries(metrics.map((m) => [m, estimate(columns[m])])) };
		})
	};
}

export interface SensitivityEnd {
	value: unknown;
	estimate: Estimate;
	/** Paired difference against the base run. */
	effect: Estimate;
}

export interface SensitivityReport {
	meta: ReturnType<typeof meta>;
	metric: KpiName;
	base: Estimate;
	/** Ranked by swing, largest first. */
	parameters: { parameter: string; label?: string; low: SensitivityEnd; high: SensitivityEnd; swing: number | null }[];
}

/** The tornado: runs are [base, p1 low, p1 high, p2 low, …] as resolveSensitivity makes them. */
export function sensitivityReport(experiment: Experiment, runs: VariantRuns[], metric: KpiName, wallSeconds: number): SensitivityReport {
	const base = kpiColumns(runs[0])[metric];
	const end = (run: VariantRuns, pointer: string): SensitivityEnd => {
		const values = kpiColumns(run)[metric];
		return { value: run.values?.[pointer], estimate: estimate(values), effect: compareMetric(values, base, metric).diff };
	};
	const parameters = (experiment.sensitivity ?? []).map((p, i) => {
		const low = end(runs[1 + 2 * i], p.parameter);
		const high = end(runs[2 + 2 * i], p.parameter);
		const swing = low.estimate.mean === null || high.estimate.mean === null ? null : Math.abs(high.estimate.mean - low.estimate.mean);
		return { parameter: p.parameter, ...(p.label ? { label: p.label } : {}), low, high, swing };
	});
	parameters.sort((a, b) => (b.swing ?? -1) - (a.swing ?? -1));
	return { meta: meta(experiment, runs, wallSeconds), metric, base: estimate(base), parameters };
}
