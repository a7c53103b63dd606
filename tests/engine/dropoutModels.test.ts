/**
 * The engine simulates each buy-till-you-die model the calibration fits, and
 * the calibration's closed forms (independent of the engine's code) are the
 * oracle, as tests/engine/bgnbd.test.ts does for BG/NBD.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mbgnbdExpected } from '../../src/lib/calibration/mbgnbd';
import { paretoNbdExpected } from '../../src/lib/calibration/paretoNbd';
import { seriesOf, type RunOutput, type SeriesName } from '../../src/lib/engine/output';
import { combineShards, runReplications, shardTasks } from '../../src/lib/engine/run';
import type { Dropout } from '../../src/lib/engine/scenario/schema';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { buildReport } from '../../src/lib/experiment/report';
import { createNodePool } from '../../src/lib/workers/nodePool';
import type { WorkerPool } from '../../src/lib/workers/pool';
import { builtIn, purchaseCohortScenario } from '../helpers/scenarios';

/** A cohort that all first-buy at time 0 and then buy and leave as `dropout` says. */
function cohort(people: number, purchaseRate: { r: number; alphaDays: number }, dropout: Dropout, horizonDays: number) {
	const input = purchaseCohortScenario(people, { ...purchaseRate, a: 1, b: 1 }, horizonDays);
	input.segments[0].dropout = dropout;
	return parseScenario(input);
}

/** Per replication, the series summed over days [0, t) and divided by `people`. */
function perPerson(outputs: RunOutput[], series: SeriesName, t: number, people: number): number[] {
	return outputs.map((out) => seriesOf(out, series).subarray(0, t).reduce((s, x) => s + x, 0) / people);
}

/** How many standard errors of the mean lie between the replications' mean and `expected`. */
function zScore(values: number[], expected: number): { mean: number; z: number } {
	const n = values.length;
	const mean = values.reduce((s, x) => s + x, 0) / n;
	const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
	return { mean, z: Math.abs(mean - expected) / (sd / Math.sqrt(n)) };
}

const HORIZONS = [7, 30, 90, 180, 365];

describe('a cohort of first-time buyers repurchases as the MBG/NBD model says', () => {
	const parameterSets = [
		{ name: 'rare buyers', r: 0.3, alphaDays: 30, a: 0.8, b: 2.5 },
		{ name: 'frequent buyers', r: 1.5, alphaDays: 40, a: 2.5, b: 4 }
	];
	for (const p of parameterSets) {
		it(`mean cumulative repeat purchases are within 4 standard errors of E[X(t)] (${p.name})`, () => {
			const people = 5000;
			const outputs = runReplications(cohort(people, p, { model: 'mbgnbd', a: p.a, b: p.b }, 365), 24);
			for (const t of HORIZONS) {
				const expected = mbgnbdExpected({ r: p.r, alpha: p.alphaDays, a: p.a, b: p.b }, t);
				const { mean, z } = zScore(perPerson(outputs, 'repeatPurchases', t, people), expected);
				expect(z, `t=${t}: simulated ${mean.toFixed(4)}, closed form ${expected.toFixed(4)}`).toBeLessThan(4);
			}
		});
	}

	it('a customer may leave right at the first purchase, with the mean dropout chance a/(a + b)', () => {
		// Purchases so rare that nobody buys again on day 0: day 0's latent churn is the departures at the first purchase.
		const people = 20000;
		const a = 1;
		const b = 3;
		const outputs = runReplications(cohort(people, { r: 0.01, alphaDays: 1e6 }, { model: 'mbgnbd', a, b }, 5), 4);
		const { mean, z } = zScore(perPerson(outputs, 'latentChurn', 1, people), a / (a + b));
		expect(z, `left at the first purchase: ${mean.toFixed(4)}`).toBeLessThan(4);
	});
});

