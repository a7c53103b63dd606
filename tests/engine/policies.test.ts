/**
 * Each policy: the direction of its effect (on against off, same seeds), its
 * cost booked by an identity the test can check, and its edge cases.
 */
import { describe, expect, it } from 'vitest';
import { SERIES, costSeries, seriesOf, type CostKind, type RunOutput, type SeriesName } from '../../src/lib/engine/output';
import { runReplications, createShardSimulation } from '../../src/lib/engine/run';
import type { ScenarioInput } from '../../src/lib/engine/scenario/schema';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { buildReport } from '../../src/lib/experiment/report';
import { builtIn, purchaseCohortScenario } from '../helpers/scenarios';

type Raw = ScenarioInput & { policies: NonNullable<ScenarioInput['policies']> };

/** The six-stage template, smaller, with `policies` replacing its fixed cost. */
function sixStage(policies: Raw['policies'], patch: (raw: Raw) => void = () => {}) {
	return builtIn('six-stage', (raw) => {
		raw.population.initial = 20_000;
		raw.horizonDays = 240;
		raw.policies = policies;
		patch(raw as Raw);
	});
}

const sum = (a: ArrayLike<number>, from = 0, to = a.length) => {
	let s = 0;
	for (let i = from; i < to; i++) s += a[i];
	return s;
};
const total = (outs: RunOutput[], name: SeriesName) => outs.reduce((s, o) => s + sum(seriesOf(o, name)), 0) / outs.length;
const cost = (o: RunOutput, kind: CostKind) => sum(costSeries(o, kind));
/** Every daily series but the event count: a policy's deadlines are events even when they change nothing. */
const outcomes = (o: RunOutput) => o.series.filter((_, i) => Math.floor(i / o.days) !== SERIES.indexOf('events'));

describe('off means off', () => {
	it('a scenario with every policy disabled gives byte-identical results to the same scenario without them', () => {
		const everyPolicy: Raw['policies'] = [
			{ type: 'fixedCost', id: 'ops', costPerDay: 100 },
			{ type: 'onboarding', id: 'plan', purchaseRateMultiplier: 2, durationDays: 7, costPerNewBuyer: 5 },
			{ type: 'firstOrderIncentive', id: 'deal', conversionMultiplier: 1.5, subsidyPerFirstOrder: 9 },
			{ type: 'winBack', id: 'wb', quietDays: 30, messageCost: 0.1, responseRate: 0.2, purchaseRateMultiplier: 2, effectDays: 14, couponCost: 5 },
			{ type: 'pointsProgramme', id: 'pts', pointsPerCurrencyUnit: 1, redemptionThreshold: 100, valuePerPoint: 0.01, redemptionPropensity: 0.5, expiryDays: 365, expectedRedemptionShare: 0.6, tiers: [{ id: 'gold', threshold: 500, purchaseRateMultiplier: 1.3 }] },
			{ type: 'referralProgramme', id: 'ref', invitingStages: ['retained', 'advocate'], inviteRateMultiplier: 2, conversionMultiplier: 1.5, referrerReward: 20, refereeReward: 10 },
			{ type: 'freeShipping', id: 'ship', thresholdOrderValue: 99, nearBand: 0.2, topUpProbability: 0.5, shippingCostPerOrder: 6 },
			{ type: 'limitedTimeDiscount', id: 'sale', discountShare: 0.1, purchaseRateMultiplier: 1.5, startDay: 30, endDay: 40 },
			{ type: 'festivalPromotion', id: 'double11', dates: [{ day: 100, durationDays: 3 }], purchaseRateMultiplier: 3, discountShare: 0.15, costPerDay: 1000 },
			{ type: 'birthdayBenefit', id: 'bday', durationDays: 7, purchaseRateMultiplier: 2, benefitCost: 8 }
		];
		const off = sixStage(everyPolicy.map((p) => ({ ...p, enabled: false })));
		const none = sixStage([]);
		const on = sixStage(everyPolicy);
		const report = (s: typeof off) => JSON.stringify(buildReport(s, runReplications(s, 2), 0).daily);
		expect(report(off)).toBe(report(none));
		expect(report(on)).not.toBe(report(none));
	});
});

