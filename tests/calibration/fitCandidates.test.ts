import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitCandidates, fittedParameter } from '../../src/lib/calibration/fitCandidates';
import { observedCounts, parseObservedCurve } from '../../src/lib/calibration/observedCurve';
import { fitBySimulation } from '../../src/lib/calibration/simulationFit';
import { parseTransactions } from '../../src/lib/calibration/transactions';
import { parseScenario } from '../../src/lib/engine/scenario/validate';

const sixStage = parseScenario(JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8')));

describe('what a simulation fit may choose', () => {
	it('offers every funnel move, each non-referral channel, the segments’ referral rates and the initial population', () => {
		const candidates = fitCandidates(sixStage);
		const kinds = candidates.map((c) => c.kind);
		expect(kinds.filter((k) => k === 'transition')).toHaveLength(7);
		expect(candidates.filter((c) => c.kind === 'inflow').map((c) => c.channel)).toEqual(['paid_ads', 'kol']);
		expect(kinds.filter((k) => k === 'inviteConversion')).toHaveLength(3);
		const consider = candidates.find((c) => c.pointer === '/stages/2/transitions/0/dailyProbability')!;
		expect(consider).toMatchObject({ from: 'considering', to: 'first_purchase', value: 0.06, low: 1e-4, high: 0.5 });
		expect(candidates.at(-1)).toMatchObject({ pointer: '/population/initial', value: 100000, low: 10000, high: 1e6, integer: true });
	});

	it('starts a fit strictly inside its bounds', () => {
		expect(fittedParameter('/x', 0, 0, 1).start).toBeCloseTo(0.001);
		expect(fittedParameter('/x', 5, 0, 1).start).toBeCloseTo(0.999);
		expect(fittedParameter('/x', 0.3, 0, 1).start).toBe(0.3);
	});
});

describe('the observed curve', () => {
	it('reads period,value rows and names the line of a bad one', () => {
		expect(parseObservedCurve('\uFEFFperiod,value\r\n0,12\r\n1,7.5\r\n')).toEqual([12, 7.5]);
		expect(() => parseObservedCurve('period,value\n0,1\n1,-2\n')).toThrow('line 3: value must be a count ≥ 0, got "-2"');
		expect(() => parseObservedCurve('period,value\n0,1,2\n')).toThrow('line 2: expected 2 fields');
	});

	it('counts first, all and repeat purchases per week from the log’s first day, one per customer a day, whole weeks only', () => {
		const log = parseTransactions('customer_id,date,amount\na,2024-01-01,1\na,2024-01-01,1\nb,2024-01-03,1\na,2024-01-09,1\nc,2024-01-10,1\nb,2024-01-15,1\n', { id: 'customer_id', date: 'date', amount: 'amount' });
		expect(observedCounts(log, 'newCustomers', 7)).toEqual([2, 1]);
		expect(observedCounts(log, 'purchases', 7)).toEqual([2, 2]);
		expect(observedCounts(log, 'repeatPurchases', 7)).toEqual([0, 1]);
		expect(observedCounts(log, 'purchases', 7, 1)).toEqual([2]);
	});
});

describe('fitting by simulation', () => {
	it('tells its progress once per evaluation, and keeps a whole-number value whole', () => {
		const tiny = { ...sixStage, channels: sixStage.channels.filter((c) => c.kind === 'referral'), population: { ...sixStage.population, initial: 300 } };
		const heard: number[] = [];
		const fit = fitBySimulation(tiny, [fittedParameter('/population/initial', 300, 100, 1000, true)], { series: 'newCustomers', periodDays: 7, observed: [40, 30] }, 1, (n) => heard.push(n));
		expect(heard).toEqual(Array.from({ length: fit.evaluations }, (_, i) => i + 1));
		expect(Number.isInteger(fit.values['/population/initial'])).toBe(true);
	});
});
