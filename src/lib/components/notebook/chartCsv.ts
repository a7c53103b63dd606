/** The numbers behind each chart view, as CSV. */
import type { KpiName } from '../../experiment/kpis';
import type { RunReport } from '../../experiment/report';
import type { Band } from '../../experiment/statistics';
import type { ExperimentResults } from '../../notebook/experimentCell';
import type { CHART_VIEWS } from '../../notebook/schema';
import { waterfallSteps } from '../../charts/costWaterfall';
import { bandsCsv, comparisonCsv } from './resultsCsv';

const lines = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v))).join(',')).join('\n') + '\n';

interface Context {
	report?: RunReport;
	series: string;
	metric: KpiName;
	stages: { id: string; label: string }[];
	/** A metric-band view of each variant's paired difference from the control. */
	difference?: boolean;
}

/** The bands a metric-band view draws, by name: each variant's own, or each non-control variant's paired difference from the control. */
export function metricBandSeries(results: ExperimentResults, series: string, difference: boolean): Record<string, Band> {
	type Series = keyof ExperimentResults['comparison']['variants'][number]['daily'];
	const pick = (v: ExperimentResults['comparison']['variants'][number]) => (difference ? v.dailyDifference?.[series as Series] : v.daily[series as Series]);
	return Object.fromEntries(results.comparison.variants.flatMap((v) => (pick(v) ? [[v.name, pick(v) as Band]] : [])));
}

export function chartCsv(view: (typeof CHART_VIEWS)[number], results: ExperimentResults, { report, series, metric, stages, difference = false }: Context): string {
	switch (view) {
		case 'stages':
			return bandsCsv(report!.daily.day, report!.daily.stages);
		case 'metricBand': {
			const bands = metricBandSeries(results, series, difference);
			const days = Object.values(bands)[0]?.mean.length ?? 0;
			return bandsCsv(Array.from({ length: days }, (_, d) => d), bands);
		}
		case 'cohortHeatmap': {
			const c = report!.cohorts;
			return lines([['cohort_start_day', 'first_buyers', 'period', 'retention'], ...c.retention.flatMap((row, k) => row.map((r, m) => [c.start[k], c.size[k], m, r]))]);
		}
		case 'flow':
			return lines([['from', 'to', 'moves_per_run'], ...report!.flows.flatMap((row, i) => row.map((v, j) => [stages[i]?.id, stages[j]?.id, v]).filter((r) => (r[2] as number) > 0))]);
		case 'kpiIntervals':
			return comparisonCsv(results.comparison);
		case 'costWaterfall':
			return lines([['step', 'kind', 'value'], ...waterfallSteps(report!, {}).map((s) => [s.key, s.kind, s.value])]);
		case 'sweepHeatmap': {
			const s = results.sweep!;
			const names = s.parameters.map((p) => p.parameter);
			return lines([[...names, 'mean', 'ci95_low', 'ci95_high'], ...s.cells.map((c) => [...names.map((n) => JSON.stringify(c.values[n])), c.kpis[metric]?.mean, c.kpis[metric]?.ci95?.[0], c.kpis[metric]?.ci95?.[1]])]);
		}
		case 'tornado': {
			const t = results.sensitivity![metric]!;
			return lines([['parameter', 'low_value', 'low_mean', 'high_value', 'high_mean', 'swing'], ...t.parameters.map((p) => [p.parameter, JSON.stringify(p.low.value), p.low.estimate.mean, JSON.stringify(p.high.value), p.high.estimate.mean, p.swing])]);
		}
	}
}
