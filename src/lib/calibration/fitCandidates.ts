/**
 * The values of a scenario that a simulation fit may choose, with bounds a
 * user can start from: each funnel move's daily probability, each channel's
 * daily inflow, the referral rates (segments' and a referral programme's) and
 * the initial population. Transaction logs cannot identify these; the BG/NBD
 * and spend values they can are left to the likelihood fit.
 */
import type { Scenario } from '../engine/scenario/schema';
import { validateScenario, type ScenarioProblem } from '../engine/scenario/validate';
import { setAtPointer } from '../engine/scenario/jsonPointer';
import type { FittedParameter } from './simulationFit';

export type FitCandidateKind = 'transition' | 'inflow' | 'invitesPerYear' | 'inviteConversion' | 'inviteRateMultiplier' | 'conversionMultiplier' | 'initialPopulation';

export interface FitCandidate {
	pointer: string;
	kind: FitCandidateKind;
	/** The scenario's current value. */
	value: number;
	low: number;
	high: number;
	integer?: boolean;
	/** Ids of what the value belongs to, for its label: the stages of a move, a channel, a segment or a policy. */
	from?: string;
	to?: string;
	channel?: string;
	segment?: string;
	policy?: string;
}

/** Bounds around `value` spanning `factor` either way, within the schema's [min, max]. */
function around(value: number, factor: number, min: number, max: number, whenZero: number): [number, number] {
	return value > 0 ? [Math.max(min, value / factor), Math.min(max, value * factor)] : [min, whenZero];
}

/** Default bounds of each kind of value: wide enough to search, inside what the schema allows. */
export function defaultBounds(kind: FitCandidateKind, value: number): [number, number] {
	switch (kind) {
		case 'transition':
			// Daily chances above one half would empty a stage in days: beyond what a funnel shows.
			return [1e-4, Math.max(0.5, Math.min(0.99, 2 * value))];
		case 'inflow':
			return around(value, 10, 0, 1e7, 1000);
		case 'initialPopulation':
			return around(value, 10, 0, 1e8, 100_000);
		case 'invitesPerYear':
			return [0, Math.min(365, Math.max(24, 4 * value))];
		case 'inviteConversion':
			return [0, 1];
		case 'inviteRateMultiplier':
		case 'conversionMultiplier':
			return [0, Math.min(20, Math.max(5, 4 * value))];
	}
}

function candidate(kind: FitCandidateKind, pointer: string, value: number, names: Partial<FitCandidate> = {}): FitCandidate {
	const [low, high] = defaultBounds(kind, value);
	return { pointer, kind, value, low, high, ...names };
}

/** Every value of the (validated) scenario a simulation fit may choose, with default bounds. */
export function fitCandidates(scenario: Scenario): FitCandidate[] {
	const list: FitCandidate[] = [];
	scenario.stages.forEach((stage, s) =>
		stage.transitions.forEach((t, k) => list.push(candidate('transition', `/stages/${s}/transitions/${k}/dailyProbability`, t.dailyProbability, { from: stage.id, to: t.to })))
	);
	scenario.channels.forEach((ch, c) => {
		// A referral channel's inflow is the invitations, fitted through the referral rates.
		if (ch.kind !== 'referral') list.push(candidate('inflow', `/channels/${c}/prospectsPerDay`, ch.prospectsPerDay, { channel: ch.id }));
	});
	if (scenario.stages.some((s) => s.invites)) {
		scenario.segments.forEach((seg, g) => {
			list.push(candidate('invitesPerYear', `/segments/${g}/referral/invitesPerYear`, seg.referral.invitesPerYear, { segment: seg.id }));
			list.push(candidate('inviteConversion', `/segments/${g}/referral/conversion`, seg.referral.conversion, { segment: seg.id }));
		});
	}
	scenario.policies.forEach((p, i) => {
		if (p.type !== 'referralProgramme') return;
		list.push(candidate('inviteRateMultiplier', `/policies/${i}/inviteRateMultiplier`, p.inviteRateMultiplier, { policy: p.id }));
		list.push(candidate('conversionMultiplier', `/policies/${i}/conversionMultiplier`, p.conversionMultiplier, { policy: p.id }));
	});
	list.push({ ...candidate('initialPopulation', '/population/initial', scenario.population.initial), integer: true });
	return list;
}

/** A parameter to fit from `value` within [low, high]: the start is kept strictly inside, where the logistic transform lives. */
export function fittedParameter(pointer: string, value: number, low: number, high: number, integer = false): FittedParameter {
	const margin = (high - low) * 1e-3;
	return { pointer, low, high, start: Math.min(high - margin, Math.max(low + margin, value)), ...(integer ? { integer } : {}) };
}

/** What the schema says against the scenario at the parameter's start or just inside either bound, or null when all three are valid. */
export function boundsProblem(scenario: Scenario, parameter: FittedParameter): ScenarioProblem | null {
	const inside = (parameter.high - parameter.low) * 1e-3;
	for (const v of [parameter.low + inside, parameter.start, parameter.high - inside]) {
		const result = validateScenario(setAtPointer(scenario, parameter.pointer, parameter.integer ? Math.round(v) : v));
		if (!result.ok) return result.problems[0];
	}
	return null;
}
