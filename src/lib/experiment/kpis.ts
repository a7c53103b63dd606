/**
 * KPIs of one replication, from the engine's raw output (definitions in
 * DESIGN.md's metrics glossary). Windows are right-censored honestly: a
 * repurchase rate or LTV counts only customers whose whole window lies inside
 * the horizon, and is undefined (NaN) when none does.
 */
import { COST_KINDS, costSeries, seriesOf, type RunOutput } from '../engine/output';
import type { PolicyOf, Scenario } from '../engine/scenario/schema';

export const KPI_NAMES = [
	'newCustomers',
	'activeCustomers',
	'repurchaseRate',
	'gmv',
	'grossProfit',
	'totalCost',
	'acquisitionSpend',
	'roi',
	'ltv',
	'cac',
	'ltvToCac',
	'invites',
	'referredCustomers',
	'kFactor',
	'pointsLiability'
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

function sum(values: ArrayLike<number>, from = 0, to = values.length): number {
	let s = 0;
	for (let i = from; i < to; i++) s += values[i];
	return s;
}

/**
 * The KPIs of one run. ROI counts all spend, programme cost and acquisition
 * alike: ROI = (gross profit − spend) / spend.
 */
export function replicationKpis(out: RunOutput, scenario: Scenario): Record<KpiName, number> {
	const days = out.days;
	const newCustomersByDay = seriesOf(out, 'newCustomers');
	const newCustomers = sum(newCustomersByDay);
	const grossProfit = sum(seriesOf(out, 'grossProfit'));
	const totalCost = COST_KINDS.reduce((s, kind) => s + sum(costSeries(out, kind)), 0);
	const acquisitionSpend = sum(seriesOf(out, 'acquisitionSpend'));
	const spend = totalCost + acquisitionSpend;

	// First purchases early enough that the whole window (t1, t1 + H] lies inside the horizon, whatever t1 in its day.
	const repurchaseEligible = days - scenario.metrics.repurchaseWindowDays;
	const repurchaseRate = ratio(sum(out.repeatWithinWindow, 0, repurchaseEligible), sum(newCustomersByDay, 0, repurchaseEligible));
	const ltvEligible = days - scenario.metrics.ltvHorizonDays;
	const ltv = ratio(sum(out.ltvGrossProfit, 0, ltvEligible), sum(newCustomersByDay, 0, ltvEligible));
	const cac = ratio(acquisitionSpend, newCustomers);
	const referredCustomers = sum(seriesOf(out, 'referredCustomers'));

	return {
		newCustomers,
		activeCustomers: seriesOf(out, 'activeCustomers')[days - 1],
		repurchaseRate,
		gmv: sum(seriesOf(out, 'gmv')),
		grossProfit,
		totalCost,
		acquisitionSpend,
		roi: ratio(grossProfit - spend, spend),
		ltv,
		cac,
		ltvToCac: ratio(ltv, cac),
		invites: sum(seriesOf(out, 'invites')),
		referredCustomers,
		// Invites per customer × invite conversion = referred new customers per new customer.
		kFactor: ratio(referredCustomers, newCustomers),
		pointsLiability: pointsLiability(out, scenario)[days - 1]
	};
}

/** The enabled points programme, if any (validation allows one). */
export function pointsProgrammeOf(scenario: Scenario): PolicyOf<'pointsProgramme'> | undefined {
	return scenario.policies.find((p): p is PolicyOf<'pointsProgramme'> => p.type === 'pointsProgramme' && p.enabled);
}

/** Points held by customers at the end of each day: issued − redeemed − expired, accumulated. */
export function pointsOutstanding(out: RunOutput): Float64Array {
	const issued = seriesOf(out, 'pointsIssued');
	const redeemed = seriesOf(out, 'pointsRedeemed');
	const expired = seriesOf(out, 'pointsExpired');
	const outstanding = new Float64Array(out.days);
	let held = 0;
	for (let d = 0; d < out.days; d++) outstanding[d] = held += issued[d] - redeemed[d] - expired[d];
	return outstanding;
}

/** Points liability per day: outstanding × value per point × expected redemption share. */
export function pointsLiability(out: RunOutput, scenario: Scenario): Float64Array {
	const programme = pointsProgrammeOf(scenario);
	const factor = programme ? programme.valuePerPoint * programme.expectedRedemptionShare : 0;
	return pointsOutstanding(out).map((points) => points * factor);
}

function ratio(numerator: number, denominator: number): number {
	return denominator > 0 ? numerator / denominator : NaN;
}
