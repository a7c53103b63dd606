/**
 * The observed curve a simulation fit matches: counts per period from day 0,
 * either read from a `period,value` CSV or counted from a transaction log
 * (first purchases, all purchases or repeat purchases per period from the
 * log's first day), one purchase per customer per day as the engine counts.
 */
import Papa from 'papaparse';
import { daySpan, purchaseDays } from './observed';
import type { TransactionLog } from './transactions';

/** The series of a transaction log a fit can match, named as the engine's daily series. */
export const OBSERVED_SERIES = ['newCustomers', 'purchases', 'repeatPurchases'] as const;
export type ObservedSeries = (typeof OBSERVED_SERIES)[number];

/** The notebook's fit by simulation matches weekly curves. */
export const NOTEBOOK_PERIOD_DAYS = 7;

export class ObservedCurveError extends Error {}

/** Reads `period,value` rows (periods 0, 1, 2, … in order, values counts ≥ 0); a bad row is refused by its line. */
export function parseObservedCurve(text: string): number[] {
	const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false }).data;
	const header = (rows[0] ?? []).map((f) => f.trim().toLowerCase());
	if (header[0] !== 'period' || header[1] !== 'value' || header.length !== 2) {
		throw new ObservedCurveError(`line 1: the header must be "period,value", got "${(rows[0] ?? []).join(',')}"`);
	}
	const values: number[] = [];
	rows.slice(1).forEach((fields, i) => {
		const line = i + 2;
		if (fields.length === 1 && fields[0].trim() === '') return;
		if (fields.length !== 2) throw new ObservedCurveError(`line ${line}: expected 2 fields (period,value), got ${fields.length}`);
		const [period, value] = fields.map((f) => f.trim());
		if (period !== String(values.length)) throw new ObservedCurveError(`line ${line}: period must be ${values.length} (periods count 0, 1, 2, … in order), got "${period}"`);
		const count = Number(value);
		if (value === '' || !Number.isFinite(count) || count < 0) throw new ObservedCurveError(`line ${line}: value must be a count ≥ 0, got "${value}"`);
		values.push(count);
	});
	if (values.length < 2) throw new ObservedCurveError(`the file has ${values.length} period${values.length === 1 ? '' : 's'}; a fit needs at least 2`);
	return values;
}

/** Whole periods the log covers from its first day to its last. */
function periodsInLog(log: TransactionLog, periodDays: number): number {
	const [first, last] = daySpan(log);
	return log.length ? Math.floor((last - first + 1) / periodDays) : 0;
}

/** Counts of `series` per period of `periodDays` from the log's first day, over its whole periods (at most `periods`). */
export function observedCounts(log: TransactionLog, series: ObservedSeries, periodDays: number, periods = Infinity): number[] {
	const [first] = daySpan(log);
	const counts = new Array<number>(Math.min(periods, periodsInLog(log, periodDays))).fill(0);
	const { start, days } = purchaseDays(log);
	for (let c = 0; c + 1 < start.length; c++) {
		for (let j = start[c]; j < start[c + 1]; j++) {
			const period = Math.floor((days[j] - first) / periodDays);
			const nth = j - start[c];
			const counted = series === 'purchases' || (series === 'newCustomers' ? nth === 0 : nth > 0);
			if (counted && period < counts.length) counts[period]++;
		}
	}
	return counts;
}
