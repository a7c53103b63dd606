/**
 * Each purchase model's E[X(t)] for a new customer must agree with its own
 * conditional expectation for a customer with no history yet (x = t_x = T = 0):
 * two closed forms derived separately, so a slip in either shows.
 */
import { describe, expect, it } from 'vitest';
import { BGNBD } from '../../src/lib/calibration/bgnbdFit';
import { MBGNBD } from '../../src/lib/calibration/mbgnbd';
import { PARETO_NBD } from '../../src/lib/calibration/paretoNbd';

const PARAMS = {
	// CDNOW's published fits (weeks): Fader, Hardie & Lee 2005; lifetimes' MBG/NBD example (a < 1); Fader & Hardie's Pareto/NBD note.
	bgnbd: [{ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { r: 1.5, alpha: 40, a: 2.5, b: 4 }],
	mbgnbd: [{ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, { r: 1.5, alpha: 40, a: 2.5, b: 4 }],
	paretoNbd: [{ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, { r: 1.5, alpha: 40, s: 2, beta: 300 }]
};

describe('E[X(t)] of a new customer is the conditional expectation given no history', () => {
	for (const model of [BGNBD, MBGNBD, PARETO_NBD]) {
		it(model.label, () => {
			for (const params of PARAMS[model.id as keyof typeof PARAMS]) {
				for (const t of [1, 7, 39, 78, 365]) {
					const unconditional = model.expectedRepeatPurchases(params, t);
					const conditional = model.conditionalExpectedPurchases(params, 0, 0, 0, t);
					expect(unconditional, `${JSON.stringify(params)} t=${t}`).toBeGreaterThan(0);
					expect(Math.abs(unconditional / conditional - 1), `${JSON.stringify(params)} t=${t}: ${unconditional} vs ${conditional}`).toBeLessThan(1e-9);
				}
			}
		});
	}
});
