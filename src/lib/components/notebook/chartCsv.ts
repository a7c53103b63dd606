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
}

export function chartCsv(view: (typeof CHART_VIEWS)[number], results: ExperimentResults, { report, series, metric, stages }: Context): string {
	switch (view) {
		case 'stages':
			return bandsCsv(report!.daily.day, report!.daily.stages);
		case 'metricBand': {
			const bands = Object.fromEntries(results.comparison.variants.map((v) => [v.name, v.daily[series as keyof typeof v.daily] as Band]));
			return bandsCsv(Array.from({ length: Object.values(bands)[0].mean.length }, (_, d) => d), bands);
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
