/**
 * Validation of scenario files: the schema first, then the references between
 * parts (stage ids, shares that must sum to 1). Every problem is reported with
 * its path, the rule and the value found, never as a stack trace.
 */
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema';

/** One problem found in a scenario, located by its path. */
export interface ScenarioProblem {
	path: string;
	message: string;
}

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/** Thrown where a caller wants an exception; its message lists every problem. */
export class ScenarioError extends Error {
	constructor(readonly problems: ScenarioProblem[]) {
		super(`invalid scenario:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
		this.name = 'ScenarioError';
	}
}

/** `stages[2].transitions[0].dailyProbability: must be …` */
export function formatProblem(problem: ScenarioProblem): string {
	return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/** Validates a parsed JSON value as a scenario, filling defaults. */
export function validateScenario(input: unknown): ScenarioResult {
	const parsed = scenarioSchema.safeParse(input);
	if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues, input) };
	const problems = checkReferences(parsed.data);
	return problems.length ? { ok: false, problems } : { ok: true, scenario: parsed.data };
}

/** Validates or throws a ScenarioError. */
export function parseScenario(input: unknown): Scenario {
	const result = validateScenario(input);
	if (!result.ok) throw new ScenarioError(result.problems);
	return result.scenario;
}

/** Formats a path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const key of path) {
		if (typeof key === 'number') out += `[${key}]`;
		else out += out ? `.${String(key)}` : String(key);
	}
	return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
	let value = root;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}

function show(value: unknown): string {
	if (value === undefined) return 'nothing';
	const text = preview(value, 61);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The value as JSON, stopping after about `room` characters: a bad entry of
 * a huge or deeply nested value is shown without walking all of it (and
 * JSON.stringify would overflow on nesting JSON.parse accepts).
 */
function preview(value: unknown, room: number): string {
	// JSON would show NaN and Infinity (from a form, not a file) as null.
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? typeof value;
	const items = value as Record<string, unknown>;
	const keys = Array.isArray(value) ? null : Object.keys(value);
	const length = keys ? keys.length : (value as unknown[]).length;
	let out = keys ? '{' : '[';
	for (let i = 0; i < length && out.length < room; i++) {
		const label = keys ? `${JSON.stringify(keys[i])}:` : '';
		out += (i ? ',' : '') + label + preview(items[keys ? keys[i] : i], room - out.length - label.length);
	}
	return out.length < room ? out + (keys ? '}' : ']') : out;
}

/** Problems listed at most; a file wrong everywhere (a huge array of bad entries) says how many more. */
const MAX_PROBLEMS = 100;

/** Schema issues as problems with paths, rules and the values found (for any of our zod schemas). */
export function describeIssues(issues: z.core.$ZodIssue[], input: unknown): ScenarioProblem[] {
	const problems = issues.slice(0, MAX_PROBLEMS).map((issue) => describeIssue(issue, input));
	if (issues.length > MAX_PROBLEMS) problems.push({ path: '', message: `and ${issues.length - MAX_PROBLEMS} more problems` });
	return problems;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): ScenarioProblem {
	const path = formatPath(issue.path);
	const got = show(valueAt(input, issue.path));
	return { path, message: ruleOf(issue, got) };
}

function ruleOf(issue: z.core.$ZodIssue, got: string): string {
	switch (issue.code) {
		case 'too_small':
		case 'too_big':
			return boundsRule(issue, got);
		case 'invalid_type':
			if (got === 'nothing') return `is required (${issue.expected})`;
			return `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}, got ${got}`;
		case 'invalid_value':
			return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`;
		case 'unrecognized_keys':
			return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
		case 'invalid_union':
			if ('options' in issue && Array.isArray(issue.options)) {
				// An optional discriminator (a dropout without `model`) lists undefined among the options: not a value to write.
				const options = issue.options.filter((v) => v !== undefined);
				return `must be one of ${options.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`;
			}
			return `does not match any allowed form, got ${got}`;
		case 'invalid_format':
			return `${issue.message.startsWith('Invalid') ? 'has the wrong format' : issue.message}, got ${got}`;
		default:
			return `${issue.message}, got ${got}`;
	}
}

