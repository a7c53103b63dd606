/**
 * Per-customer summaries of a transaction log, as the customer-base-analysis
 * literature defines them: the transactions of one day count as one; x is
 * the number of repeat transactions in the calibration period, t_x the time
 * of the last one and T the time to the end of calibration, both from the
 * first purchase, in the chosen unit (days or weeks).
 */
import type { TransactionLog } from './transactions';

export interface CustomerSummary {
	/** Days per time unit: 1 for days, 7 for weeks. */
	unitDays: number;
	calibrationEnd: number;
	holdoutEnd: number | null;
	customers: number;
	/** Each customer's index in the log's customerIds. */
	customer: Int32Array;
	/** Day of each customer's first purchase. */
	firstDay: Int32Array;
	x: Float64Array;
	tx: Float64Array;
	T: Float64Array;
	/** Mean value of a customer's repeat transactions in calibration (0 without any). */
	meanRepeatSpend: Float64Array;
	/** Repeat transactions in the holdout period (calibrationEnd, holdoutEnd]. */
	holdoutX: Float64Array;
	/** Their amounts in all. */
	holdoutSpend: Float64Array;
	/** Rows that repeat another row exactly (customer, day and amount): they are kept, so their day is one purchase but both amounts count. */
	duplicateRows: number;
	/** Every repeat transaction's day (calibration and holdout), for the cumulative curve. */
	repeatDays: Int32Array;
}

/**
 * Row indices ordered by customer, then day, then amount, without moving the
 * log (equal rows end up side by side, to be counted): customers are
 * numbered 0 … n − 1, so a counting sort groups them in linear time and only
 * each customer's few rows are sorted by comparison.
 */
export function orderByCustomer(log: TransactionLog): Int32Array {
	const cached = orders.get(log);
	if (cached) return cached;
	const start = new Int32Array(log.customerIds.length + 1);
	for (let i = 0; i < log.length; i++) start[log.customer[i] + 1]++;
	for (let c = 0; c < log.customerIds.length; c++) start[c + 1] += start[c];
	const order = new Int32Array(log.length);
	const next = start.slice(0, -1);
	for (let i = 0; i < log.length; i++) order[next[log.customer[i]]++] = i;
	const byDayAndAmount = (i: number, j: number) => log.day[i] - log.day[j] || log.amount[i] - log.amount[j];
	const { day, amount } = log;
	for (let c = 0; c < log.customerIds.length; c++) {
		const [from, to] = [start[c], start[c + 1]];
		if (to - from > 32) order.subarray(from, to).sort(byDayAndAmount);
		else {
			// Most customers have a few rows: an insertion sort in place (stable, as the sort above) saves a call per comparison.
			for (let k = from + 1; k < to; k++) {
				const v = order[k];
				let j = k - 1;
				for (; j >= from && (day[order[j]] > day[v] || (day[order[j]] === day[v] && amount[order[j]] > amount[v])); j--) order[j + 1] = order[j];
				order[j + 1] = v;
			}
		}
	}
	orders.set(log, order);
	return order;
}

/** How many transactions the fits see: a customer's purchases of one day count as one. */
export function customerDays(log: TransactionLog): number {
	// Over the fits' own order (made once per log): a customer's rows of one day are neighbours there.
	const order = orderByCustomer(log);
	let count = order.length ? 1 : 0;
	for (let k = 1; k < order.length; k++) {
		const [i, j] = [order[k - 1], order[k]];
		if (log.customer[i] !== log.customer[j] || log.day[i] !== log.day[j]) count++;
	}
	return count;
}

/** Each log's order, computed once: the summaries and the observed triangles and curves all start from it. */
const orders = new WeakMap<TransactionLog, Int32Array>();

/** Summarises the customers whose first purchase falls on or before calibrationEnd. */
export function summarise(log: TransactionLog, calibrationEnd: number, holdoutEnd: number | null, unitDays: number): CustomerSummary {
	const order = orderByCustomer(log);
	let duplicateRows = 0;
	for (let k = 1; k < order.length; k++) {
		const i = order[k - 1];
		const j = order[k];
		if (log.customer[i] === log.customer[j] && log.day[i] === log.day[j] && log.amount[i] === log.amount[j]) duplicateRows++;
	}
	// Typed arrays as long as they could need (every customer, every row), cut to length at the end: nothing grows, little to collect.
	const most = log.customerIds.length;
	const first = new Int32Array(most);
	const customer = new Int32Array(most);
	const xs = new Float64Array(most);
	const txs = new Float64Array(most);
	const Ts = new Float64Array(most);
	const spends = new Float64Array(most);
	const holdout = new Float64Array(most);
	const holdoutSpends = new Float64Array(most);
	const repeatDays = new Int32Array(log.length);
	let customers = 0;
	let repeats = 0;
	const end = holdoutEnd ?? calibrationEnd;
	// One customer's days and amounts at a time, in arrays reused for every customer (a million rows would otherwise make a million small arrays to collect).
	let days = new Int32Array(64);
	let amounts = new Float64Array(64);
	let i = 0;
	while (i < order.length) {
		const c = log.customer[order[i]];
		// One transaction per day: sum that day's amounts.
		let n = 0;
		for (; i < order.length && log.customer[order[i]] === c; i++) {
			const k = order[i];
			if (n > 0 && days[n - 1] === log.day[k]) amounts[n - 1] += log.amount[k];
			else {
				if (n === days.length) [days, amounts] = [grown(days, Int32Array), grown(amounts, Float64Array)];
				days[n] = log.day[k];
				amounts[n++] = log.amount[k];
			}
		}
		const s = days[0];
		if (s > calibrationEnd) continue;
		let x = 0;
		let last = s;
		let spend = 0;
		let inHoldout = 0;
		let holdoutSpend = 0;
		for (let j = 1; j < n; j++) {
			if (days[j] <= calibrationEnd) {
				x++;
				last = days[j];
				spend += amounts[j];
			} else if (days[j] <= end) {
				inHoldout++;
				holdoutSpend += amounts[j];
			}
			if (days[j] <= end) repeatDays[repeats++] = days[j];
		}
		const k = customers++;
		first[k] = s;
		customer[k] = c;
		xs[k] = x;
		txs[k] = (last - s) / unitDays;
		Ts[k] = (calibrationEnd - s) / unitDays;
		spends[k] = x > 0 ? spend / x : 0;
		holdout[k] = inHoldout;
		holdoutSpends[k] = holdoutSpend;
	}
	return {
		unitDays,
		calibrationEnd,
		holdoutEnd,
		customers,
		customer: customer.slice(0, customers),
		firstDay: first.slice(0, customers),
		x: xs.slice(0, customers),
		tx: txs.slice(0, customers),
		T: Ts.slice(0, customers),
		meanRepeatSpend: spends.slice(0, customers),
		holdoutX: holdout.slice(0, customers),
		holdoutSpend: holdoutSpends.slice(0, customers),
		duplicateRows,
		// A typed array sorts numbers without a comparator call per pair.
		repeatDays: repeatDays.slice(0, repeats).sort()
	};
}

/** A typed array twice as long holding the same values first. */
function grown<T extends Int32Array | Float64Array>(values: T, Kind: { new (length: number): T }): T {
	const bigger = new Kind(values.length * 2);
	bigger.set(values);
	return bigger;
}
