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
	/** Day of each customer's first purchase. */
	firstDay: Int32Array;
	x: Float64Array;
	tx: Float64Array;
	T: Float64Array;
	/** Mean value of a customer's repeat transactions in calibration (0 without any). */
	meanRepeatSpend: Float64Array;
	/** Repeat transactions in the holdout period (calibrationEnd, holdoutEnd]. */
	holdoutX: Float64Array;
	/** Every repeat transaction's day (calibration and holdout), for the cumulative curve. */
	repeatDays: Int32Array;
}

/** How many transactions the fits see: a customer's purchases of one day count as one. */
export function customerDays(log: TransactionLog): number {
	const seen = new Set<number>();
	// Days since 1970 stay below 2^17 for centuries: customer × 2^17 + day is a unique, exact key.
	for (let i = 0; i < log.length; i++) seen.add(log.customer[i] * 131_072 + log.day[i]);
	return seen.size;
}

/** Summarises the customers whose first purchase falls on or before calibrationEnd. */
export function summarise(log: TransactionLog, calibrationEnd: number, holdoutEnd: number | null, unitDays: number): CustomerSummary {
	// Order by customer, then day, without moving the log.
	const order = Array.from({ length: log.length }, (_, i) => i).sort((i, j) => log.customer[i] - log.customer[j] || log.day[i] - log.day[j]);
	const first: number[] = [];
	const xs: number[] = [];
	const txs: number[] = [];
	const Ts: number[] = [];
	const spends: number[] = [];
	const holdout: number[] = [];
	const repeatDays: number[] = [];
	const end = holdoutEnd ?? calibrationEnd;
	let i = 0;
	while (i < order.length) {
		const c = log.customer[order[i]];
		// One transaction per day: sum that day's amounts.
		const days: number[] = [];
		const amounts: number[] = [];
		for (; i < order.length && log.customer[order[i]] === c; i++) {
			const k = order[i];
			if (days.length && days[days.length - 1] === log.day[k]) amounts[amounts.length - 1] += log.amount[k];
			else {
				days.push(log.day[k]);
				amounts.push(log.amount[k]);
			}
		}
		const s = days[0];
		if (s > calibrationEnd) continue;
		let x = 0;
		let last = s;
		let spend = 0;
		let inHoldout = 0;
		for (let j = 1; j < days.length; j++) {
			if (days[j] <= calibrationEnd) {
				x++;
				last = days[j];
				spend += amounts[j];
			} else if (days[j] <= end) inHoldout++;
			if (days[j] <= end) repeatDays.push(days[j]);
		}
		first.push(s);
		xs.push(x);
		txs.push((last - s) / unitDays);
		Ts.push((calibrationEnd - s) / unitDays);
		spends.push(x > 0 ? spend / x : 0);
		holdout.push(inHoldout);
	}
	return {
		unitDays,
		calibrationEnd,
		holdoutEnd,
		customers: first.length,
		firstDay: Int32Array.from(first),
		x: Float64Array.from(xs),
		tx: Float64Array.from(txs),
		T: Float64Array.from(Ts),
		meanRepeatSpend: Float64Array.from(spends),
		holdoutX: Float64Array.from(holdout),
		repeatDays: Int32Array.from(repeatDays.sort((a, b) => a - b))
	};
}
