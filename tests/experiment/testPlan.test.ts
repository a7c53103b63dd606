/**
 * The live-test rehearsal checked against known answers: with no true effect
 * the false-positive rate is within sampling error of α; for a conversion
 * test, where every user converts independently with a probability the
 * Markov chain gives exactly, simulated power matches the closed-form
 * two-proportion approximation within sampling error.
 */
import { describe, expect, it } from 'vitest';
import { twoProportionPower } from '../../src/lib/experiment/abTest';
import { FIRST_LOOK_TESTS, plannedTests, powerDecided, runArmsHere, searchArmSize, simulatePower, simulatePowerUntilDecided, type ArmRunner } from '../../src/lib/experiment/testPlan';
import { compileModel } from '../../src/lib/engine/model';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import { funnelScenario } from '../helpers/scenarios';
import { generator, occupancy } from '../oracles/markov';

const DAYS = 20;
const control = parseScenario(funnelScenario(1000, DAYS));
const variant = parseScenario({
	...funnelScenario(1000, DAYS),
	policies: [{ type: 'firstOrderIncentive', id: 'deal', conversionMultiplier: 1.6, subsidyPerFirstOrder: 5 }]
});

/** P(first purchase by the end of the test), from the chain's exact occupancy. */
function conversionProbability(scenario: Scenario, multiplier: number): number {
	const model = compileModel(scenario);
	const moves = scenario.stages.flatMap((st, from) =>
		st.transitions.map((tr) => {
			const to = model.stageIds.indexOf(tr.to);
			const p = tr.dailyProbability;
			// The incentive multiplies the rate of moves into the first purchase: rate' = m · (−ln(1 − p)).
			const scaled = to === model.entryStage ? 1 - Math.pow(1 - p, multiplier) : p;
			return { from, to, dailyProbability: scaled };
		})
	);
	const p0 = scenario.stages.map((st) => scenario.population.initialStages[st.id] ?? 0);
	return occupancy(generator(scenario.stages.length, moves), p0, scenario.horizonDays)[scenario.horizonDays - 1][model.entryStage];
}

