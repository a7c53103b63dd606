/**
 * Rehearsing the live A/B test. Each simulated test splits fresh people into
 * a control arm and a variant arm of the same size (different people, so
 * independent random streams), runs them for the test's days with no
 * acquisition (an arm is the set of users enrolled at the start), observes
 * only what the platform sees, and computes what it would report. Repeating
 * many tests gives the power at that size and duration; a search finds the
 * arm size that reaches 80% power. The search looks at each size's tests as
 * they come (after 25, 50, 100, … of them) and stops that size as soon as
 * its power is clearly above or clearly below the target: sizes far from
 * the answer cost a few dozen tests, not the full count.
 */
import { binomialDistribution } from 'simple-statistics';
import { compileModel } from '../engine/model';
import { createPolicies } from '../engine/policies/registry';
import type { Scenario } from '../engine/scenario/schema';
import { Simulation } from '../engine/simulation';
import { meanTest, proportionTest, twoProportionPower, Z_80, Z_975, type TestResult } from './abTest';
import { ArmObserver, type ArmStatistics, type TestMetric } from './armObserver';

/** One arm to simulate: the arm's scenario and the replication index that picks its random streams. */
export interface ArmJob {
	scenario: Scenario;
	replication: number;
}

/** Simulates arms (in order) and returns each arm's statistics. */
export type ArmRunner = (arms: ArmJob[], metric: TestMetric, armSize: number) => Promise<ArmStatistics[]>;

/** The scenario of an arm: `armSize` people on day 0, no acquisition, `days` long. */
export function armScenario(scenario: Scenario, armSize: number, days: number): Scenario {
	return {
		...scenario,
		horizonDays: days,
		population: { ...scenario.population, initial: armSize },
		channels: scenario.channels.map((ch) => ({ ...ch, prospectsPerDay: 0, costPerDay: 0 }))
	};
}

/** Runs one arm on this thread: a single shard, so the arm's users are agents 0 … armSize − 1. */
export function runArm(job: ArmJob, metric: TestMetric, armSize: number): ArmStatistics {
	const model = compileModel(job.scenario);
	const observer = new ArmObserver(armSize);
	const sim = new Simulation(model, [...createPolicies(model), observer], {
		seed: job.scenario.seed,
		replication: job.replication,
		shard: 0,
		shards: 1,
		initialAgents: armSize
	});
	sim.run();
	const statistics = observer.statistics(sim, metric);
	sim.population.release(); // the next arm of this thread reuses the records
	return statistics;
}

/** Runs arms one after another on this thread. */
export const runArmsHere: ArmRunner = async (arms, metric, armSize) => arms.map((arm) => runArm(arm, metric, armSize));

/** The platform's test of a metric: proportions for conversion, repurchase and retention, Welch for GMV per user. */
export function platformTest(metric: TestMetric, control: ArmStatistics, variant: ArmStatistics): TestResult {
	return metric === 'gmvPerUser' ? meanTest(control, variant) : proportionTest(control, variant);
}

export interface PowerEstimate {
	armSize: number;
	days: number;
	tests: number;
	/** Share of tests significant at α in the direction of the mean observed difference. */
	power: number;
	/** Binomial standard error of `power`. */
	powerStandardError: number;
	/** Share of tests significant at α in either direction. */
	significantShare: number;
	meanControl: number;
	meanVariant: number;
	meanLift: number | null;
	/** For proportions: the closed-form two-proportion power at the mean observed rates. */
	closedFormPower: number | null;
}

/** Simulates `tests` live tests of variant against control and reports power. */
export async function simulatePower(
	control: Scenario,
	variant: Scenario,
	metric: TestMetric,
	armSize: number,
	days: number,
	tests: number,
	run: ArmRunner,
	alpha = 0.05
): Promise<PowerEstimate> {
	const results = await simulateTests(control, variant, metric, armSize, days, 0, tests, run);
	return powerEstimate(results, metric, armSize, days, alpha);
}

/** Tests simulated before a size's first look; each later look doubles them. */
export const FIRST_LOOK_TESTS = 25;
/**
 * Chance, at one look, of calling a size's power above (or below) the target
 * when it is in truth at the target: with at most three early looks per size
 * (after 25, 50 and 100 of 200 tests), a wrong early call at a size has a
 * chance under 1%.
 */
