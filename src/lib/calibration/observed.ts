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

/** Each customer's purchase days, one per day, in order: customer c's are days[start[c]] … days[start[c + 1] − 1]. */
export interface PurchaseDays {
	start: Int32Array;
	days: Int32Array;
}

const daysCache = new WeakMap<TransactionLog, PurchaseDays>();

/** Each customer's purchase days (computed once per log: the triangles and curves all start from it), in two typed arrays rather than an array per customer. */
export function purchaseDays(log: TransactionLog): PurchaseDays {
	const cached = daysCache.get(log);
	if (cached) return cached;
	const customers = log.customerIds.length;
	const start = new Int32Array(customers + 1);
	const days = new Int32Array(log.length);
	let n = 0;
	let previous = -1;
	// Rows in customer-then-day order: each customer's distinct days come out sorted.
	for (const i of orderByCustomer(log)) {
		const c = log.customer[i];
		if (c !== previous) {
			for (let q = previous + 1; q <= c; q++) start[q] = n;
			previous = c;
			days[n++] = log.day[i];
		} else if (days[n - 1] !== log.day[i]) days[n++] = log.day[i];
	}
	for (let q = previous + 1; q <= customers; q++) start[q] = n;
	const result = { start, days: days.slice(0, n) };
	daysCache.set(log, result);
	return result;
}

/** The first and last purchase day of any customer. */
function firstAndLast({ start, days }: PurchaseDays): [number, number] {
	let first = Infinity;
	let last = -Infinity;
	for (let c = 0; c + 1 < start.length; c++) {
		first = Math.min(first, days[start[c]]);
		last = Math.max(last, days[start[c + 1] - 1]);
	}
	return [first, last];
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
	const bought = purchaseDays(log);
	const { start, days } = bought;
	const [first, last] = firstAndLast(bought);
	const periods = Math.floor((last - first + 1) / periodDays);
	const size = new Array<number>(periods).fill(0);
	const active = Array.from({ length: periods }, () => new Array<number>(periods).fill(0));
	for (let c = 0; c + 1 < start.length; c++) {
		const cohort = Math.floor((days[start[c]] - first) / periodDays);
		if (cohort >= periods) continue;
		size[cohort]++;
		// A customer's days are in order, so each period comes once, after the one before it.
		let seen = -1;
		for (let j = start[c]; j < start[c + 1]; j++) {
			const period = Math.floor((days[j] - first) / periodDays);
			if (period < periods && period !== seen) {
				seen = period;
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
	const bought = purchaseDays(log);
	const { start, days } = bought;
	const [, last] = firstAndLast(bought);
	let eligible = 0;
	let again = 0;
	for (let c = 0; c + 1 < start.length; c++) {
		const firstDay = days[start[c]];
		if (firstDay + windowDays > last) continue;
		eligible++;
		if (start[c + 1] - start[c] > 1 && days[start[c] + 1] - firstDay <= windowDays) again++;
	}
	return { rate: eligible ? again / eligible : NaN, customers: eligible };
}

/**
 * The repurchase rate as a curve: for each window of 1 … maxDays days, the
 * share of customers buying again within it, among those observed for the
 * whole window (so a late cohort never drags a long window down).
 */
export function observedRepurchaseCurve(log: TransactionLog, maxDays: number): { days: number; rate: number; customers: number }[] {
	const bought = purchaseDays(log);
	const { start, days } = bought;
	const [, last] = firstAndLast(bought);
	// By span s (days from the first purchase to the log's end, capped past maxDays): who leaves the windows longer than s, and how many of them bought again.
	const leaving = new Array<number>(maxDays + 2).fill(0);
	const leavingAgain = new Array<number>(maxDays + 2).fill(0);
	// By gap g: customers whose second purchase came g days after the first, inside their span.
	const againAt = new Array<number>(maxDays + 2).fill(0);
	for (let c = 0; c + 1 < start.length; c++) {
		const span = last - days[start[c]];
		const s = Math.min(span, maxDays + 1);
		leaving[s]++;
		const gap = start[c + 1] - start[c] > 1 ? days[start[c] + 1] - days[start[c]] : Infinity;
		if (gap <= Math.min(span, maxDays)) {
			againAt[gap]++;
			leavingAgain[s]++;
		}
	}
	const curve: { days: number; rate: number; customers: number }[] = [];
	let eligible = start.length - 1;
	let again = 0;
	for (let w = 1; w <= maxDays; w++) {
		eligible -= leaving[w - 1];
		again += againAt[w] - leavingAgain[w - 1];
		if (eligible === 0) break;
		curve.push({ days: w, rate: again / eligible, customers: eligible });
	}
	return curve;
}
