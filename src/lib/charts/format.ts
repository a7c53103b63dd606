/** Number formats the chart builders use when the caller gives none (the interface passes its language's; see format/number.ts). */
import { formatNumber } from '../format/number';

const language = new Intl.NumberFormat().resolvedOptions().locale;

/** A short number for tips and labels (12.3K, 0.457); the reader's locale decides separators. */
export function compactNumber(value: number): string {
	return formatNumber(value, 'compact', { language });
}

/** A share in [0, 1] as a whole percent. */
export function percent(value: number): string {
	return formatNumber(value, 'percent', { language, digits: 0 });
}

/** A sweep or sensitivity value (a number, string or boolean from the experiment) as a label. */
export function valueLabel(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** Wide characters (Chinese, Japanese, Korean, full-width forms): about as wide as they are tall. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** About how many pixels a label takes in a chart's 10 px axis font: a wide character counts as one and a half Latin ones. */
export function labelWidth(label: string): number {
	let width = 0;
	for (const ch of label) width += WIDE.test(ch) ? 11 : 7;
	return width;
}
