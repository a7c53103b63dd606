import { describe, expect, it } from 'vitest';
import { fitBySimulation } from '../../src/lib/calibration/simulationFit';
import { seriesOf } from '../../src/lib/engine/output';
import { runReplications } from '../../src/lib/engine/run';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { readFileSync } from 'node:fs';

describe('fitting funnel rates by simulation', () => {
	it('recovers the considering → first purchase rate from weekly new customers, within 3 standard errors', () => {
		const raw = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));
		// 4,000 at the start and a quarter of the paid inflow (200 a day): about 15,000 people, enough for a
		// standard error near 0.0024 on a rate of 0.06, and a fit of about 50 evaluations takes seconds, not half a minute.
		raw.population.initial = 4_000;
		for (const channel of raw.channels) if (channel.kind !== 'referral') channel.prospectsPerDay /= 4;
		raw.horizonDays = 56;
		const pointer = '/stages/2/transitions/0/dailyProbability';
		const truth = 0.06;
		// "Observed": one run of the true scenario with a seed the fit never uses.
		const observedRun = runReplications(parseScenario({ ...raw, seed: 999 }), 1)[0];
		const daily = seriesOf(observedRun, 'newCustomers');
		const observed = Array.from({ length: 8 }, (_, w) => daily.slice(7 * w, 7 * w + 7).reduce((s, x) => s + x, 0));
		const fit = fitBySimulation(raw, [{ pointer, low: 0.001, high: 0.3, start: 0.02 }], { series: 'newCustomers', periodDays: 7, observed }, 3);
		const se = fit.standardErrors[pointer]!;
		expect(se).toBeGreaterThan(0);
		expect(Math.abs(fit.values[pointer] - truth) / se).toBeLessThan(3);
		expect(fit.chiSquare / fit.degreesOfFreedom).toBeLessThan(3);
	});
});