export const LOOK_ERROR = 0.0025;

/**
 * Whether `significant` significant tests out of `tests` decide a power
 * against `target`: "below" when so few would be seen with probability
 * under `error` if the power were the target (an exact binomial tail),
 * "above" likewise for so many, else null (undecided: simulate more).
 */
export function powerDecided(significant: number, tests: number, target: number, error = LOOK_ERROR): 'below' | 'above' | null {
	const cells = binomialDistribution(tests, target) ?? [];
	const cell = (k: number) => cells[k] ?? 0; // cells past the table's end are below its precision
	let atMost = 0;
	for (let k = 0; k <= significant; k++) atMost += cell(k);
	if (atMost < error) return 'below';
	let atLeast = 0;
	for (let k = significant; k <= tests; k++) atLeast += cell(k);
	if (atLeast < error) return 'above';
	return null;
}

/**
 * Power at one size as a search needs it: up to `tests` tests, looked at
 * after FIRST_LOOK_TESTS and at each doubling, stopped once powerDecided
 * calls it against `target`. The first n tests are the same whether or not
 * it stops (tests are numbered, never timed), so the estimate at a size
 * that is not decided early is the full estimate.
 */
export async function simulatePowerUntilDecided(
	control: Scenario,
	variant: Scenario,
	metric: TestMetric,
	armSize: number,
	days: number,
	tests: number,
	run: ArmRunner,
	target: number,
	alpha = 0.05
): Promise<PowerEstimate> {
	const results: TestResult[] = [];
	let look = Math.min(FIRST_LOOK_TESTS, tests);
	for (;;) {
		results.push(...(await simulateTests(control, variant, metric, armSize, days, results.length, look, run)));
		const estimate = powerEstimate(results, metric, armSize, days, alpha);
		if (look === tests || powerDecided(Math.round(estimate.power * results.length), results.length, target)) return estimate;
		look = Math.min(tests, look * 2);
	}
}

/** Simulates tests `from` … `to` − 1: test s is control arm 2s and variant arm 2s + 1, whichever batch it falls in. */
async function simulateTests(control: Scenario, variant: Scenario, metric: TestMetric, armSize: number, days: number, from: number, to: number, run: ArmRunner): Promise<TestResult[]> {
	const arms: ArmJob[] = [];
	for (let s = from; s < to; s++) {
		arms.push({ scenario: armScenario(control, armSize, days), replication: 2 * s });
		arms.push({ scenario: armScenario(variant, armSize, days), replication: 2 * s + 1 });
	}
	const stats = await run(arms, metric, armSize);
	return Array.from({ length: to - from }, (_, s) => platformTest(metric, stats[2 * s], stats[2 * s + 1]));
}

/** The power and observed means of a set of simulated tests. */
function powerEstimate(results: TestResult[], metric: TestMetric, armSize: number, days: number, alpha: number): PowerEstimate {
	const tests = results.length;
	const meanControl = results.reduce((sum, r) => sum + r.control, 0) / tests;
	const meanVariant = results.reduce((sum, r) => sum + r.variant, 0) / tests;
	const direction = Math.sign(meanVariant - meanControl) || 1;
	const significant = results.filter((r) => r.pValue < alpha);
	const power = significant.filter((r) => Math.sign(r.diff) === direction).length / tests;
	const proportion = metric !== 'gmvPerUser';
	return {
		armSize,
		days,
		tests,
		power,
		powerStandardError: Math.sqrt((power * (1 - power)) / tests),
		significantShare: significant.length / tests,
		meanControl,
		meanVariant,
		meanLift: meanControl !== 0 ? meanVariant / meanControl - 1 : null,
		closedFormPower: proportion ? twoProportionPower(meanControl, meanVariant, armSize) : null
	};
}

export interface ArmSizeSearch {
	days: number;
	targetPower: number;
	/** The smallest simulated arm size reaching the target, or null when none of the sizes tried did. */
	armSize: number | null;
	/** The largest arm size the search may try: with no answer, the answer is "more than this many users per arm". */
	maxArmSize: number;
	/** The normal approximation's size from the pilot (proportions only): the scale to expect when the search gives up. */
	approximateArmSize: number | null;
	/** Every size tried, with its simulated power. */
	tried: PowerEstimate[];
}

