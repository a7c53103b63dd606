import { describe, expect, it } from 'vitest';
import { formatProblem, validateScenario } from '../../src/lib/engine/scenario/validate';
import type { ScenarioInput } from '../../src/lib/engine/scenario/schema';
import { readFileSync, readdirSync } from 'node:fs';

const sixStage = () => JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));

/** Each case breaks one thing in the six-stage template and names the exact message expected. */
const cases: [string, (s: any) => void, string][] = [
	['a probability above 1', (s) => (s.stages[2].transitions[0].dailyProbability = 1.4), 'stages[2].transitions[0].dailyProbability: must be less than 1, got 1.4'],
	['a negative probability', (s) => (s.stages[0].transitions[1].dailyProbability = -0.1), 'stages[0].transitions[1].dailyProbability: must be at least 0, got -0.1'],
	['a move to an unknown stage', (s) => (s.stages[1].transitions[0].to = 'thinking'), 'stages[1].transitions[0].to: unknown stage "thinking"; known stages: aware, interested, considering, first_purchase, retained, advocate, dormant, churned'],
	['a prospect jumping to a repeat-buyer stage', (s) => (s.stages[2].transitions[0].to = 'retained'), 'stages[2].transitions[0].to: a prospect stage cannot move to "retained" (customer): prospects move to a prospect stage, the first-purchase stage or the churned stage'],
	['an unknown stage kind', (s) => (s.stages[0].kind = 'lead'), 'stages[0].kind: must be one of "prospect", "customer", "lapsed", "churned", got "lead"'],
	['a horizon that is not a whole number', (s) => (s.horizonDays = 36.5), 'horizonDays: must be a whole number, got 36.5'],
	['a horizon of zero days', (s) => (s.horizonDays = 0), 'horizonDays: must be at least 1, got 0'],
	['a missing margin', (s) => delete s.economics.grossMargin, 'economics.grossMargin: is required (number)'],
	['a misspelt field', (s) => (s.segments[1].sharee = 0.3), 'segments[1]: unknown field "sharee"'],
	['segment shares that do not sum to 1', (s) => (s.segments[2].share = 0.3), 'segments: segment shares must sum to 1, got 1.1'],
	['a negative Gamma shape', (s) => (s.segments[0].purchaseRate.r = -1), 'segments[0].purchaseRate.r: must be greater than 0, got -1'],
	['an unknown spend model', (s) => (s.segments[0].spend.model = 'pareto'), 'segments[0].spend.model: must be one of "gammaGamma", "lognormal", got "pareto"'],
	['a channel starting people in a customer stage', (s) => (s.channels[0].startStage = 'retained'), 'channels[0].startStage: must be a prospect stage, "retained" is customer'],
	['a channel mix naming an unknown segment', (s) => (s.channels[1].segmentMix = { office: 0.5, students: 0.5 }), 'channels[1].segmentMix.students: unknown segment "students"; known segments: office, mothers, seniors'],
	['two stages with one id', (s) => (s.stages[1].id = 'aware'), 'stages[1].id: duplicate id "aware"'],
	['a wrong schema id', (s) => (s.schema = 'lifecycle-lab/scenario@9'), 'schema: must be one of "lifecycle-lab/scenario@1", got "lifecycle-lab/scenario@9"'],
	['an unknown policy type', (s) => (s.policies[0].type = 'magic'), 'policies[0].type: must be one of "fixedCost", "onboarding", "firstOrderIncentive", "winBack", "pointsProgramme", "referralProgramme", "freeShipping", "limitedTimeDiscount", "festivalPromotion", "birthdayBenefit", "membership", got "magic"'],
	['a currency that is not a code', (s) => (s.economics.currency = 'yuan'), 'economics.currency: must be an ISO 4217 code such as CNY or USD, got "yuan"'],
	['initial people in a repeat-buyer stage', (s) => (s.population.initialStages = { retained: 1 }), 'population.initialStages.retained: people can start only in a prospect stage or the first-purchase stage, "retained" is customer'],
	['inviting without a referral channel', (s) => s.channels.pop(), 'channels: invitations can bring people, so a channel of kind "referral" must say where they start'],
	['a policy that ends before it starts', (s) => Object.assign(s.policies[0], { startDay: 10, endDay: 5 }), 'policies[0].endDay: must not be before startDay 10, got 5'],
	['a policy scoped to an unknown segment', (s) => (s.policies[0].segments = ['office', 'students']), 'policies[0].segments[1]: unknown segment "students"; known segments: office, mothers, seniors'],
	['a referral programme inviting from a prospect stage', (s) => s.policies.push({ type: 'referralProgramme', id: 'refer', invitingStages: ['aware'], inviteRateMultiplier: 2, conversionMultiplier: 1, referrerReward: 10, refereeReward: 10 }), 'policies[1].invitingStages[0]: only customer stages can invite, "aware" is prospect'],
	['tiers out of order', (s) => s.policies.push({ type: 'pointsProgramme', id: 'points', pointsPerCurrencyUnit: 1, redemptionThreshold: 100, valuePerPoint: 0.01, redemptionPropensity: 0.5, expiryDays: 365, expectedRedemptionShare: 0.6, tiers: [{ id: 'gold', threshold: 1000 }, { id: 'silver', threshold: 500 }] }), "policies[1].tiers[1].threshold: must be above the previous tier's 1000, got 500"],
	['a win-back lag out of bounds', (s) => s.policies.push({ type: 'winBack', id: 'wb', quietDays: 30, detectionLagDays: 90, messageCost: 0.1, responseRate: 0.1, purchaseRateMultiplier: 2, effectDays: 14, couponCost: 5 }), 'policies[1].detectionLagDays: must be at most 60, got 90']
];

describe('a bad scenario is refused with the path and the reason', () => {
	for (const [what, breakIt, message] of cases) {
		it(what, () => {
			const scenario = sixStage();
			breakIt(scenario);
			const result = validateScenario(scenario);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.problems.map(formatProblem)).toContain(message);
		});
	}

	it('lists every problem, not just the first', () => {
		const scenario = sixStage();
		scenario.horizonDays = -3;
		scenario.stages[0].transitions[0].dailyProbability = 2;
		scenario.economics.grossMargin = 'high';
		const result = validateScenario(scenario);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems).toHaveLength(3);
	});

	it('refuses values that are not scenarios at all', () => {
		for (const value of [null, 42, 'scenario', [], {}]) {
			const result = validateScenario(value);
			expect(result.ok).toBe(false);
		}
	});
});

describe('the built-in scenarios are valid', () => {
	const dir = new URL('../../scenarios/', import.meta.url);
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
		it(file, () => {
			const result = validateScenario(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as ScenarioInput);
			expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
		});
	}
});
