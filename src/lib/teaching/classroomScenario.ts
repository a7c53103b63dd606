/**
 * The scenario a classroom shows: the same people and rules as the scenario
 * it comes from, shrunk to a class-sized population. Paid, KOL, content and
 * offline channels are switched off (their thousands of arrivals a day would
 * drown a few hundred dots), so the class follows one closed group of people;
 * the referral channel stays, so friends invited by customers still join.
 */
import { mergePatch } from '../experiment/mergePatch';
import type { Scenario } from '../engine/scenario/schema';
import { validateScenario, type ScenarioResult } from '../engine/scenario/validate';

export const MIN_AGENTS = 50;
export const MAX_AGENTS = 2000;
export const DEFAULT_AGENTS = 300;

/** The classroom version of a raw scenario (optionally patched first), validated; problems are the scenario's own. */
export function classroomScenario(raw: unknown, agents: number, patch?: Record<string, unknown>): ScenarioResult {
	const patched = patch ? mergePatch(raw, patch) : raw;
	const checked = validateScenario(patched);
	if (!checked.ok) return checked;
	return { ok: true, scenario: shrink(checked.scenario, agents) };
}

/** A copy of the scenario with `agents` people on day 0 and only referral arrivals. */
function shrink(scenario: Scenario, agents: number): Scenario {
	const copy = structuredClone(scenario);
	copy.population.initial = Math.round(Math.min(MAX_AGENTS, Math.max(MIN_AGENTS, agents)));
	copy.channels = copy.channels.map((c) => (c.kind === 'referral' ? c : { ...c, prospectsPerDay: 0, costPerDay: 0 }));
	return copy;
}