/** Bounds of an arm-size search: what it may try, so its work is known before it starts. */
export interface SearchBounds {
	pilotSize?: number;
	/** Above this the search answers "more than maxArmSize users per arm" rather than simulate ever larger tests. */
	maxArmSize?: number;
	minArmSize?: number;
	/** Sizes tried at most, the pilot included: the search runs at most maxSizes × tests simulated tests (fewer when sizes are decided early). */
	maxSizes?: number;
	targetPower?: number;
}

/** Sizes a search tries at most, the pilot included. */
export const MAX_SEARCH_SIZES = 6;
/** Largest arm size a search tries by default: a bigger answer is reported as "more than this". */
export const MAX_SEARCH_ARM_SIZE = 20_000;

/** The most simulated tests a plan can run: one size at a given arm size, else the search's bound. */
export function plannedTests(tests: number, armSize: number | undefined, maxSizes = MAX_SEARCH_SIZES): number {
	return armSize === undefined ? tests * maxSizes : tests;
}

/**
 * Finds the arm size for 80% power at α = 0.05 within a fixed budget of at
 * most `maxSizes` sizes, none above `maxArmSize`: a pilot gives the effect
 * and the spread, the normal approximation a first size, and simulated power
 * then brackets the answer between the largest size that fell short and the
 * smallest that reached the target, narrowing (on a log scale) until they are
 * within 15% or the budget is spent. The answer is that smallest passing
 * size; when even `maxArmSize` falls short the answer is null ("more than
 * maxArmSize per arm"). The pilot always runs all its tests (its means set
 * the first guess); every other size stops once its power is decided.
 */
export async function searchArmSize(
	control: Scenario,
	variant: Scenario,
	metric: TestMetric,
	days: number,
	tests: number,
	run: ArmRunner,
	{ pilotSize = 2000, maxArmSize = MAX_SEARCH_ARM_SIZE, minArmSize = 10, maxSizes = MAX_SEARCH_SIZES, targetPower = 0.8 }: SearchBounds = {}
): Promise<ArmSizeSearch> {
	const tried: PowerEstimate[] = [];
	let low = 0; // largest size that fell short
	let high = Infinity; // smallest size that reached the target
	const clamp = (n: number) => Math.min(maxArmSize, Math.max(minArmSize, Math.round(n)));
	const at = async (n: number, pilot = false) => {
		const estimate = pilot
			? await simulatePower(control, variant, metric, n, days, tests, run)
			: await simulatePowerUntilDecided(control, variant, metric, n, days, tests, run, targetPower);
		tried.push(estimate);
		if (estimate.power >= targetPower) high = Math.min(high, n);
		else low = Math.max(low, n);
		return estimate;
	};
	const pilot = await at(clamp(pilotSize), true);
	const guess = approximateArmSize(pilot, metric);
	let n = clamp(guess && guess > low && guess < high ? guess : Number.isFinite(high) ? high / 4 : low * 4);
	while (tried.length < maxSizes) {
		if (tried.some((t) => t.armSize === n)) break;
		await at(n);
		if (Number.isFinite(high) && (high <= minArmSize || high / Math.max(low, minArmSize) < 1.15)) break;
		// Even the largest size allowed falls short: the answer is "more than maxArmSize".
		if (!Number.isFinite(high) && low >= maxArmSize) break;
		n = clamp(Number.isFinite(high) ? (low === 0 ? high / 4 : Math.sqrt(low * high)) : low * 4);
	}
	tried.sort((a, b) => a.armSize - b.armSize);
	return { days, targetPower, armSize: Number.isFinite(high) ? high : null, maxArmSize, approximateArmSize: guess, tried };
}

/** Normal-approximation arm size for 80% power, from a pilot's observed means and per-user variances. */
function approximateArmSize(pilot: PowerEstimate, metric: TestMetric): number | null {
	const delta = pilot.meanVariant - pilot.meanControl;
	if (delta === 0) return null;
	if (metric === 'gmvPerUser') return null; // per-user variances are not kept in the estimate; the search brackets instead
	const variance = pilot.meanControl * (1 - pilot.meanControl) + pilot.meanVariant * (1 - pilot.meanVariant);
	return Math.ceil(((Z_975 + Z_80) ** 2 * variance) / (delta * delta));
}
