/** KPI values as the interface shows them, in its language (the formatting itself is format/number.ts). */
import type { KpiName } from '../experiment/kpis';
import { formatKpiValue, formatNumber } from '../format/number';
import { locale } from '../i18n/locale.svelte';
/** Shown only when the scenario has what they measure. */
export const OPTIONAL_KPIS: KpiName[] = ['pointsLiability', 'invites', 'referredCustomers', 'kFactor'];

/** A KPI value; money carries its currency symbol only where `withUnit` asks for it. */
export function formatKpi(name: KpiName, value: number, currency: string, withUnit = true): string {
	return formatKpiValue(name, value, { language: locale.current, currency, withUnit });
}

/** A KPI value short enough for a chart's ticks, in the same unit as the table (19.2%, 12.3K). */
export function formatKpiTick(name: KpiName, value: number, currency: string): string {
	return formatKpiValue(name, value, { language: locale.current, currency, compact: true });
}

/** A compact figure for chart ticks and labels (12.3K; 1.23万 in Chinese). */
export const compact = (value: number) => formatNumber(value, 'compact', { language: locale.current });

/** A share (0–1) as a percentage. */
export const percent = (value: number, digits = 1) => formatNumber(value, 'percent', { language: locale.current, digits });
