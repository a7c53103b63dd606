/** Number formats shared by the chart builders when the caller gives none. */

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumSignificantDigits: 3 });

/** A short number for tips and labels (12.3K, 0.457); the reader's locale decides separators. */
export function compactNumber(value: number): string {
	return compact.format(value);
}

/** A share in [0, 1] as a whole percent. */
export function percent(value: number): string {
	return `${Math.round(value * 100)}%`;
}

/** A sweep or sensitivity value (a number, string or boolean from the experiment) as a label. */
export function valueLabel(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : (JSON.stringify(value) ?? String(value));
}
