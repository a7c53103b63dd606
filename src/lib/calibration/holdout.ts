/**
 * Holdout validation as in the customer-base-analysis literature: predicted
 * against actual repeat purchases in the holdout period (in total and grouped
 * by calibration frequency 0, 1, …, 7+), and the cumulative repeat-purchase
 * curve week by week through calibration and holdout.
 */
import { expectedRepeatPurchases, type BgNbdParams } from './bgnbd';
import { conditionalExpectedPurchases } from './bgnbdFit';
import type { CustomerSummary } from './summary';
import { formatDay } from './transactions';

export interface HoldoutReport {
	actualRepeatPurchases: number;
	predictedRepeatPurchases: number;
	/** (predicted − actual) / actual; null when nothing was bought in the holdout. */
	relativeError: number | null;
	byFrequency: { x: string; customers: number; actualMean: number; predictedMean: number }[];
	weekly: { week: number; endDate: string; actualCumulative: number; predictedCumulative: number }[];
}

/** Per customer, the predicted holdout repeat purchases given the calibration history. */
export function predictedHoldout(params: BgNbdParams, s: CustomerSummary): Float64Array {
	const t = ((s.holdoutEnd ?? s.calibrationEnd) - s.calibrationEnd) / s.unitDays;
	return Float64Array.from(s.x, (x, i) => conditionalExpectedPurchases(params, x, s.tx[i], s.T[i], t));
}

/** The holdout report; needs a summary with a holdout period. */
export function holdoutReport(params: BgNbdParams, s: CustomerSummary): HoldoutReport {
	if (s.holdoutEnd === null) throw new Error('the summary has no holdout period');
	const predicted = predictedHoldout(params, s);
	const actual = s.holdoutX.reduce((a, b) => a + b, 0);
	const total = predicted.reduce((a, b) => a + b, 0);
	const groups = Array.from({ length: 8 }, (_, k) => ({ x: k === 7 ? '7+' : String(k), customers: 0, actual: 0, predicted: 0 }));
	s.x.forEach((x, i) => {
		const g = groups[Math.min(x, 7)];
		g.customers++;
		g.actual += s.holdoutX[i];
		g.predicted += predicted[i];
	});
	return {
		actualRepeatPurchases: actual,
		predictedRepeatPurchases: total,
		relativeError: actual > 0 ? (total - actual) / actual : null,
		byFrequency: groups.map((g) => ({ x: g.x, customers: g.customers, actualMean: g.customers ? g.actual / g.customers : 0, predictedMean: g.customers ? g.predicted / g.customers : 0 })),
		weekly: cumulativeCurve(params, s)
	};
}

/** Cumulative repeat purchases by week from the first customer's first purchase: actual, and Σ E[X(t − s_i)]. */
export function cumulativeCurve(params: BgNbdParams, s: CustomerSummary): HoldoutReport['weekly'] {
	const start = s.firstDay.reduce((m, d) => Math.min(m, d), Infinity);
	const end = s.holdoutEnd ?? s.calibrationEnd;
	// Customers grouped by first purchase day: one closed form per day and week.
	const cohorts = new Map<number, number>();
	for (const d of s.firstDay) cohorts.set(d, (cohorts.get(d) ?? 0) + 1);
	const weekly: HoldoutReport['weekly'] = [];
	let seen = 0;
	for (let week = 1; start + 7 * week - 1 <= end + 6; week++) {
		const endDate = Math.min(start + 7 * week - 1, end);
		while (seen < s.repeatDays.length && s.repeatDays[seen] <= endDate) seen++;
		let predicted = 0;
		for (const [day, count] of cohorts) if (day < endDate) predicted += count * expectedRepeatPurchases(params, (endDate - day) / s.unitDays);
		weekly.push({ week, endDate: formatDay(endDate), actualCumulative: seen, predictedCumulative: predicted });
		if (endDate === end) break;
	}
	return weekly;
}