describe('onboarding plan', () => {
	const plan = { type: 'onboarding' as const, id: 'plan', purchaseRateMultiplier: 3, durationDays: 14, costPerNewBuyer: 4 };
	it('new buyers repurchase more, and it costs exactly the plan cost per new buyer', () => {
		const on = runReplications(sixStage([plan]), 4);
		const off = runReplications(sixStage([]), 4);
		expect(total(on, 'repeatPurchases')).toBeGreaterThan(total(off, 'repeatPurchases') * 1.03);
		for (const o of on) expect(cost(o, 'campaign')).toBeCloseTo(4 * sum(seriesOf(o, 'newCustomers')), 6);
	});
	it('a zero-day plan changes nothing but the cost', () => {
		const [on] = runReplications(sixStage([{ ...plan, durationDays: 0 }]), 1);
		const [off] = runReplications(sixStage([]), 1);
		expect(seriesOf(on, 'purchases')).toEqual(seriesOf(off, 'purchases'));
		expect(cost(on, 'campaign')).toBeGreaterThan(0);
	});
});

describe('first-order incentive', () => {
	const deal = { type: 'firstOrderIncentive' as const, id: 'deal', conversionMultiplier: 2, subsidyPerFirstOrder: 9 };
	it('brings more first purchases, each subsidised', () => {
		const on = runReplications(sixStage([deal]), 3);
		const off = runReplications(sixStage([]), 3);
		expect(total(on, 'newCustomers')).toBeGreaterThan(total(off, 'newCustomers') * 1.1);
		for (const o of on) expect(cost(o, 'campaign')).toBeCloseTo(9 * sum(seriesOf(o, 'newCustomers')), 6);
	});
	it('inside its window only: first orders before startDay are not subsidised', () => {
		const [o] = runReplications(sixStage([{ ...deal, startDay: 100, endDay: 150 }]), 1);
		expect(sum(costSeries(o, 'campaign'), 0, 100)).toBe(0);
		expect(sum(costSeries(o, 'campaign'), 150)).toBe(0);
		expect(sum(costSeries(o, 'campaign'), 100, 150)).toBeCloseTo(9 * sum(seriesOf(o, 'newCustomers'), 100, 150), 6);
	});
});

describe('win-back', () => {
	const winBack = {
		type: 'winBack' as const,
		id: 'wb',
		quietDays: 30,
		messageCost: 0.5,
		responseRate: 0.3,
		purchaseRateMultiplier: 3,
		dropoutMultiplier: 0.5,
		effectDays: 14,
		couponCost: 10
	};
	/** A cohort that all bought at time 0; repurchaseWindowDays w counts who bought again within w days. */
	function cohort(policy: object, window: number) {
		const raw = purchaseCohortScenario(5000, { r: 0.8, alphaDays: 60, a: 1, b: 3 }, 120) as Raw;
		raw.metrics = { repurchaseWindowDays: window };
		raw.policies = [policy as Raw['policies'][number]];
		return parseScenario(raw);
	}

	it('with zero lag reaches customers quiet for 30 days on day 30, the lost ones included', () => {
		const [o] = runReplications(cohort(winBack, 30), 1);
		const messages = seriesOf(o, 'messagesSent');
		expect(sum(messages, 0, 30)).toBe(0);
		// Everyone who has not bought again by t = 30 is messaged at exactly t = 30; people who bought again on day 0 join them later that day.
		const quietSinceFirst = 5000 - o.repeatWithinWindow[0];
		expect(messages[30]).toBeGreaterThanOrEqual(quietSinceFirst);
		expect(messages[30]).toBeLessThan(quietSinceFirst + 100);
	});

	it('with a 72-hour lag reaches them three days later, missing those who bought in between', () => {
		const [o] = runReplications(cohort({ ...winBack, detectionLagDays: 3 }, 33), 1);
		const messages = seriesOf(o, 'messagesSent');
		expect(sum(messages, 0, 33)).toBe(0);
		const quietSinceFirst = 5000 - o.repeatWithinWindow[0];
		expect(messages[33]).toBeGreaterThanOrEqual(quietSinceFirst);
		expect(messages[33]).toBeLessThan(quietSinceFirst + 100);
	});

	it('books messages and coupons exactly, and lifts purchases', () => {
		const on = runReplications(sixStage([winBack]), 4);
		const off = runReplications(sixStage([]), 4);
		expect(total(on, 'repeatPurchases')).toBeGreaterThan(total(off, 'repeatPurchases'));
		for (const o of on) {
			const coupons = (cost(o, 'campaign') - 0.5 * sum(seriesOf(o, 'messagesSent'))) / 10;
			expect(Math.abs(coupons - Math.round(coupons))).toBeLessThan(1e-6);
			expect(coupons).toBeGreaterThan(0);
			expect(coupons).toBeLessThan(sum(seriesOf(o, 'messagesSent')));
		}
	});

	it('with a zero budget sends nothing and changes nothing', () => {
		const [on] = runReplications(sixStage([{ ...winBack, budget: 0 }]), 1);
		const [off] = runReplications(sixStage([]), 1);
		expect(sum(seriesOf(on, 'messagesSent'))).toBe(0);
		expect(outcomes(on)).toEqual(outcomes(off));
		expect(on.stages).toEqual(off.stages);
	});

	it('stops at its budget', () => {
		const [o] = runReplications(sixStage([{ ...winBack, budget: 2000 }]), 1);
		expect(cost(o, 'campaign')).toBeLessThanOrEqual(2000 + 1e-9);
		expect(cost(o, 'campaign')).toBeGreaterThan(1900);
	});
});

