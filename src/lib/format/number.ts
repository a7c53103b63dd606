/**
 * The one number formatter for every number a user sees: counts, decimals,
 * percentages of a share, money and compact figures (12.3K, 1.2万), in the
 * interface's language. Pure (the language is an argument), so chart
 * builders, components and the CLI all format alike; Intl formatters are
 * built once per language and style.
 */
import type { KpiName } from '../experiment/kpis';

/** How a number reads: a whole count, a decimal, a share shown as percent, money, or a compact figure. */
export type NumberStyle = 'count' | 'decimal' | 'percent' | 'currency' | 'compact';

export interface NumberOptions {
	/** BCP 47 language, e.g. 'en' or 'zh-CN'. */
	language: string;
	/** Fraction digits (decimal, percent, currency); significant digits for compact. */
	digits?: number;
	/** ISO 4217 code, for currency. */
	currency?: string;
	/** A + before positive values (lifts, differences). */
	signed?: boolean;
}

const DEFAULT_DIGITS: Record<NumberStyle, number> = { count: 0, decimal: 2, percent: 1, currency: 2, compact: 3 };
const cache = new Map<string, Intl.NumberFormat>();

function formatter(style: NumberStyle, { language, digits = DEFAULT_DIGITS[style], currency = 'CNY', signed = false }: NumberOptions): Intl.NumberFormat {
	const id = `${language}|${style}|${digits}|${currency}|${signed}`;
	let f = cache.get(id);
	if (!f) {
		const signDisplay = signed ? 'exceptZero' : 'auto';
		const fixed = { minimumFractionDigits: digits, maximumFractionDigits: digits };
		const options: Intl.NumberFormatOptions =
			style === 'compact'
				? { notation: 'compact', maximumSignificantDigits: digits, signDisplay }
				: style === 'percent'
					? { style: 'percent', ...fixed, signDisplay }
					: style === 'currency'
						? { style: 'currency', currency, ...fixed, signDisplay }
						: { ...(style === 'count' ? { maximumFractionDigits: 0 } : fixed), signDisplay };
		f = new Intl.NumberFormat(language, options);
		cache.set(id, f);
	}
	return f;
}

/** A number as the user reads it; a share (0.19) in `percent` style reads 19.0%. Not-a-number reads as an em dash. */
export function formatNumber(value: number, style: NumberStyle, options: NumberOptions): string {
	if (!Number.isFinite(value)) return '—';
	return formatter(style, options).format(value);
}

/** What kind of figure each KPI is, so a table and a chart of it read the same. */
const KPI_STYLE: Partial<Record<KpiName, 'share' | 'ratio' | 'money'>> = {
	repurchaseRate: 'share',
	roi: 'share',
	ltvToCac: 'ratio',
	kFactor: 'ratio',
	gmv: 'money',
	grossProfit: 'money',
	totalCost: 'money',
	acquisitionSpend: 'money',
	ltv: 'money',
	cac: 'money',
	pointsLiability: 'money'
};

export interface KpiFormatOptions {
	language: string;
	currency: string;
	/** Money with its currency symbol (true) or as a bare number (for intervals beside a value that has it). */
	withUnit?: boolean;
	/** Short figures for chart ticks: 12.3K, 45.6%. */
	compact?: boolean;
}

/** A KPI value: shares as percent, ratios to 2 places, money in the scenario's currency, counts whole. */
export function formatKpiValue(name: KpiName, value: number, { language, currency, withUnit = true, compact = false }: KpiFormatOptions): string {
	const kind = KPI_STYLE[name];
	// A compact share keeps up to three significant digits (19.2%, 20%), so close ticks stay distinct.
	if (kind === 'share') return compact ? `${formatNumber(value * 100, 'compact', { language })}%` : formatNumber(value, 'percent', { language, digits: 1 });
	if (kind === 'ratio') return formatNumber(value, 'decimal', { language, digits: 2 });
	if (compact) return formatNumber(value, 'compact', { language });
	if (kind === 'money') {
		const digits = Math.abs(value) < 1000 ? 2 : 0;
		return withUnit ? formatNumber(value, 'currency', { language, currency, digits }) : formatNumber(value, 'decimal', { language, digits });
	}
	return formatNumber(value, 'count', { language });
}
