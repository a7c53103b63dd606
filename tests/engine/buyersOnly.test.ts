import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/lib/engine/model';
import type { RunOutput } from '../../src/lib/engine/output';
import type { Policy } from '../../src/lib/engine/policies/policy';
import { createPolicies } from '../../src/lib/engine/policies/registry';
import { Simulation } from '../../src/lib/engine/simulation';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import { builtIn } from '../helpers/scenarios';

// The engine asks a policy marked buyersOnly about buyers only: a speed-up that
// must never change results. Scenarios with every policy that carries the mark:
// onboarding, points and birthday (three-level-retention), win-back (industry-leader).
const scenarios = ['three-level-retention', 'industry-leader'].map((name) =>
	builtIn(name, (raw) => {
		// Smaller than the built-in, for a quick test; the same policies.
		(raw.population as { initial: number }).initial = 3000;
		raw.horizonDays = 240;
	})
);

function simulation(scenario: Scenario, unmark: boolean): Simulation {
	const model = compileModel(scenario);
	const policies: Policy[] = createPolicies(model);
	// Without the mark the engine asks the policy about everyone, as it did before the mark existed.
	if (unmark) for (const p of policies) if (p.buyersOnly) Object.defineProperty(p, 'buyersOnly', { value: false });
	return new Simulation(model, policies, { seed: scenario.seed, replication: 0, shard: 0, shards: 1, initialAgents: scenario.population.initial });
}

function arrays(out: RunOutput): Float64Array[] {
	return Object.values(out).filter((v): v is Float64Array => v instanceof Float64Array);
}

describe('policies marked buyersOnly', () => {
	it('are marked where the scenarios below exercise them', () => {
		const marked = scenarios.flatMap((s) => createPolicies(compileModel(s)).filter((p) => p.buyersOnly).map((p) => p.constructor.name));
		expect(new Set(marked)).toEqual(new Set(['Onboarding', 'PointsProgramme', 'BirthdayBenefit', 'WinBack']));
	});

	it.each(scenarios.map((s) => [s.name, s] as const))('have no deadline for anyone who has not bought yet (%s)', (_name, scenario) => {
		const sim = simulation(scenario, false);
		const marked = sim.policies.filter((p) => p.buyersOnly);
		let prospectsSeen = 0;
		const finite: string[] = [];
		while (!sim.finished) {
			sim.step();
			if (sim.day % 60 !== 0) continue;
			for (let a = 0; a < sim.population.size; a++) {
				if (sim.population.firstPurchaseTime(a) >= 0) continue;
				prospectsSeen++;
				for (const p of marked) if (p.deadline!(sim, a) !== Infinity) finite.push(`${p.id}: agent ${a} on day ${sim.day}`);
			}
		}
		expect(finite.slice(0, 5)).toEqual([]);
		expect(prospectsSeen).toBeGreaterThan(1000);
	});

	it.each(scenarios.map((s) => [s.name, s] as const))('give bit-identical results to asking them about everyone (%s)', (_name, scenario) => {
		const marked = arrays(simulation(scenario, false).run());
		const unmarked = arrays(simulation(scenario, true).run());
		expect(marked.length).toBeGreaterThan(5);
		marked.forEach((column, i) => expect(Array.from(column)).toEqual(Array.from(unmarked[i])));
	});
});
