/**
 * What an A/B/n comparison reports, as an A/B platform would but from
 * simulation: per variant and metric the mean and 95% interval; per variant
 * against the control the paired difference, the relative lift, the
 * probability of being better and whether the interval excludes 0; the
 * incremental ROI; and how many replications a target precision needs.
 */
import { TOTAL_AGENT_DAYS, TOTAL_EVENTS } from '../engine/output';
import { ENGINE_VERSION } from '../engine/version';
import type { Experiment } from './schema';
import { KPI_NAMES, replicationKpis, type KpiName } from './kpis';
import { band, estimate, ratioEstimate, replicationsFor, tCdf, type Band, type Estimate } from './statistics';
import { seriesOf, type SeriesName } from '../engine/output';
import type { VariantRuns } from './runVariants';
import { controlName } from './experiment';
import type { Stopping } from './precision';

/** Metrics where less is better. */
export const LOWER_IS_BETTER: readonly KpiName[] = ['totalCost', 'acquisitionSpend', 'cac', 'pointsLiability'];

export interface Comparison {
	variant: string;
	control: string;
	metric: KpiName;
	/** Paired difference variant − control across replications. */
	diff: Estimate;
	/** variant / control − 1, delta-method interval keeping the pairing. */
	relativeLift: Estimate;
	/** Chance the true difference is in the better direction (t posterior of the paired mean). */
	probabilityBetter: number | null;
	/** True when the 95% interval of the difference excludes 0. */
	excludesZero: boolean;
	/**
	 * What pairing bought: the width of the variant's own 95% interval over the
	 * width of the paired difference's (null when either is missing or the
	 * difference's is 0). Independent runs would give a difference interval
	 * about √2 times the variant's, a ratio near 0.7; common random numbers make it larger.
	 */
	varianceReduction: number | null;
}

export interface VariantSummary {
	name: string;
	values?: Record<string, unknown>;
	kpis: Record<KpiName, Estimate>;
	/** Per metric of interest: the interval's half-width now, and the replications its target half-width needs. */
	precision: Partial<Record<KpiName, { halfWidth: number | null; targetHalfWidth: number | null; replicationsNeeded: number | null }>>;
	/** The main daily series with their 5th/50th/95th percentile bands across replications. */
	daily: Partial<Record<SeriesName, Band>>;
	/**
	 * Beside the control, the same series as the paired difference from it,
	 * replication by replication (variant minus control on the same random
	 * numbers), with its band: where the variants' own lines lie on top of each
	 * other, this shows what the variant changes and how surely. Absent for the
	 * control, and when the replications cannot be paired.
	 */
	dailyDifference?: Partial<Record<SeriesName, Band>>;
}

/** Daily series every comparison carries, for charts of a metric over time per variant. */
export const COMPARISON_SERIES: readonly SeriesName[] = ['newCustomers', 'activeCustomers', 'repeatPurchases', 'gmv', 'grossProfit', 'programmeCost', 'acquisitionSpend'];

export interface ComparisonReport {
	meta: {
		engineVersion: string;
		experiment: string;
		seed: number;
		replications: number;
		commonRandomNumbers: boolean;
		control: string;
		metrics: KpiName[];
		agentDays: number;
		events: number;
		wallSeconds: number;
		/** Shards that failed (which variant, replication and why); their replications are left out of every variant. */
		failures: string[];
		/** For a run to a precision target: why it stopped (target met or cap reached) and the half-width after each batch. */
		stopping?: Stopping;
	};
	variants: VariantSummary[];
	comparisons: Comparison[];
	/** (Δ gross profit − Δ spend) / Δ spend against the control, spend = programme cost + acquisition spend. */
	incrementalRoi: { variant: string; control: string; estimate: Estimate }[];
}

/** KPI values per replication, by metric. */
export function kpiColumns(runs: VariantRuns): Record<KpiName, number[]> {
	const rows = runs.outputs.map((o) => replicationKpis(o, runs.scenario));
	return Object.fromEntries(KPI_NAMES.map((k) => [k, rows.map((r) => r[k])])) as Record<KpiName, number[]>;
}

/** The paired comparison of one metric. */
export function compareMetric(variant: number[], control: number[], metric: KpiName): Omit<Comparison, 'variant' | 'control' | 'metric'> {
	const diffs = variant.map((v, k) => v - control[k]);
	const diff = estimate(diffs);
	let probabilityBetter: number | null = null;
	if (diff.mean !== null && diffs.length >= 2) {
		const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - diff.mean!) ** 2, 0) / (diffs.length - 1));
		const se = sd / Math.sqrt(diffs.length);
		const sign = LOWER_IS_BETTER.includes(metric) ? -1 : 1;
		probabilityBetter = se > 0 ? tCdf((sign * diff.mean) / se, diffs.length - 1) : diff.mean === 0 ? 0.5 : sign * diff.mean > 0 ? 1 : 0;
	}
	const excludesZero = diff.ci95 !== null && (diff.ci95[0] > 0 || diff.ci95[1] < 0);
	const own = estimate(variant).ci95;
	const pairedWidth = diff.ci95 ? diff.ci95[1] - diff.ci95[0] : 0;
	const varianceReduction = own && pairedWidth > 0 ? (own[1] - own[0]) / pairedWidth : null;
	const ratio = ratioEstimate(variant, control);
	const relativeLift: Estimate =
		ratio.mean === null ? ratio : { mean: ratio.mean - 1, ci95: ratio.ci95 && [ratio.ci95[0] - 1, ratio.ci95[1] - 1] };
	return { diff, relativeLift, probabilityBetter, excludesZero, varianceReduction };
}

