/**
 * The calibrated scenario carries the model the analyst chose: its customers
 * are simulated as that model says (BG/NBD, MBG/NBD or Pareto/NBD), checked
 * against the model's own E[X(t)] with CDNOW's published fits.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibratedScenario } from '../../src/lib/calibration/calibratedScenario';
import { PURCHASE_MODEL } from '../../src/lib/calibration/purchaseModels';
import type { PurchaseModelId } from '../../src/lib/calibration/purchaseModel';
import { seriesOf } from '../../src/lib/engine/output';
import { runReplications } from '../../src/lib/engine/run';
import type { ScenarioInput } from '../../src/lib/engine/scenario/schema';
import { parseScenario } from '../../src/lib/engine/scenario/validate';

const base = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8')) as ScenarioInput;
const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
const source = { file: 'cdnow.csv', calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', customers: 2357 };
// CDNOW's published fits, in weeks (Fader, Hardie & Lee 2005; lifetimes' MBG/NBD example; Fader & Hardie's Pareto/NBD note).
const FITS: Record<string, Record<string, number>> = {
	bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
	mbgnbd: { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
	paretoNbd: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }
};
const DROPOUTS: Record<string, unknown> = {
	bgnbd: { a: 0.793, b: 2.426 },
	mbgnbd: { model: 'mbgnbd', a: 0.891, b: 1.614 },
	paretoNbd: { model: 'paretoNbd', s: 0.606, betaDays: 11.669 * 7 }
};

describe('a calibrated scenario simulates the model it was fitted with', () => {
	for (const [id, params] of Object.entries(FITS)) {
		const model = PURCHASE_MODEL[id as PurchaseModelId];
		it(`${model.label}: the dropout is the model's, the description names it, and a cohort repurchases as it says`, () => {
			const scenario = calibratedScenario(base, model.id, params, 7, spend, source);
			const segment = scenario.segments[0];
			expect(segment.dropout).toEqual(DROPOUTS[id]);
			expect(segment.purchaseRate.alphaDays).toBeCloseTo(params.alpha * 7, 10);
			expect(scenario.description?.en).toContain(model.label);
			expect(scenario.description?.['zh-CN']).toContain(model.label);
			// As written to a file and read back.
			expect(parseScenario(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);

			// A cohort that all first-buy on day 0, with no inflow and no invitations to add buyers.
			const people = 4000;
			const cohort = parseScenario({
				...scenario,
				population: { initial: people, initialStages: { first_purchase: 1 } },
				channels: [],
				policies: [],
				segments: [{ ...segment, referral: { invitesPerYear: 0, conversion: 0 } }]
			});
			const replications = 12;
			const outputs = runReplications(cohort, replications);
			for (const days of [91, 364]) {
				const values = outputs.map((out) => seriesOf(out, 'repeatPurchases').subarray(0, days).reduce((s, x) => s + x, 0) / people);
				const mean = values.reduce((s, x) => s + x, 0) / replications;
				const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (replications - 1));
				const expected = model.expectedRepeatPurchases(params, days / 7);
				expect(Math.abs(mean - expected) / (sd / Math.sqrt(replications)), `${days} days: simulated ${mean.toFixed(4)}, closed form ${expected.toFixed(4)}`).toBeLessThan(4);
			}
		});
	}

	it('refuses BG/BB, whose discrete occasions the engine does not simulate', () => {
		expect(() => calibratedScenario(base, 'bgbb', { alpha: 1, beta: 1, gamma: 1, delta: 1 }, 7, spend, source)).toThrow(/discrete occasions/);
	});
});