function boundsRule(issue: z.core.$ZodIssue & { code: 'too_small' | 'too_big' }, got: string): string {
	const origin = 'origin' in issue ? issue.origin : 'number';
	if (origin === 'array' || origin === 'string') {
		const unit = origin === 'array' ? 'entries' : 'characters';
		const limit = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
		return `must have ${limit} ${unit}`;
	}
	if (issue.code === 'too_small') {
		return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, got ${got}`;
	}
	return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${got}`;
}

const SHARE_TOLERANCE = 1e-6;

/** Checks what the schema alone cannot: ids that refer to each other, shares that sum to 1. */
function checkReferences(s: Scenario): ScenarioProblem[] {
	const problems: ScenarioProblem[] = [];
	const add = (path: string, message: string) => problems.push({ path, message });

	checkUnique(s.stages, 'stages', add);
	checkUnique(s.segments, 'segments', add);
	checkUnique(s.channels, 'channels', add);
	checkUnique(s.policies, 'policies', add);

	const stageById = new Map(s.stages.map((st) => [st.id, st]));
	const known = [...stageById.keys()].join(', ');
	const churned = s.stages.filter((st) => st.kind === 'churned');
	if (churned.length !== 1) add('stages', `must have exactly one stage of kind "churned", found ${churned.length}`);
	const lapsed = s.stages.filter((st) => st.kind === 'lapsed');
	if (lapsed.length > 1) add('stages', `may have at most one stage of kind "lapsed", found ${lapsed.length}`);
	const entry = s.stages.filter((st) => st.kind === 'customer' && st.enterAtPurchase === 1);
	if (entry.length !== 1) {
		add('stages', `must have exactly one customer stage with "enterAtPurchase": 1 (the first purchase), found ${entry.length}`);
	}
	const thresholds = new Set<number>();

	s.stages.forEach((st, i) => {
		const at = `stages[${i}]`;
		if (st.enterAtPurchase !== undefined) {
			if (st.kind !== 'customer') add(`${at}.enterAtPurchase`, `only customer stages can have it, this stage is "${st.kind}"`);
			if (thresholds.has(st.enterAtPurchase)) add(`${at}.enterAtPurchase`, `another stage already enters at purchase ${st.enterAtPurchase}`);
			thresholds.add(st.enterAtPurchase);
		}
		if (st.invites && st.kind !== 'customer') add(`${at}.invites`, `only customer stages can invite, this stage is "${st.kind}"`);
		st.transitions.forEach((tr, j) => {
			const path = `${at}.transitions[${j}].to`;
			const target = stageById.get(tr.to);
			if (!target) return add(path, `unknown stage "${tr.to}"; known stages: ${known}`);
			if (tr.to === st.id) return add(path, 'a stage cannot move to itself');
			const allowed = allowedTarget(st.kind, target.kind, target.enterAtPurchase);
			if (!allowed) add(path, `a ${st.kind} stage cannot move to "${tr.to}" (${target.kind}): ${TRANSITION_RULE[st.kind]}`);
		});
	});

	checkShares(s.segments.map((sg) => sg.share), 'segments', 'segment shares', add);

	const segmentIds = new Set(s.segments.map((sg) => sg.id));
	s.channels.forEach((ch, i) => {
		const at = `channels[${i}]`;
		const start = stageById.get(ch.startStage);
		if (!start) add(`${at}.startStage`, `unknown stage "${ch.startStage}"; known stages: ${known}`);
		else if (start.kind !== 'prospect') add(`${at}.startStage`, `must be a prospect stage, "${ch.startStage}" is ${start.kind}`);
		if (ch.endDay !== undefined && ch.endDay < ch.startDay) add(`${at}.endDay`, `must not be before startDay ${ch.startDay}, got ${ch.endDay}`);
		if (ch.segmentMix) checkMix(ch.segmentMix, segmentIds, `${at}.segmentMix`, add);
		if (ch.kind === 'referral' && ch.prospectsPerDay > 0) {
			add(`${at}.prospectsPerDay`, `a referral channel brings only invited people, so it must be 0, got ${ch.prospectsPerDay}`);
		}
	});
	const referralChannels = s.channels.filter((ch) => ch.kind === 'referral');
	if (referralChannels.length > 1) add('channels', `may have at most one channel of kind "referral", found ${referralChannels.length}`);
	const someoneInvites =
		s.stages.some((st) => st.invites) && s.segments.some((sg) => sg.referral.invitesPerYear > 0 && sg.referral.conversion > 0);
	if (someoneInvites && referralChannels.length === 0) {
		add('channels', 'invitations can bring people, so a channel of kind "referral" must say where they start');
	}

	const initialPath = 'population.initialStages';
	for (const [stageId, share] of Object.entries(s.population.initialStages)) {
		const st = stageById.get(stageId);
		if (!st) add(`${initialPath}.${stageId}`, `unknown stage "${stageId}"; known stages: ${known}`);
		else if (!(st.kind === 'prospect' || (st.kind === 'customer' && st.enterAtPurchase === 1)) && share > 0) {
			add(`${initialPath}.${stageId}`, `people can start only in a prospect stage or the first-purchase stage, "${stageId}" is ${st.kind}`);
		}
	}
	if (s.population.initial > 0) checkShares(Object.values(s.population.initialStages), initialPath, 'initial stage shares', add);

	checkPolicies(s, stageById, segmentIds, add);
	return problems;
}

const TRANSITION_RULE: Record<string, string> = {
	prospect: 'prospects move to a prospect stage, the first-purchase stage or the churned stage',
	customer: 'customers move between customer stages; purchases and dropout move them otherwise',
	lapsed: 'lapsed customers leave only by buying again',
	churned: 'churned is final'
};

function allowedTarget(from: string, to: string, enterAtPurchase: number | undefined): boolean {
	if (from === 'prospect') return to === 'prospect' || to === 'churned' || (to === 'customer' && enterAtPurchase === 1);
	if (from === 'customer') return to === 'customer' && enterAtPurchase !== 1;
	return false;
}

function checkUnique(items: { id: string }[], path: string, add: (p: string, m: string) => void) {
	const seen = new Set<string>();
	items.forEach((item, i) => {
		if (seen.has(item.id)) add(`${path}[${i}].id`, `duplicate id "${item.id}"`);
		seen.add(item.id);
	});
}

function checkShares(shares: number[], path: string, what: string, add: (p: string, m: string) => void) {
	const total = shares.reduce((sum, x) => sum + x, 0);
	if (Math.abs(total - 1) > SHARE_TOLERANCE) add(path, `${what} must sum to 1, got ${Number(total.toPrecision(6))}`);
}

function checkMix(mix: Record<string, number>, ids: Set<string>, path: string, add: (p: string, m: string) => void) {
	for (const key of Object.keys(mix)) {
		if (!ids.has(key)) add(`${path}.${key}`, `unknown segment "${key}"; known segments: ${[...ids].join(', ')}`);
	}
	checkShares(Object.values(mix), path, 'segment mix', add);
}

function checkPolicies(
	s: Scenario,
	stageById: Map<string, Scenario['stages'][number]>,
	segmentIds: Set<string>,
	add: (p: string, m: string) => void
) {
	const knownSegments = [...segmentIds].join(', ');
	const points = s.policies.filter((p) => p.type === 'pointsProgramme' && p.enabled);
	if (points.length > 1) add('policies', `may have at most one enabled points programme, found ${points.length}`);
	s.policies.forEach((p, i) => {
		const at = `policies[${i}]`;
		if (p.endDay !== undefined && p.endDay < p.startDay) add(`${at}.endDay`, `must not be before startDay ${p.startDay}, got ${p.endDay}`);
		p.segments?.forEach((seg, j) => {
			if (!segmentIds.has(seg)) add(`${at}.segments[${j}]`, `unknown segment "${seg}"; known segments: ${knownSegments}`);
		});
		if (p.type === 'winBack') {
			for (const seg of Object.keys(p.responseRateBySegment ?? {})) {
				if (!segmentIds.has(seg)) add(`${at}.responseRateBySegment.${seg}`, `unknown segment "${seg}"; known segments: ${knownSegments}`);
			}
		}
		if (p.type === 'pointsProgramme') {
			p.tiers.forEach((tier, j) => {
				if (j > 0 && tier.threshold <= p.tiers[j - 1].threshold) {
					add(`${at}.tiers[${j}].threshold`, `must be above the previous tier's ${p.tiers[j - 1].threshold}, got ${tier.threshold}`);
				}
			});
		}
		if (p.type === 'referralProgramme') {
			p.invitingStages.forEach((id, j) => {
				const st = stageById.get(id);
				if (!st) add(`${at}.invitingStages[${j}]`, `unknown stage "${id}"; known stages: ${[...stageById.keys()].join(', ')}`);
				else if (st.kind !== 'customer') add(`${at}.invitingStages[${j}]`, `only customer stages can invite, "${id}" is ${st.kind}`);
			});
			if (!s.channels.some((ch) => ch.kind === 'referral')) {
				add(`${at}`, 'a referral programme needs a channel of kind "referral" saying where invited people start');
			}
		}
	});
}
