import { describe, expect, it } from 'vitest';
import { COST_KINDS, costSeries, seriesOf, stageSeries } from '../../src/lib/engine/output';
import { runReplications } from '../../src/lib/engine/run';
import { builtIn } from '../helpers/scenarios';

describe('people and money are conserved', () => {
	const scenario = builtIn('six-stage', (raw) => {
		raw.population.initial = 20_000;
		raw.horizonDays = 240;
	});
	const [out] = runReplications(scenario, 1);
	const days = scenario.horizonDays;

	it('every person is in exactly one stage on every day', () => {
		const population = seriesOf(out, 'population');
		for (let d = 0; d < days; d++) {
			let inStages = 0;
			for (let s = 0; s < scenario.stages.length; s++) inStages += stageSeries(out, s)[d];
			expect(inStages, `day ${d}`).toBe(population[d]);
		}
	});

	it('the population grows by exactly the prospects acquired', () => {
		const population = seriesOf(out, 'population');
		const acquired = seriesOf(out, 'prospectsAcquired');
		let expected = scenario.population.initial;
		for (let d = 0; d < days; d++) {
			expected += acquired[d];
			expect(population[d], `day ${d}`).toBe(expected);
		}
	});

	it('each stage ends with what came in minus what left, plus the people who started or arrived there', () => {
		const n = scenario.stages.length;
		const startedOrArrived = new Set([...Object.keys(scenario.population.initialStages), ...scenario.channels.map((c) => c.startStage)]);
		let moves = 0;
		for (let s = 0; s < n; s++) {
			let net = 0;
			for (let other = 0; other < n; other++) net += out.flows[other * n + s] - out.flows[s * n + other];
			moves += net === 0 ? 0 : 1;
			const last = stageSeries(out, s)[days - 1];
			if (startedOrArrived.has(scenario.stages[s].id)) expect(last - net, scenario.stages[s].id).toBeGreaterThanOrEqual(0);
			else expect(last, scenario.stages[s].id).toBe(net);
		}
		expect(moves).toBeGreaterThan(3);
	});

	it('gross profit is GMV × margin − discounts, day by day', () => {
		const gmv = seriesOf(out, 'gmv');
		const discounts = seriesOf(out, 'discounts');
		const grossProfit = seriesOf(out, 'grossProfit');
		for (let d = 0; d < days; d++) {
			expect(grossProfit[d]).toBeCloseTo(gmv[d] * scenario.economics.grossMargin - discounts[d], 6);
		}
	});

	it('programme cost is the sum of the cost kinds, and fixed cost is booked exactly', () => {
		const programme = seriesOf(out, 'programmeCost');
		for (let d = 0; d < days; d++) {
			const byKind = COST_KINDS.reduce((s, kind) => s + costSeries(out, kind)[d], 0);
			expect(programme[d]).toBeCloseTo(byKind, 6);
			expect(costSeries(out, 'fixed')[d]).toBeCloseTo(3000, 6);
		}
	});

	it('new customers equal first purchases, and purchases split into first and repeat', () => {
		const total = (name: Parameters<typeof seriesOf>[1]) => seriesOf(out, name).reduce((s, x) => s + x, 0);
		expect(total('purchases')).toBe(total('newCustomers') + total('repeatPurchases'));
		expect(out.cohortSizes.reduce((s, x) => s + x, 0)).toBe(total('newCustomers'));
		expect(total('referredProspects')).toBeLessThanOrEqual(total('invites'));
		expect(total('referredProspects')).toBeGreaterThan(0);
	});

	it('active customers never exceed live customers, and every cohort is fully active in its first period', () => {
		const active = seriesOf(out, 'activeCustomers');
		const live = scenario.stages.map((st, s) => (st.kind === 'customer' || st.kind === 'lapsed' ? s : -1)).filter((s) => s >= 0);
		for (let d = 0; d < days; d++) {
			const alive = live.reduce((sum, s) => sum + stageSeries(out, s)[d], 0);
			expect(active[d]).toBeLessThanOrEqual(alive);
			expect(active[d]).toBeGreaterThanOrEqual(0);
		}
		for (let c = 0; c < out.cohortPeriods; c++) {
			expect(out.cohortActive[c * out.cohortPeriods + c]).toBe(out.cohortSizes[c]);
		}
	});
});
