/**
 * What a transaction log shows before any model: the cohort retention
 * triangle (weekly or monthly cohorts by first purchase) and the repurchase
 * rate, defined as the engine defines them so that observed and simulated
 * curves can be laid side by side.
 */
import { orderByCustomer } from './summary';
import type { TransactionLog } from './transactions';

export interface ObservedTriangle {
	periodDays: number;
	/** First day of each cohort period (day numbers). */
	start: number[];
	size: number[];
	/** retention[c][m]: share of cohort c buying in period c + m; only periods wholly observed. */
	retention: number[][];
}

const daysCache = new WeakMap<TransactionLog, number[][]>();

/** Each customer's purchase days, one per day, in order (computed once per log: the triangles and curves all start from it). */
export function purchaseDays(log: TransactionLog): number[][] {
	const cached = daysCache.get(log);
	if (cached) return cached;
	const days: number[][] = log.customerIds.map(() => []);
	// Rows in customer-then-day order: each customer's distinct days come out sorted.
	for (const i of orderByCustomer(log)) {
		const d = days[log.customer[i]];
		if (d[d.length - 1] !== log.day[i]) d.push(log.day[i]);
	}
	daysCache.set(log, days);
	return days;
}

/** The first and last day of the log. */
export function daySpan(log: TransactionLog): [number, number] {
	let first = Infinity;
	let last = -Infinity;
	for (let i = 0; i < log.length; i++) {
		first = Math.min(first, log.day[i]);
		last = Math.max(last, log.day[i]);
	}
	return [first, last];
}

/** The cohort retention triangle with periods of `periodDays` (7 weekly, 30 monthly) from the first purchase in the log. */
export function observedTriangle(log: TransactionLog, periodDays: number): ObservedTriangle {
	const customers = purchaseDays(log);
	const first = customers.reduce((m, d) => Math.min(m, d[0]), Infinity);
	const last = customers.reduce((m, d) => Math.max(m, d[d.length - 1]), -Infinity);
	const periods = Math.floor((last - first + 1) / periodDays);
	const size = new Array<number>(periods).fill(0);
	const active = Array.from({ length: periods }, () => new Array<number>(periods).fill(0));
	for (const days of customers) {
		const cohort = Math.floor((days[0] - first) / periodDays);
		if (cohort >= periods) continue;
		size[cohort]++;
		const seen = new Set<number>();
		for (const d of days) {
			const period = Math.floor((d - first) / periodDays);
			if (period < periods && !seen.has(period)) {
				seen.add(period);
				active[cohort][period]++;
			}
		}
	}
	return {
		periodDays,
		start: size.map((_, c) => first + c * periodDays),
		size,
		retention: size.map((n, c) => active[c].slice(c).map((a) => (n > 0 ? a / n : 0)))
	};
}

/** Share of customers buying again within `windowDays` of their first purchase, among those observed for the whole window. */
export function observedRepurchaseRate(log: TransactionLog, windowDays: number): { rate: number; customers: number } {
	const customers = purchaseDays(log);
	const last = customers.reduce((m, d) => Math.max(m, d[d.length - 1]), -Infinity);
	let eligible = 0;
	let again = 0;
	for (const days of customers) {
		if (days[0] + windowDays > last) continue;
		eligible++;
		if (days.length > 1 && days[1] - days[0] <= windowDays) again++;
	}
	return { rate: eligible ? again / eligible : NaN, customers: eligible };
}

/**
 * The repurchase rate as a curve: for each window of 1 … maxDays days, the
 * share of customers buying again within it, among those observed for the
 * whole window (so a late cohort never drags a long window down).
 */
export function observedRepurchaseCurve(log: TransactionLog, maxDays: number): { days: number; rate: number; customers: number }[] {
	const customers = purchaseDays(log);
	const last = customers.reduce((m, d) => Math.max(m, d[d.length - 1]), -Infinity);
	// By span s (days from the first purchase to the log's end, capped past maxDays): who leaves the windows longer than s, and how many of them bought again.
	const leaving = new Array<number>(maxDays + 2).fill(0);
	const leavingAgain = new Array<number>(maxDays + 2).fill(0);
	// By gap g: customers whose second purchase came g days after the first, inside their span.
	const againAt = new Array<number>(maxDays + 2).fill(0);
	for (const days of customers) {
		const span = last - days[0];
		const s = Math.min(span, maxDays + 1);
		leaving[s]++;
		const gap = days.length > 1 ? days[1] - days[0] : Infinity;
		if (gap <= Math.min(span, maxDays)) {
			againAt[gap]++;
			leavingAgain[s]++;
		}
	}
	const curve: { days: number; rate: number; customers: number }[] = [];
	let eligible = customers.length;
	let again = 0;
	for (let w = 1; w <= maxDays; w++) {
		eligible -= leaving[w - 1];
		again += againAt[w] - leavingAgain[w - 1];
		if (eligible === 0) break;
		curve.push({ days: w, rate: again / eligible, customers: eligible });
	}
	return curve;
}