describe('points programme', () => {
	const points = {
		type: 'pointsProgramme' as const,
		id: 'pts',
		pointsPerCurrencyUnit: 1,
		redemptionThreshold: 200,
		valuePerPoint: 0.02,
		redemptionPropensity: 0.6,
		expiryDays: 120,
		expectedRedemptionShare: 0.6,
		tierBasis: 'spend' as const,
		tierWindowDays: 180,
		tiers: [
			{ id: 'silver', threshold: 300, purchaseRateMultiplier: 1.2, benefitCostPerOrder: 1 },
			{ id: 'gold', threshold: 800, purchaseRateMultiplier: 1.5, dropoutMultiplier: 0.7, benefitCostPerMemberDay: 0.05 }
		]
	};

	function runWithBalances(policy: typeof points) {
		const sim = createShardSimulation(sixStage([policy]), { replication: 0, shard: 0 });
		const out = sim.run();
		const balance = sim.population.column('points:pts:balance');
		const balances = sum(Array.from({ length: sim.population.size }, (_, a) => balance.get(a)));
		return { out, balances };
	}

	it('points issued = redeemed + expired + held by customers, exactly, and redemptions cost their value', () => {
		const { out, balances } = runWithBalances(points);
		const issued = sum(seriesOf(out, 'pointsIssued'));
		const redeemed = sum(seriesOf(out, 'pointsRedeemed'));
		const expired = sum(seriesOf(out, 'pointsExpired'));
		expect(redeemed).toBeGreaterThan(0);
		expect(expired).toBeGreaterThan(0);
		expect(issued).toBe(redeemed + expired + balances);
		expect(cost(out, 'points')).toBeCloseTo(redeemed * 0.02, 6);
		expect(cost(out, 'tierBenefit')).toBeGreaterThan(0);
	});

	it('with expiry 0 every point expires at once: nothing redeemed, nothing outstanding', () => {
		const { out, balances } = runWithBalances({ ...points, expiryDays: 0 });
		expect(sum(seriesOf(out, 'pointsRedeemed'))).toBe(0);
		expect(balances).toBe(0);
		expect(sum(seriesOf(out, 'pointsExpired'))).toBe(sum(seriesOf(out, 'pointsIssued')));
	});

	it('tiers nobody reaches change nothing; reachable tiers with uplifts raise purchases', () => {
		const unreachable = points.tiers.map((t, i) => ({ ...t, threshold: 1e8 + i }));
		const [noTiers] = runReplications(sixStage([{ ...points, tiers: [] }]), 1);
		const [unreached] = runReplications(sixStage([{ ...points, tiers: unreachable }]), 1);
		expect(outcomes(unreached)).toEqual(outcomes(noTiers));
		expect(cost(unreached, 'tierBenefit')).toBe(0);
		const withTiers = runReplications(sixStage([points]), 4);
		const without = runReplications(sixStage([{ ...points, tiers: [] }]), 4);
		expect(total(withTiers, 'purchases')).toBeGreaterThan(total(without, 'purchases'));
	});

	it('the report gives outstanding points and the liability day by day', () => {
		const scenario = sixStage([points]);
		const outs = runReplications(scenario, 2);
		const report = buildReport(scenario, outs, 0);
		const outstanding = report.daily.pointsOutstanding as { mean: number[] };
		const liability = report.daily.pointsLiability as { mean: number[] };
		const last = scenario.horizonDays - 1;
		const expected = outs.map((o) => sum(seriesOf(o, 'pointsIssued')) - sum(seriesOf(o, 'pointsRedeemed')) - sum(seriesOf(o, 'pointsExpired')));
		expect(outstanding.mean[last]).toBeCloseTo((expected[0] + expected[1]) / 2, 6);
		expect(liability.mean[last]).toBeCloseTo(outstanding.mean[last] * 0.02 * 0.6, 6);
		expect(report.kpis.pointsLiability.mean).toBeCloseTo(liability.mean[last], 6);
	});
});

