/**
 * The figures industry reports quote, computed from runs the same way every
 * time, so a built-in scenario can say which figure it reproduces and a test
 * can check it. All are pooled over replications.
 */
import { seriesOf, stageSeries, type RunOutput, type SeriesName } from '../engine/output';
import type { Scenario } from '../engine/scenario/schema';

function total(outputs: RunOutput[], name: SeriesName, from = 0, to = outputs[0].days): number {
	let s = 0;
	for (const o of outputs) {
		const series = seriesOf(o, name);
		for (let d = from; d < to; d++) s += series[d];
	}
	return s;
}

/**
 * Period-m retention: the share of first-time buyers who buy in their m-th
 * cohort period after the first (periods of metrics.cohortPeriodDays),
 * pooled over every cohort whose period m lies wholly inside the horizon.
 */
export function cohortRetention(outputs: RunOutput[], m: number): number {
	const { cohortPeriods: stride, cohortPeriodDays, days } = outputs[0];
	const complete = Math.floor(days / cohortPeriodDays);
	let active = 0;
	let buyers = 0;
	for (let c = 0; c + m < complete; c++) {
		for (const o of outputs) {
			active += o.cohortActive[c * stride + c + m];
			buyers += o.cohortSizes[c];
		}
	}
	return buyers > 0 ? active / buyers : NaN;
}

/** Share of everyone who bought who, at the end, has gone quiet (the lapsed stage) or left for good. */
export function customerChurnShare(outputs: RunOutput[], scenario: Scenario): number {
	const lapsed = scenario.stages.findIndex((s) => s.kind === 'lapsed');
	const last = outputs[0].days - 1;
	const dormant = lapsed < 0 ? 0 : outputs.reduce((s, o) => s + stageSeries(o, lapsed)[last], 0);
	return (total(outputs, 'latentChurn') + dormant) / total(outputs, 'newCustomers');
}

/** Share of repeat purchases made by customers who came through a referral. */
export function referredShareOfRepeatPurchases(outputs: RunOutput[]): number {
	return total(outputs, 'referredRepeatPurchases') / total(outputs, 'repeatPurchases');
}

/** Share of new customers who came through a referral, over days [from, to). */
export function referredShareOfNewCustomers(outputs: RunOutput[], from = 0, to = outputs[0].days): number {
	return total(outputs, 'referredCustomers', from, to) / total(outputs, 'newCustomers', from, to);
}

/** Share of new customers (first purchase in the first days − window days) who buy again within the repurchase window. */
export function repurchaseRate(outputs: RunOutput[], scenario: Scenario): number {
	const eligible = outputs[0].days - scenario.metrics.repurchaseWindowDays;
	let again = 0;
	for (const o of outputs) for (let d = 0; d < eligible; d++) again += o.repeatWithinWindow[d];
	return again / total(outputs, 'newCustomers', 0, eligible);
}

/** k-factor: referred new customers per new customer. */
export function kFactor(outputs: RunOutput[]): number {
	return total(outputs, 'referredCustomers') / total(outputs, 'newCustomers');
}
