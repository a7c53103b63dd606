/**
 * Holdout validation as in the customer-base-analysis literature: predicted
 * against actual repeat purchases in the holdout period (in total and grouped
 * by calibration frequency 0, 1, …, 7+), and the cumulative repeat-purchase
 * curve week by week through calibration and holdout.
 */
import { BGNBD } from './bgnbdFit';
import type { ModelParams, PurchaseModel } from './purchaseModel';
import { purchaseRowIndex, purchaseRows } from './sufficientStatistics';
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

/** Per customer, the expected repeat purchases in the next t given the calibration history (computed once per unique history). */
export function conditionalExpectations(params: ModelParams, s: CustomerSummary, t: number, model: PurchaseModel = BGNBD): Float64Array {
	const rows = purchaseRows(s);
	const perRow = Float64Array.from(rows.x, (x, k) => model.conditionalExpectedPurchases(params, x, rows.tx[k], rows.T[k], t));
	const rowOf = purchaseRowIndex(s);
	return Float64Array.from(rowOf, (k) => perRow[k]);
}

/** Per customer, the predicted holdout repeat purchases given the calibration history. */
export function predictedHoldout(params: ModelParams, s: CustomerSummary, model: PurchaseModel = BGNBD): Float64Array {
	const t = ((s.holdoutEnd ?? s.calibrationEnd) - s.calibrationEnd) / s.unitDays;
	return conditionalExpectations(params, s, t, model);
}

/** The holdout report; needs a summary with a holdout period. */
export function holdoutReport(params: ModelParams, s: CustomerSummary, model: PurchaseModel = BGNBD): HoldoutReport {
	if (s.holdoutEnd === null) throw new Error('the summary has no holdout period');
	const predicted = predictedHoldout(params, s, model);
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
		weekly: cumulativeCurve(params, s, model)
	};
}

/** Cumulative repeat purchases by week from the first customer's first purchase: actual, and Σ E[X(t − s_i)]. */
export function cumulativeCurve(params: ModelParams, s: CustomerSummary, model: PurchaseModel = BGNBD): HoldoutReport['weekly'] {
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
		for (const [day, count] of cohorts) if (day < endDate) predicted += count * model.expectedRepeatPurchases(params, (endDate - day) / s.unitDays);
		weekly.push({ week, endDate: formatDay(endDate), actualCumulative: seen, predictedCumulative: predicted });
		if (endDate === end) break;
	}
	return weekly;
}