describe('referral programme', () => {
	const referral = {
		type: 'referralProgramme' as const,
		id: 'ref',
		invitingStages: ['retained', 'advocate'],
		inviteRateMultiplier: 2,
		conversionMultiplier: 1.5,
		referrerReward: 20,
		refereeReward: 10
	};
	it('more invitations and referred customers; standard rewards paid for each referred first purchase', () => {
		const on = runReplications(sixStage([referral]), 3);
		const off = runReplications(sixStage([]), 3);
		expect(total(on, 'invites')).toBeGreaterThan(total(off, 'invites') * 2);
		expect(total(on, 'referredCustomers')).toBeGreaterThan(total(off, 'referredCustomers') * 2);
		for (const o of on) expect(cost(o, 'reward')).toBeCloseTo(30 * sum(seriesOf(o, 'referredCustomers')), 6);
	});
	it('group buy pays once every k referees have bought', () => {
		const [o] = runReplications(sixStage([{ ...referral, variant: 'groupBuy', friendsNeeded: 3 }]), 1);
		const groups = cost(o, 'reward') / (20 + 3 * 10);
		expect(Math.abs(groups - Math.round(groups))).toBeLessThan(1e-9);
		expect(groups).toBeGreaterThan(0);
		expect(groups).toBeLessThanOrEqual(sum(seriesOf(o, 'referredCustomers')) / 3);
	});
	it('friend assist pays the referrer once every k friends have joined', () => {
		const [o] = runReplications(sixStage([{ ...referral, variant: 'friendAssist', friendsNeeded: 2 }]), 1);
		const rewards = cost(o, 'reward') / 20;
		expect(Math.abs(rewards - Math.round(rewards))).toBeLessThan(1e-9);
		expect(rewards).toBeGreaterThan(0);
		expect(rewards).toBeLessThanOrEqual(sum(seriesOf(o, 'referredProspects')) / 2);
	});
	it('reports the k-factor as referred new customers per new customer', () => {
		const scenario = sixStage([referral]);
		const outs = runReplications(scenario, 2);
		const report = buildReport(scenario, outs, 0);
		const perRep = outs.map((o) => sum(seriesOf(o, 'referredCustomers')) / sum(seriesOf(o, 'newCustomers')));
		expect(report.kpis.kFactor.mean).toBeCloseTo((perRep[0] + perRep[1]) / 2, 12);
	});
});

describe('conversion nudges', () => {
	it('a free-shipping threshold raises the average order value; shipping is booked as a discount on each qualifying order', () => {
		const ship = { type: 'freeShipping' as const, id: 'ship', thresholdOrderValue: 150, nearBand: 0.5, topUpProbability: 1, shippingCostPerOrder: 6 };
		const on = runReplications(sixStage([ship]), 3);
		const off = runReplications(sixStage([]), 3);
		const aov = (outs: RunOutput[]) => total(outs, 'gmv') / total(outs, 'purchases');
		expect(aov(on)).toBeGreaterThan(aov(off) * 1.1);
		for (const o of on) {
			const qualifying = sum(seriesOf(o, 'discounts')) / 6;
			expect(Math.abs(qualifying - Math.round(qualifying))).toBeLessThan(1e-6);
		}
	});
	it('a limited-time discount lifts purchases in its window and discounts exactly its share of GMV there', () => {
		const sale = { type: 'limitedTimeDiscount' as const, id: 'sale', discountShare: 0.2, purchaseRateMultiplier: 2, startDay: 100, endDay: 110 };
		const on = runReplications(sixStage([sale]), 3);
		const off = runReplications(sixStage([]), 3);
		const inWindow = (outs: RunOutput[]) => outs.reduce((s, o) => s + sum(seriesOf(o, 'repeatPurchases'), 100, 110), 0);
		expect(inWindow(on)).toBeGreaterThan(inWindow(off) * 1.4);
		for (const o of on) {
			expect(sum(seriesOf(o, 'discounts'), 0, 100) + sum(seriesOf(o, 'discounts'), 110)).toBe(0);
			expect(sum(seriesOf(o, 'discounts'), 100, 110)).toBeCloseTo(0.2 * sum(seriesOf(o, 'gmv'), 100, 110), 6);
		}
	});
});

