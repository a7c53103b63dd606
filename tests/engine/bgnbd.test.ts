import { describe, expect, it } from 'vitest';
import { expectedRepeatPurchases } from '../../src/lib/calibration/bgnbd';
import { seriesOf } from '../../src/lib/engine/output';
import { runReplications } from '../../src/lib/engine/run';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { purchaseCohortScenario } from '../helpers/scenarios';

describe('a cohort of first-time buyers repurchases as the BG/NBD model says', () => {
	const parameterSets = [
		// CDNOW's fit (Fader, Hardie & Lee 2005), α converted from weeks to days.
		{ name: 'CDNOW', r: 0.243, alphaDays: 4.414 * 7, a: 0.793, b: 2.426 },
		{ name: 'frequent buyers', r: 1.5, alphaDays: 40, a: 2.5, b: 4 }
	];
	for (const p of parameterSets) {
		it(`mean cumulative repeat purchases are within 4 standard errors of E[X(t)] (${p.name})`, () => {
			const people = 5000;
			const replications = 24;
			const scenario = parseScenario(purchaseCohortScenario(people, p, 365));
			const outputs = runReplications(scenario, replications);
			for (const t of [7, 30, 90, 180, 365]) {
				const perCustomer = outputs.map((out) => seriesOf(out, 'repeatPurchases').subarray(0, t).reduce((s, x) => s + x, 0) / people);
				const mean = perCustomer.reduce((s, x) => s + x, 0) / replications;
				const sd = Math.sqrt(perCustomer.reduce((s, x) => s + (x - mean) ** 2, 0) / (replications - 1));
				const expected = expectedRepeatPurchases({ r: p.r, alpha: p.alphaDays, a: p.a, b: p.b }, t);
				const z = Math.abs(mean - expected) / (sd / Math.sqrt(replications));
				expect(z, `t=${t}: simulated ${mean.toFixed(4)}, closed form ${expected.toFixed(4)}`).toBeLessThan(4);
			}
		});
	}
});