describe('a cohort of first-time buyers repurchases as the Pareto/NBD model says', () => {
	const parameterSets = [
		// CDNOW's Pareto/NBD fit (Fader & Hardie's 2005 note on the Pareto/NBD), α and β converted from weeks to days.
		{ name: 'CDNOW', r: 0.5534, alphaDays: 10.5802 * 7, s: 0.6061, betaDays: 11.6562 * 7 },
		{ name: 'frequent buyers', r: 1.5, alphaDays: 40, s: 2, betaDays: 300 }
	];
	for (const p of parameterSets) {
		it(`mean cumulative repeat purchases are within 4 standard errors of E[X(t)] (${p.name})`, () => {
			const people = 5000;
			const outputs = runReplications(cohort(people, p, { model: 'paretoNbd', s: p.s, betaDays: p.betaDays }, 365), 24);
			for (const t of HORIZONS) {
				const expected = paretoNbdExpected({ r: p.r, alpha: p.alphaDays, s: p.s, beta: p.betaDays }, t);
				const { mean, z } = zScore(perPerson(outputs, 'repeatPurchases', t, people), expected);
				expect(z, `t=${t}: simulated ${mean.toFixed(4)}, closed form ${expected.toFixed(4)}`).toBeLessThan(4);
			}
		});
	}

	it('customers die in continuous time, buying or not: the share still alive at t is (β/(β + t))^s', () => {
		// Next to no purchases: under a dropout that happens only at purchases, nearly everyone would still be alive.
		const people = 20000;
		const s = 0.8;
		const betaDays = 60;
		const outputs = runReplications(cohort(people, { r: 0.01, alphaDays: 1e6 }, { model: 'paretoNbd', s, betaDays }, 365), 4);
		for (const t of [1, 3, 10, 30, 90, 365]) {
			const alive = perPerson(outputs, 'latentChurn', t, people).map((died) => 1 - died);
			const expected = (betaDays / (betaDays + t)) ** s;
			const { mean, z } = zScore(alive, expected);
			// The standard error from the binomial, not from four replications' spread.
			const se = Math.sqrt((expected * (1 - expected)) / (people * outputs.length));
			expect(Math.abs(mean - expected) / se, `t=${t}: alive ${mean.toFixed(4)}, closed form ${expected.toFixed(4)} (z across replications ${z.toFixed(1)})`).toBeLessThan(4);
		}
		const purchases = outputs.reduce((sum, out) => sum + seriesOf(out, 'repeatPurchases').reduce((s, x) => s + x, 0), 0);
		expect(purchases, 'almost nobody bought again').toBeLessThan(10);
	});

	it('a customer who dies leaves the active customers that day, and is counted churned', () => {
		const people = 2000;
		const scenario = cohort(people, { r: 0.01, alphaDays: 1e6 }, { model: 'paretoNbd', s: 1, betaDays: 10 }, 60);
		const [out] = runReplications(scenario, 1);
		const active = seriesOf(out, 'activeCustomers');
		const died = perPerson([out], 'latentChurn', 20, 1)[0];
		// Everyone bought on day 0, so within the 30-day active window the active are exactly the living.
		expect(active[19]).toBe(people - died);
		const churned = out.stages[scenario.stages.findIndex((st) => st.kind === 'churned') * out.days + 19];
		expect(churned).toBe(died);
	});
});

describe('a seed fixes a run with MBG/NBD and Pareto/NBD customers', () => {
	// 40,000 people make three shards, so worker counts really split the work differently.
	const scenario = builtIn('six-stage', (raw) => {
		raw.population.initial = 40_000;
		raw.horizonDays = 120;
		raw.segments[0].dropout = { model: 'paretoNbd', s: 0.8, betaDays: 200 };
		raw.segments[1].dropout = { model: 'mbgnbd', a: 1, b: 3 };
	});
	const pools: WorkerPool[] = [];
	afterAll(() => pools.forEach((p) => p.close()));

	it('gives byte-identical results on 1 and 3 workers and on the calling thread', async () => {
		const replications = 2;
		const local = JSON.stringify(buildReport(scenario, runReplications(scenario, replications), 0));
		for (const workers of [1, 3]) {
			const pool = createNodePool(workers);
			pools.push(pool);
			const parts = await pool.run(scenario, shardTasks(scenario, replications));
			expect(JSON.stringify(buildReport(scenario, combineShards(parts, replications), 0))).toBe(local);
		}
	});
});