describe('rehearsing the live A/B test', () => {
	it('with no true effect, rejects at about α = 5% (A/A tests)', async () => {
		const tests = 400;
		const estimate = await simulatePower(control, control, 'conversion', 800, DAYS, tests, runArmsHere);
		const se = Math.sqrt((0.05 * 0.95) / tests);
		expect(Math.abs(estimate.significantShare - 0.05)).toBeLessThan(3 * se);
	});

	it('simulated power of a conversion test matches the closed-form two-proportion power', async () => {
		const pA = conversionProbability(control, 1);
		const pB = conversionProbability(variant, 1.6);
		const armSize = 400;
		const tests = 300;
		const estimate = await simulatePower(control, variant, 'conversion', armSize, DAYS, tests, runArmsHere);
		expect(Math.abs(estimate.meanControl - pA)).toBeLessThan(0.01);
		expect(Math.abs(estimate.meanVariant - pB)).toBeLessThan(0.01);
		const closedForm = twoProportionPower(pA, pB, armSize);
		expect(closedForm).toBeGreaterThan(0.3);
		expect(closedForm).toBeLessThan(0.9);
		expect(Math.abs(estimate.power - closedForm)).toBeLessThan(3 * Math.sqrt((closedForm * (1 - closedForm)) / tests));
	});

	it('finds the arm size for 80% power near the normal approximation', async () => {
		const pA = conversionProbability(control, 1);
		const pB = conversionProbability(variant, 1.6);
		const approximate = (1.959964 + 0.841621) ** 2 * (pA * (1 - pA) + pB * (1 - pB)) / (pB - pA) ** 2;
		const search = await searchArmSize(control, variant, 'conversion', DAYS, 200, runArmsHere, { pilotSize: 300 });
		expect(search.armSize).not.toBeNull();
		expect(search.armSize! / approximate).toBeGreaterThan(0.75);
		expect(search.armSize! / approximate).toBeLessThan(1.35);
		const reached = search.tried.find((t) => t.armSize === search.armSize)!;
		expect(reached.power).toBeGreaterThanOrEqual(0.8);
	});

	it('GMV per user is tested with Welch’s test and sees what the platform sees', async () => {
		const estimate = await simulatePower(control, variant, 'gmvPerUser', 400, DAYS, 40, runArmsHere);
		expect(estimate.meanVariant).toBeGreaterThan(estimate.meanControl);
		expect(estimate.closedFormPower).toBeNull();
	});

	it('finds a small arm size for a large effect instead of stopping at the pilot size', async () => {
		const strong = parseScenario({
			...funnelScenario(1000, DAYS),
			policies: [{ type: 'firstOrderIncentive', id: 'deal', conversionMultiplier: 5, subsidyPerFirstOrder: 5 }]
		});
		const search = await searchArmSize(control, strong, 'conversion', DAYS, 100, runArmsHere, { pilotSize: 2000 });
		expect(search.armSize).not.toBeNull();
		expect(search.armSize!).toBeLessThan(200);
		const passing = search.tried.filter((t) => t.power >= 0.8).map((t) => t.armSize);
		expect(Math.min(...passing)).toBe(search.armSize);
	});

	it('answers "more than N users per arm" within its planned number of simulated tests when no size up to N reaches 80% power', async () => {
		let simulated = 0;
		const counting: ArmRunner = async (arms, metric, armSize) => {
			simulated += arms.length / 2;
			return runArmsHere(arms, metric, armSize);
		};
		// A/A: no true effect, so no arm size reaches 80% power and the search must stop at its bound.
		const search = await searchArmSize(control, control, 'conversion', DAYS, 40, counting, { pilotSize: 100, maxArmSize: 400, maxSizes: 4 });
		expect(search.armSize).toBeNull();
		expect(search.maxArmSize).toBe(400);
		expect(Math.max(...search.tried.map((t) => t.armSize))).toBe(400);
		expect(search.tried.length).toBeLessThanOrEqual(4);
		expect(simulated).toBeLessThanOrEqual(plannedTests(40, undefined, 4));
		expect(simulated).toBe(search.tried.reduce((sum, t) => sum + t.tests, 0));
	});

	it('calls a power above or below the target only when the binomial tail says so at the stated error', () => {
		// Binomial(25, 0.8): P(X ≤ 13) = 0.0015 and P(X ≤ 14) = 0.0056, against an error of 0.0025 per look.
		expect(powerDecided(13, 25, 0.8)).toBe('below');
		expect(powerDecided(14, 25, 0.8)).toBeNull();
		// 25 of 25 happens with probability 0.8²⁵ = 0.0038 at a power of 80%: not yet enough to call it above.
		expect(powerDecided(25, 25, 0.8)).toBeNull();
		// P(X ≥ 48 | 50, 0.8) = 0.0013.
		expect(powerDecided(48, 50, 0.8)).toBe('above');
		expect(powerDecided(47, 50, 0.8)).toBeNull();
	});

	it('stops a size far below the target after its first look, with the same tests a full run starts with', async () => {
		// A/A: power is α/2 at most, far below 80%: decided after the first look.
		const early = await simulatePowerUntilDecided(control, control, 'conversion', 200, DAYS, 200, runArmsHere, 0.8);
		expect(early.tests).toBe(FIRST_LOOK_TESTS);
		const same = await simulatePower(control, control, 'conversion', 200, DAYS, FIRST_LOOK_TESTS, runArmsHere);
		expect(early).toEqual(same);
	});

	it('runs every test at a size whose power is near the target, and then agrees with the full estimate', async () => {
		const pA = conversionProbability(control, 1);
		const pB = conversionProbability(variant, 1.6);
		// The normal approximation's size for 80% power: its simulated power is near the target, so no look decides it.
		const armSize = Math.round(((1.959964 + 0.841621) ** 2 * (pA * (1 - pA) + pB * (1 - pB))) / (pB - pA) ** 2);
		const tests = 100;
		const looked = await simulatePowerUntilDecided(control, variant, 'conversion', armSize, DAYS, tests, runArmsHere, 0.8);
		const full = await simulatePower(control, variant, 'conversion', armSize, DAYS, tests, runArmsHere);
		expect(looked.tests).toBe(tests);
		expect(looked).toEqual(full);
	});
});
