/** Results as CSV for spreadsheets: one row per variant and metric, or one row per day. */
import type { ComparisonReport } from '../../experiment/compare';
import type { Band } from '../../experiment/statistics';

const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const row = (values: unknown[]) => values.map(cell).join(',');

/** Every variant's metrics with intervals, lift and probability of being better. */
export function comparisonCsv(report: ComparisonReport): string {
	const lines = [row(['variant', 'metric', 'mean', 'ci95_low', 'ci95_high', 'diff_vs_control', 'relative_lift', 'lift_ci95_low', 'lift_ci95_high', 'probability_better'])];
	for (const v of report.variants) {
		for (const m of report.meta.metrics) {
			const c = report.comparisons.find((x) => x.variant === v.name && x.metric === m);
			const k = v.kpis[m];
			lines.push(row([v.name, m, k.mean, k.ci95?.[0], k.ci95?.[1], c?.diff.mean, c?.relativeLift.mean, c?.relativeLift.ci95?.[0], c?.relativeLift.ci95?.[1], c?.probabilityBetter]));
		}
	}
	return lines.join('\n') + '\n';
}

/** Daily bands of named series side by side: day, then mean/p05/p50/p95 of each. */
export function bandsCsv(day: number[], bands: Record<string, Band>): string {
	const names = Object.keys(bands);
	const lines = [row(['day', ...names.flatMap((n) => [`${n}_mean`, `${n}_p05`, `${n}_p50`, `${n}_p95`])])];
	day.forEach((d, i) => lines.push(row([d, ...names.flatMap((n) => [bands[n].mean[i], bands[n].p05[i], bands[n].p50[i], bands[n].p95[i]])])));
	return lines.join('\n') + '\n';
}
