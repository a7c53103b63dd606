/** KPI values as the interface shows them: shares as %, ratios to 2 places, money in the scenario's currency. */
import type { KpiName } from '../experiment/kpis';
import { locale } from '../i18n/locale.svelte';

const SHARES: KpiName[] = ['repurchaseRate', 'roi'];
const RATIOS: KpiName[] = ['ltvToCac', 'kFactor'];
const MONEY: KpiName[] = ['gmv', 'grossProfit', 'totalCost', 'acquisitionSpend', 'ltv', 'cac', 'pointsLiability'];
/** Shown only when the scenario has what they measure. */
export const OPTIONAL_KPIS: KpiName[] = ['pointsLiability', 'invites', 'referredCustomers', 'kFactor'];

/** A KPI value; money carries its currency symbol only where `withUnit` asks for it. */
export function formatKpi(name: KpiName, value: number, currency: string, withUnit = true): string {
	if (SHARES.includes(name)) return `${locale.number(value * 100, 1)}%`;
	if (RATIOS.includes(name)) return locale.number(value, 2);
	if (MONEY.includes(name)) {
		const digits = Math.abs(value) < 1000 ? 2 : 0;
		if (!withUnit) return locale.number(value, digits);
		return value.toLocaleString(locale.current, { style: 'currency', currency, maximumFractionDigits: digits, minimumFractionDigits: digits });
	}
	return locale.number(value);
}

/** A share (0–1) as a percentage. */
export const percent = (value: number, digits = 1) => `${locale.number(value * 100, digits)}%`;