/** Whether two runs' replications pair up: the same count and the same days. */
function pairable(variant: VariantRuns, control: VariantRuns | undefined): control is VariantRuns {
	return !!control && variant.outputs.length === control.outputs.length && variant.outputs.length > 0 && variant.scenario.horizonDays === control.scenario.horizonDays;
}

/** Each comparison series as variant minus control, replication by replication, banded across replications. */
function dailyDifference(variant: VariantRuns, control: VariantRuns): Partial<Record<SeriesName, Band>> {
	return Object.fromEntries(
		COMPARISON_SERIES.map((name) => {
			const differences = variant.outputs.map((o, k) => {
				const own = seriesOf(o, name);
				const base = seriesOf(control.outputs[k], name);
				return Float64Array.from(own, (x, d) => x - base[d]);
			});
			return [name, band(differences, variant.scenario.horizonDays)];
		})
	);
}

/** Builds the comparison report of an experiment's runs. */
export function buildComparison(experiment: Experiment, runs: VariantRuns[], wallSeconds: number, failures: string[] = [], stopping?: Stopping): ComparisonReport {
	const control = controlName(experiment);
	const columns = runs.map(kpiColumns);
	const controlIndex = runs.findIndex((r) => r.name === control);
	const metrics = experiment.metrics as KpiName[];
	const variants: VariantSummary[] = runs.map((r, i) => ({
		name: r.name,
		...(r.values ? { values: r.values } : {}),
		kpis: Object.fromEntries(KPI_NAMES.map((k) => [k, estimate(columns[i][k])])) as Record<KpiName, Estimate>,
		precision: Object.fromEntries(metrics.map((k) => [k, precisionOf(columns[i][k], experiment.targetRelativeHalfWidth)])),
		daily: Object.fromEntries(COMPARISON_SERIES.map((name) => [name, band(r.outputs.map((o) => seriesOf(o, name)), r.scenario.horizonDays)])),
		...(i !== controlIndex && pairable(r, runs[controlIndex]) ? { dailyDifference: dailyDifference(r, runs[controlIndex]) } : {})
	}));
	const comparisons: Comparison[] = [];
	const incrementalRoi: ComparisonReport['incrementalRoi'] = [];
	runs.forEach((r, i) => {
		if (i === controlIndex) return;
		for (const metric of metrics) {
			comparisons.push({ variant: r.name, control, metric, ...compareMetric(columns[i][metric], columns[controlIndex][metric], metric) });
		}
		const spend = (c: Record<KpiName, number[]>) => c.totalCost.map((x, k) => x + c.acquisitionSpend[k]);
		const deltaSpend = spend(columns[i]).map((x, k) => x - spend(columns[controlIndex])[k]);
		const deltaNet = columns[i].grossProfit.map((x, k) => x - columns[controlIndex].grossProfit[k] - deltaSpend[k]);
		incrementalRoi.push({ variant: r.name, control, estimate: ratioEstimate(deltaNet, deltaSpend) });
	});
	return {
		meta: {
			engineVersion: ENGINE_VERSION,
			experiment: experiment.name,
			seed: runs[0].scenario.seed,
			replications: runs[0].outputs.length,
			commonRandomNumbers: experiment.commonRandomNumbers,
			control,
			metrics,
			agentDays: runs.reduce((s, r) => s + r.outputs.reduce((t, o) => t + o.totals[TOTAL_AGENT_DAYS], 0), 0),
			events: runs.reduce((s, r) => s + r.outputs.reduce((t, o) => t + o.totals[TOTAL_EVENTS], 0), 0),
			wallSeconds,
			failures,
			...(stopping ? { stopping } : {})
		},
		variants,
		comparisons,
		incrementalRoi
	};
}

function precisionOf(values: number[], relativeHalfWidth: number) {
	const e = estimate(values);
	const halfWidth = e.ci95 ? (e.ci95[1] - e.ci95[0]) / 2 : null;
	const targetHalfWidth = e.mean === null ? null : Math.abs(e.mean) * relativeHalfWidth;
	return { halfWidth, targetHalfWidth, replicationsNeeded: targetHalfWidth ? replicationsFor(values, targetHalfWidth) : null };
}
