import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/lib/engine/model';
import { runReplications } from '../../src/lib/engine/run';
import { stageSeries } from '../../src/lib/engine/output';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { generator, occupancy } from '../oracles/markov';
import { funnelScenario } from '../helpers/scenarios';

describe('funnel stages follow the continuous-time Markov chain', () => {
	it('mean occupancy of every stage is within 4 standard errors of exp(Q)^t on every day', () => {
		const people = 40_000;
		const scenario = parseScenario(funnelScenario(people));
		const model = compileModel(scenario);
		const moves = scenario.stages.flatMap((st, from) =>
			st.transitions.map((tr) => ({ from, to: model.stageIds.indexOf(tr.to), dailyProbability: tr.dailyProbability }))
		);
		const p0 = scenario.stages.map((st) => scenario.population.initialStages[st.id] ?? 0);
		const expected = occupancy(generator(scenario.stages.length, moves), p0, scenario.horizonDays);

		const [out] = runReplications(scenario, 1);
		/** The largest |z| over stages and days of the simulated counts against an occupancy forecast. */
		const worstZ = (forecast: number[][], check: boolean) => {
			let worst = 0;
			for (let s = 0; s < scenario.stages.length; s++) {
				const counts = stageSeries(out, s);
				for (let d = 0; d < scenario.horizonDays; d++) {
					const p = forecast[d][s];
					// Each person's stage is an independent draw with these shares (the initial stage too), so counts are binomial.
					const se = Math.sqrt((people * p * (1 - p)) || 1);
					const z = Math.abs(counts[d] - people * p) / se;
					worst = Math.max(worst, z);
					if (check) expect(z, `stage ${scenario.stages[s].id} day ${d}: ${counts[d]} vs ${people * p}`).toBeLessThan(4);
				}
			}
			return worst;
		};
		worstZ(expected, true);
		// The check has power: a chain whose every move is 10% more likely a day is told apart from the simulation.
		const faster = moves.map((m) => ({ ...m, dailyProbability: m.dailyProbability * 1.1 }));
		expect(worstZ(occupancy(generator(scenario.stages.length, faster), p0, scenario.horizonDays), false)).toBeGreaterThan(4);
	});
});
