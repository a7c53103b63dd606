import { describe, expect, it } from 'vitest';
import { expectedRepeatPurchases } from '../../src/lib/calibration/bgnbd';
import { compileModel } from '../../src/lib/engine/model';
import { seriesOf, stageSeries } from '../../src/lib/engine/output';
import { RISK_PURCHASE, type Policy } from '../../src/lib/engine/policies/policy';
import { createPolicies } from '../../src/lib/engine/policies/registry';
import { createShardSimulation, runShard } from '../../src/lib/engine/run';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { Simulation } from '../../src/lib/engine/simulation';
import { builtIn, purchaseCohortScenario } from '../helpers/scenarios';

/** A policy written for this test only: from `fromDay` on, every customer buys `factor` times as fast. */
class SpeedUp implements Policy {
	readonly id = 'speed-up';
	constructor(
		private readonly fromDay: number,
		private readonly factor: number
	) {}
	beginDay(sim: Simulation, day: number): void {
		if (day !== this.fromDay) return;
		// The rate changes now: redraw everyone's next event (memorylessness keeps this exact).
		for (let a = 0; a < sim.population.size; a++) sim.redraw(a, day);
	}
	rateMultiplier(sim: Simulation, _agent: number, risk: number): number {
		return risk === RISK_PURCHASE && sim.day >= this.fromDay ? this.factor : 1;
	}
}

describe('policies plug into the engine without touching its core', () => {
	it('a rate change redrawn mid-run is exact: doubling the purchase rate from day 60 is a time change of the BG/NBD process', () => {
		const params = { r: 1.5, alphaDays: 40, a: 2.5, b: 4 };
		const people = 4000;
		const replications = 24;
		const scenario = parseScenario(purchaseCohortScenario(people, params, 150));
		const model = compileModel(scenario);
		const perCustomer = (t: number) =>
			Array.from({ length: replications }, (_, replication) => {
				const sim = new Simulation(model, [...createPolicies(model), new SpeedUp(60, 2)], {
					seed: scenario.seed,
					replication,
					shard: 0,
					shards: 1,
					initialAgents: people
				});
				return seriesOf(sim.run(), 'repeatPurchases').subarray(0, t).reduce((s, x) => s + x, 0) / people;
			});
		for (const t of [30, 90, 150]) {
			const values = perCustomer(t);
			const mean = values.reduce((s, x) => s + x, 0) / replications;
			const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (replications - 1));
			// After day 60 the process runs at twice the speed: it reaches at day t what it would at 60 + 2(t − 60).
			const effectiveTime = t <= 60 ? t : 60 + 2 * (t - 60);
			const expected = expectedRepeatPurchases({ r: params.r, alpha: params.alphaDays, a: params.a, b: params.b }, effectiveTime);
			expect(Math.abs(mean - expected) / (sd / Math.sqrt(replications)), `t=${t}: ${mean} vs ${expected}`).toBeLessThan(4);
		}
	});

	it('stepping day by day gives exactly what a whole run gives, with live stage counts matching the output', () => {
		const scenario = builtIn('six-stage', (raw) => {
			raw.population.initial = 3000;
			raw.horizonDays = 60;
		});
		const whole = runShard(scenario, { replication: 0, shard: 0 });
		const stepped = createShardSimulation(scenario, { replication: 0, shard: 0 });
		while (!stepped.finished) {
			const day = stepped.day;
			stepped.step();
			stepped.stageCounts.forEach((count, s) => expect(stageSeries(stepped.output, s)[day]).toBe(count));
		}
		expect(stepped.output).toEqual(whole);
	});
});
