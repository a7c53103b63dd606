/** Side by side with one policy switched on: the base has it switched off, the comparison patch switches it back on. */
import type { ScenarioInput } from '../engine/scenario/schema';

type PolicyInput = NonNullable<ScenarioInput['policies']>[number];

export interface PolicySwitch {
	base: ScenarioInput;
	/** A JSON Merge Patch: arrays are replaced whole, so it carries the full policy list. */
	compare: Record<string, unknown>;
}

/** The policies a class can switch on and off (fixed operating costs change nobody's behaviour). */
export function switchablePolicies(scenario: ScenarioInput): PolicyInput[] {
	return (scenario.policies ?? []).filter((p) => p.type !== 'fixedCost');
}

/** The scenario without the policy, and the patch that adds it back. */
export function switchPolicy(scenario: ScenarioInput, policyId: string): PolicySwitch {
	const policies = scenario.policies ?? [];
	const withPolicy = policies.map((p) => (p.id === policyId ? { ...p, enabled: true } : p));
	const without = policies.map((p) => (p.id === policyId ? { ...p, enabled: false } : p));
	return { base: { ...scenario, policies: without }, compare: { policies: withPolicy } };
}