describe('calendar events', () => {
	it('a festival lifts purchases on its days and costs its daily cost', () => {
		const festival = { type: 'festivalPromotion' as const, id: 'double11', dates: [{ day: 150, durationDays: 3 }], purchaseRateMultiplier: 4, discountShare: 0.1, costPerDay: 5000 };
		const on = runReplications(sixStage([festival]), 3);
		const off = runReplications(sixStage([]), 3);
		const days = (outs: RunOutput[]) => outs.reduce((s, o) => s + sum(seriesOf(o, 'repeatPurchases'), 150, 153), 0);
		expect(days(on)).toBeGreaterThan(days(off) * 2);
		for (const o of on) expect(cost(o, 'campaign')).toBeCloseTo(3 * 5000, 6);
	});
	it('festival days (drawn at the ceiling and thinned) run at exactly the multiplied rate: Poisson expectation, both ways', () => {
		// Customers who never leave, with rates λ close to their mean (Gamma shape 100): repeat purchases on a day are close to Poisson(N λ m(day)).
		const N = 4000;
		const lambda = 0.05;
		const days = 60;
		for (const m of [3, 0.4]) {
			const raw = purchaseCohortScenario(N, { r: 100, alphaDays: 100 / lambda, a: 1e-3, b: 1e4 }, days) as Raw;
			raw.dormancyDays = 1000;
			raw.policies = [{ type: 'festivalPromotion', id: 'fest', dates: [{ day: 10, durationDays: 5 }, { day: 40, durationDays: 2 }], purchaseRateMultiplier: m, discountShare: 0, costPerDay: 0 }];
			const [o] = runReplications(parseScenario(raw), 1);
			const repeat = seriesOf(o, 'repeatPurchases');
			const festival = (d: number) => (d >= 10 && d < 15) || (d >= 40 && d < 42);
			let onDays = 0;
			let on = 0;
			let off = 0;
			for (let d = 0; d < days; d++) {
				if (festival(d)) {
					onDays++;
					on += repeat[d];
				} else off += repeat[d];
			}
			const expectedOn = N * lambda * m * onDays;
			const expectedOff = N * lambda * (days - onDays);
			expect(Math.abs(on - expectedOn)).toBeLessThan(4 * Math.sqrt(expectedOn));
			expect(Math.abs(off - expectedOff)).toBeLessThan(4 * Math.sqrt(expectedOff));
		}
	});
	it('every customer gets exactly one birthday benefit a year, the lost ones included', () => {
		const raw = purchaseCohortScenario(3000, { r: 0.8, alphaDays: 60, a: 1, b: 3 }, 365) as Raw;
		raw.policies = [{ type: 'birthdayBenefit', id: 'bday', durationDays: 7, purchaseRateMultiplier: 2, benefitCost: 8 }];
		const [o] = runReplications(parseScenario(raw), 1);
		expect(cost(o, 'campaign')).toBe(3000 * 8);
	});
});

describe('membership', () => {
	const club = { type: 'membership' as const, id: 'club', joinProbability: 1, purchaseRateMultiplier: 1.5, dropoutMultiplier: 0.6, costPerMemberDay: 0.1, costPerJoin: 5 };
	it('members buy more; sign-ups and every member-day are paid for, exactly', () => {
		const on = runReplications(sixStage([club]), 3);
		const off = runReplications(sixStage([]), 3);
		expect(total(on, 'repeatPurchases')).toBeGreaterThan(total(off, 'repeatPurchases') * 1.2);
		for (const o of on) {
			const joined = seriesOf(o, 'newCustomers');
			let memberDays = 0;
			let members = 0;
			for (let d = 0; d < o.days; d++) {
				memberDays += members; // members are counted at the start of each day
				members += joined[d];
			}
			expect(cost(o, 'campaign')).toBeCloseTo(5 * sum(joined) + 0.1 * memberDays, 4);
		}
	});
});
