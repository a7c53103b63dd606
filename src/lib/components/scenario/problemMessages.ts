/**
 * Validation problems in the interface language. validateScenario words its
 * messages in English for files and the command line; the form recognises each
 * message's shape and says the same in the reader's language, keeping the
 * values (ids, numbers) it names. A message of an unknown shape is shown as it is.
 */
import type { ScenarioProblem } from '../../engine/scenario/validate';

/** The interface's translate function, keys under `field.`. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

type Values = Record<string, string>;

interface Shape {
	pattern: RegExp;
	key: string;
	values?: (match: RegExpMatchArray, t: Translate) => Values;
}

const stageKind = (t: Translate, kind: string) => t(`field.stages.kind.options.${kind}`);
const channelKind = (t: Translate, kind: string) => t(`field.channels.kind.options.${kind}`);
/** The value a message quotes; an empty field (nothing, null) is said in the reader's language. */
const got = (t: Translate, text: string) => (text === 'nothing' || text === 'null' ? t('field._problem.nothing') : text);

/** One entry per message shape of validate.ts, the specific before the general. */
const SHAPES: Shape[] = [
	{ pattern: /^must be an ISO 4217 code.*, got (.+)$/, key: 'badCurrency', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^must be a lower-case id.*, got (.+)$/, key: 'badId', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^must be at least (\S+), got (.+)$/, key: 'atLeast', values: (m, t) => ({ limit: m[1], got: got(t, m[2]) }) },
	{ pattern: /^must be greater than (\S+), got (.+)$/, key: 'greaterThan', values: (m, t) => ({ limit: m[1], got: got(t, m[2]) }) },
	{ pattern: /^must be at most (\S+), got (.+)$/, key: 'atMost', values: (m, t) => ({ limit: m[1], got: got(t, m[2]) }) },
	{ pattern: /^must be less than (\S+), got (.+)$/, key: 'lessThan', values: (m, t) => ({ limit: m[1], got: got(t, m[2]) }) },
	{ pattern: /^must have at least 1 characters$/, key: 'empty' },
	{ pattern: /^must have at least (\d+) entries$/, key: 'tooFewEntries', values: (m) => ({ limit: m[1] }) },
	{ pattern: /^must have at least (\d+) characters$/, key: 'tooFewCharacters', values: (m) => ({ limit: m[1] }) },
	{ pattern: /^must have at most (\d+) entries$/, key: 'tooManyEntries', values: (m) => ({ limit: m[1] }) },
	{ pattern: /^must have at most (\d+) characters$/, key: 'tooManyCharacters', values: (m) => ({ limit: m[1] }) },
	{ pattern: /^is required \(.*\)$/, key: 'required' },
	{ pattern: /^must be a whole number, got (.+)$/, key: 'notInteger', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^must be one of .*, got (.+)$/, key: 'notOption', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^must be a number, got (nothing|null)$/, key: 'needsNumber' },
	{ pattern: /^must be an? \w+, got (.+)$/, key: 'wrongType', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^unknown fields? (.+)$/, key: 'unknownFields', values: (m) => ({ keys: m[1] }) },
	{ pattern: /^does not match any allowed form, got (.+)$/, key: 'noVariant', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^has the wrong format, got (.+)$/, key: 'badFormat', values: (m, t) => ({ got: got(t, m[1]) }) },
	{ pattern: /^duplicate id (".*")$/, key: 'duplicateId', values: (m) => ({ id: m[1] }) },
	{ pattern: /^must have exactly one stage of kind "(\w+)", found (\d+)$/, key: 'oneChurned', values: (m, t) => ({ kind: stageKind(t, m[1]), found: m[2] }) },
	{ pattern: /^may have at most one stage of kind "(\w+)", found (\d+)$/, key: 'atMostOneLapsed', values: (m, t) => ({ kind: stageKind(t, m[1]), found: m[2] }) },
	{ pattern: /^must have exactly one customer stage with "enterAtPurchase": 1 .*found (\d+)$/, key: 'oneFirstPurchase', values: (m) => ({ found: m[1] }) },
	{ pattern: /^only customer stages can have it, this stage is "(\w+)"$/, key: 'enterAtPurchaseCustomerOnly', values: (m, t) => ({ kind: stageKind(t, m[1]) }) },
	{ pattern: /^another stage already enters at purchase (\d+)$/, key: 'purchaseTaken', values: (m) => ({ count: m[1] }) },
	{ pattern: /^only customer stages can invite, this stage is "(\w+)"$/, key: 'invitesCustomerOnly', values: (m, t) => ({ kind: stageKind(t, m[1]) }) },
	{ pattern: /^only customer stages can invite, (".*?") is (\w+)$/, key: 'invitingStageCustomerOnly', values: (m, t) => ({ id: m[1], kind: stageKind(t, m[2]) }) },
	{ pattern: /^unknown stage (".*?"); known stages: .*$/, key: 'unknownStage', values: (m) => ({ id: m[1] }) },
	{ pattern: /^a stage cannot move to itself$/, key: 'selfTransition' },
	{
		pattern: /^a (\w+) stage cannot move to (".*?") \((\w+)\): .*$/,
		key: 'badTransition',
		values: (m, t) => ({ from: stageKind(t, m[1]), to: m[2], toKind: stageKind(t, m[3]), rule: t(`field._problem.transitionRule.${m[1]}`) })
	},
	{ pattern: /^.* must sum to 1, got (.+)$/, key: 'sharesSum', values: (m) => ({ total: m[1] }) },
	{ pattern: /^must be a prospect stage, (".*?") is (\w+)$/, key: 'mustBeProspect', values: (m, t) => ({ id: m[1], kind: stageKind(t, m[2]) }) },
	{ pattern: /^must not be before startDay (\S+), got (\S+)$/, key: 'endBeforeStart', values: (m) => ({ start: m[1], got: m[2] }) },
	{ pattern: /^unknown segment (".*?"); known segments: .*$/, key: 'unknownSegment', values: (m) => ({ id: m[1] }) },
	{ pattern: /^a referral channel brings only invited people, so it must be 0, got (.+)$/, key: 'referralChannelInflow', values: (m) => ({ got: m[1] }) },
	{ pattern: /^may have at most one channel of kind "(\w+)", found (\d+)$/, key: 'oneReferralChannel', values: (m, t) => ({ kind: channelKind(t, m[1]), found: m[2] }) },
	{ pattern: /^invitations can bring people, so a channel of kind "(\w+)" must say where they start$/, key: 'referralChannelNeeded', values: (m, t) => ({ kind: channelKind(t, m[1]) }) },
	{
		pattern: /^people can start only in a prospect stage or the first-purchase stage, (".*?") is (\w+)$/,
		key: 'badInitialStage',
		values: (m, t) => ({ id: m[1], kind: stageKind(t, m[2]) })
	},
	{ pattern: /^may have at most one enabled points programme, found (\d+)$/, key: 'onePointsProgramme', values: (m) => ({ found: m[1] }) },
	{ pattern: /^must be above the previous tier's (\S+), got (\S+)$/, key: 'tierOrder', values: (m) => ({ previous: m[1], got: m[2] }) },
	{ pattern: /^a referral programme needs a channel of kind "(\w+)"/, key: 'referralProgrammeNeedsChannel', values: (m, t) => ({ kind: channelKind(t, m[1]) }) }
];

/** The translation key (under `field._problem.`) a message's shape has, or undefined. */
export function problemKey(message: string): string | undefined {
	return SHAPES.find((shape) => shape.pattern.test(message))?.key;
}

/** Every key problemKey can give, for the test that both languages have them. */
export const PROBLEM_KEYS: string[] = SHAPES.map((shape) => shape.key);

/** A problem's message in the interface language; `translated` is false where its shape is unknown. */
export function localizeProblem(problem: ScenarioProblem, t: Translate): { text: string; translated: boolean } {
	for (const shape of SHAPES) {
		const match = problem.message.match(shape.pattern);
		if (match) return { text: t(`field._problem.${shape.key}`, shape.values?.(match, t) ?? {}), translated: true };
	}
	return { text: problem.message, translated: false };
}
