import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import i18next from 'i18next';
import { render } from 'svelte/server';
import { policySchema } from '../../src/lib/engine/scenario/policySchemas';
import { scenarioSchema } from '../../src/lib/engine/scenario/schema';
import { validateScenario, type ScenarioProblem } from '../../src/lib/engine/scenario/validate';
import ScenarioForm from '../../src/lib/components/scenario/ScenarioForm.svelte';
import {
	SCENARIO_FIELDS,
	describedFields,
	fieldAt,
	newItem,
	parsePath,
	placeProblems,
	problemPaths,
	referencesOf,
	setAtPath,
	setField,
	switchVariant,
	type ArrayField,
	type UnionField
} from '../../src/lib/components/scenario/fields';
import { PROBLEM_KEYS, localizeProblem, problemKey } from '../../src/lib/components/scenario/problemMessages';
import en from '../../src/lib/i18n/scenarioFields.en.json';
import zhCN from '../../src/lib/i18n/scenarioFields.zh-CN.json';

// jsdom ships no types; the test needs only its parser.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => { window: Window } };

type Tree = { [key: string]: string | Tree };
const FILES: Record<string, Tree> = { en, 'zh-CN': zhCN };
const CJK = /[\u4e00-\u9fff]/;
const RESERVED = ['label', 'help', 'unit', 'item', 'options'];

/** The string at a dotted key, or undefined. */
function lookup(tree: Tree, key: string): string | undefined {
	let node: string | Tree | undefined = tree;
	for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
	return typeof node === 'string' ? node : undefined;
}

/** Every leaf key of a translation file, dotted. */
function leaves(tree: Tree, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));
}

const read = (name: string) => JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'));

/** The interface's translate function, set up as the app sets it up: these files under `field.`. */
function translator(lang: 'en' | 'zh-CN') {
	const instance = i18next.createInstance();
	instance.init({
		resources: { en: { translation: { field: en } }, 'zh-CN': { translation: { field: zhCN } } },
		lng: lang,
		fallbackLng: false,
		initAsync: false,
		interpolation: { escapeValue: false }
	});
	return (key: string, options?: Record<string, unknown>) => instance.t(key, options ?? {}) as string;
}

describe('every scenario field is labelled and explained in both languages', () => {
	const fields = describedFields();

	it('walks the whole schema, policies by type', () => {
		const keys = fields.map((f) => f.key);
		expect(keys).toContain('stages.transitions.dailyProbability');
		expect(keys).toContain('segments.spend.meanOrderValue');
		expect(keys).toContain('policies.winBack.detectionLagDays');
		expect(keys).toContain('policies.pointsProgramme.tiers.benefitCostPerMemberDay');
		expect(keys).toContain('policies.festivalPromotion.dates.durationDays');
		const union = (SCENARIO_FIELDS.fields.find((f) => f.name === 'policies') as ArrayField).item as UnionField;
		expect(union.variants.map((v) => v.value).sort()).toEqual(policySchema.options.map((o) => o.shape.type.value).sort());
		for (const variant of union.variants) {
			for (const name of Object.keys(policySchema.options.find((o) => o.shape.type.value === variant.value)!.shape)) {
				if (name !== 'type') expect(keys).toContain(`policies.${variant.value}.${name}`);
			}
		}
	});

	for (const lang of ['en', 'zh-CN']) {
		it(`has a label and a help for every field in ${lang}`, () => {
			const missing = fields.flatMap(({ key }) => ['label', 'help'].filter((part) => !lookup(FILES[lang], `${key}.${part}`)).map((part) => `${key}.${part}`));
			expect(missing).toEqual([]);
		});
	}

	it('has the same keys in both files', () => {
		expect(leaves(zhCN).sort()).toEqual(leaves(en).sort());
	});

	it('labels every field in Chinese with Chinese characters', () => {
		const notChinese = fields.map(({ key }) => `${key}: ${lookup(zhCN, `${key}.label`)}`).filter((line) => !CJK.test(line.split(': ')[1]));
		expect(notChinese).toEqual([]);
	});

	it('names every choice of every select, and the item of every list', () => {
		const missing: string[] = [];
		for (const { node, key } of fields) {
			if (node.kind === 'enum') for (const option of node.options) if (!lookup(zhCN, `${key}.options.${option}`) || !lookup(en, `${key}.options.${option}`)) missing.push(`${key}.options.${option}`);
			if (node.kind === 'array' && !node.reference && (!lookup(zhCN, `${key}.item`) || !lookup(en, `${key}.item`))) missing.push(`${key}.item`);
		}
		expect(missing).toEqual([]);
	});

	it('keeps no translation for a field the schema no longer has', () => {
		const known = new Set(fields.map((f) => f.key));
		const orphans = leaves(en)
			.filter((key) => !key.startsWith('_'))
			.map((key) => key.replace(/\.(label|help|unit|item)$/, '').replace(/\.options\.[^.]+$/, ''))
			.filter((key) => !known.has(key));
		expect(orphans).toEqual([]);
	});

	it('uses no field name that would clash with the words label, help, unit, item or options', () => {
		expect(fields.filter((f) => RESERVED.includes(f.node.name)).map((f) => f.key)).toEqual([]);
	});
});

describe('editing a field builds a new scenario', () => {
	const fiveStage = read('five-stage');

	it('sets a nested value without touching the original', () => {
		const before = JSON.stringify(fiveStage);
		const next = setAtPath(fiveStage, parsePath('stages[0].transitions[1].dailyProbability'), 0.07);
		expect(next.stages[0].transitions[1].dailyProbability).toBe(0.07);
		expect(next.stages[0].transitions[0]).toEqual(fiveStage.stages[0].transitions[0]);
		expect(JSON.stringify(fiveStage)).toBe(before);
	});

	it('removes a key, or an array element, when set to undefined', () => {
		const withoutSeed = setAtPath(fiveStage, ['seed'], undefined);
		expect('seed' in withoutSeed).toBe(false);
		const twoChannels = setAtPath(fiveStage, ['channels', 0], undefined);
		expect(twoChannels.channels.map((c: { id: string }) => c.id)).toEqual(['offline_store', 'referral']);
	});

	it('fills a missing container with its defaults, so one edit keeps it valid', () => {
		const scenario = structuredClone(fiveStage);
		delete scenario.segments[0].referral;
		const next = setField(scenario, parsePath('segments[0].referral.conversion'), 0.3);
		expect(next.segments[0].referral).toEqual({ invitesPerYear: 0, conversion: 0.3 });
		expect(validateScenario(next).ok).toBe(true);
	});

	it('adds a transition to a stage that has none yet', () => {
		const stages = SCENARIO_FIELDS.fields.find((f) => f.name === 'stages') as ArrayField;
		const transitions = (stages.item as { fields: ArrayField[] }).fields.find((f) => f.name === 'transitions')!;
		const refs = referencesOf(fiveStage);
		const next = setField(fiveStage, parsePath('stages[3].transitions[0]'), newItem(transitions, [], refs), refs);
		expect(next.stages[3].transitions).toEqual([{ to: 'acquired', dailyProbability: 0.01 }]);
	});

	it('adds any policy type with valid starting values', () => {
		const policies = SCENARIO_FIELDS.fields.find((f) => f.name === 'policies') as ArrayField;
		const union = policies.item as UnionField;
		const refs = referencesOf(fiveStage);
		for (const { value: type } of union.variants) {
			const policy = newItem(policies, fiveStage.policies, refs, type) as { id: string };
			expect(policySchema.safeParse(policy).success, type).toBe(true);
			expect(policy.id).toBe(type.toLowerCase());
			const next = setField(fiveStage, ['policies', fiveStage.policies.length], policy, refs);
			const result = validateScenario(next);
			expect(result.ok ? [] : result.problems, type).toEqual([]);
		}
	});

	it('adds a stage, a segment and a channel with fresh ids', () => {
		const refs = referencesOf(fiveStage);
		const itemSchemas = {
			stages: scenarioSchema.shape.stages.element,
			segments: scenarioSchema.shape.segments.element,
			channels: scenarioSchema.shape.channels.unwrap().element
		};
		for (const name of ['stages', 'segments', 'channels'] as const) {
			const array = SCENARIO_FIELDS.fields.find((f) => f.name === name) as ArrayField;
			const item = newItem(array, fiveStage[name], refs) as { id: string };
			expect(item.id).toBe(name.slice(0, -1));
			expect(itemSchemas[name].safeParse(item).success, name).toBe(true);
		}
	});

	it('keeps a policy’s id, name, scope and dates when its type changes', () => {
		const policies = SCENARIO_FIELDS.fields.find((f) => f.name === 'policies') as ArrayField;
		const before = { type: 'fixedCost', id: 'team', labels: { en: 'Team', 'zh-CN': '团队' }, segments: ['families'], startDay: 30, costPerDay: 100 };
		const after = switchVariant(policies.item as UnionField, before, 'winBack');
		expect(after).toMatchObject({ type: 'winBack', id: 'team', labels: before.labels, segments: ['families'], startDay: 30, quietDays: 60 });
		expect('costPerDay' in after).toBe(false);
		expect(policySchema.safeParse(after).success).toBe(true);
	});
});

/** Scenarios broken one way each, as validation.test.ts breaks them, to check where and how their problems show. */
const BREAKS: [string, (s: any) => void][] = [
	['a probability above 1', (s) => (s.stages[2].transitions[0].dailyProbability = 1.4)],
	['a negative probability', (s) => (s.stages[0].transitions[1].dailyProbability = -0.1)],
	['a move to an unknown stage', (s) => (s.stages[1].transitions[0].to = 'thinking')],
	['a prospect jumping to a repeat-buyer stage', (s) => (s.stages[2].transitions[0].to = 'retained')],
	['a stage moving to itself', (s) => (s.stages[2].transitions[0].to = 'considering')],
	['an unknown stage kind', (s) => (s.stages[0].kind = 'lead')],
	['a horizon that is not a whole number', (s) => (s.horizonDays = 36.5)],
	['a horizon of zero days', (s) => (s.horizonDays = 0)],
	['a missing margin', (s) => delete s.economics.grossMargin],
	['a misspelt field', (s) => (s.segments[1].sharee = 0.3)],
	['segment shares that do not sum to 1', (s) => (s.segments[2].share = 0.3)],
	['a negative Gamma shape', (s) => (s.segments[0].purchaseRate.r = -1)],
	['an unknown spend model', (s) => (s.segments[0].spend.model = 'pareto')],
	['an unknown dropout model', (s) => (s.segments[0].dropout.model = 'weibull')],
	['a Pareto/NBD dropout given BG/NBD shapes', (s) => (s.segments[0].dropout = { model: 'paretoNbd', a: 1, b: 3 })],
	['a channel starting people in a customer stage', (s) => (s.channels[0].startStage = 'retained')],
	['a channel mix naming an unknown segment', (s) => (s.channels[1].segmentMix = { office: 0.5, students: 0.5 })],
	['two stages with one id', (s) => (s.stages[1].id = 'aware')],
	['an id with capitals', (s) => (s.stages[1].id = 'Aware')],
	['an empty name', (s) => (s.stages[1].labels.en = '')],
	['a wrong schema id', (s) => (s.schema = 'lifecycle-lab/scenario@9')],
	['an unknown policy type', (s) => (s.policies[0].type = 'magic')],
	['a currency that is not a code', (s) => (s.economics.currency = 'yuan')],
	['initial people in a repeat-buyer stage', (s) => (s.population.initialStages = { retained: 1 })],
	['inviting without a referral channel', (s) => s.channels.pop()],
	['two referral channels', (s) => s.channels.push({ ...s.channels[2], id: 'referral_2' })],
	['no churned stage', (s) => s.stages.pop()],
	['two first-purchase stages', (s) => (s.stages[4].enterAtPurchase = 1)],
	['a prospect stage entered at a purchase', (s) => (s.stages[0].enterAtPurchase = 3)],
	['a prospect stage that invites', (s) => (s.stages[0].invites = true)],
	['a referral channel with its own inflow', (s) => (s.channels[2].prospectsPerDay = 5)],
	['a policy that ends before it starts', (s) => Object.assign(s.policies[0], { startDay: 10, endDay: 5 })],
	['a policy scoped to an unknown segment', (s) => (s.policies[0].segments = ['office', 'students'])],
	['too many transitions', (s) => (s.stages[0].transitions = Array.from({ length: 17 }, () => ({ to: 'interested', dailyProbability: 0.01 })))],
	['a whole policy list of the wrong type', (s) => (s.policies = 'none')],
	[
		'a referral programme inviting from a prospect stage',
		(s) => s.policies.push({ type: 'referralProgramme', id: 'refer', invitingStages: ['aware'], inviteRateMultiplier: 2, conversionMultiplier: 1, referrerReward: 10, refereeReward: 10 })
	],
	[
		'tiers out of order, and two points programmes',
		(s) => {
			const points = { type: 'pointsProgramme', id: 'points', pointsPerCurrencyUnit: 1, redemptionThreshold: 100, valuePerPoint: 0.01, redemptionPropensity: 0.5, expiryDays: 365, expectedRedemptionShare: 0.6 };
			s.policies.push({ ...points, tiers: [{ id: 'gold', threshold: 1000 }, { id: 'silver', threshold: 500 }] }, { ...points, id: 'points_2' });
		}
	],
	[
		'a win-back lag out of bounds',
		(s) => s.policies.push({ type: 'winBack', id: 'wb', quietDays: 30, detectionLagDays: 90, messageCost: 0.1, responseRate: 0.1, purchaseRateMultiplier: 2, effectDays: 14, couponCost: 5 })
	]
];

function broken(breakIt: (s: any) => void): { scenario: any; problems: ScenarioProblem[] } {
	const scenario = read('six-stage');
	breakIt(scenario);
	const result = validateScenario(scenario);
	return { scenario, problems: result.ok ? [] : result.problems };
}

describe('problems show at the field they are about, in the reader’s language', () => {
	const zh = translator('zh-CN');

	it('maps problem paths to the fields that describe them', () => {
		const scenario = read('six-stage');
		scenario.policies.push({ type: 'winBack', id: 'wb' });
		const keyAt = (path: string) => fieldAt(scenario, parsePath(path))?.key;
		expect(keyAt('stages[2].transitions[0].dailyProbability')).toBe('stages.transitions.dailyProbability');
		expect(keyAt('segments[1].spend.gamma')).toBe('segments.spend.gamma');
		// Only the variant the value is has its fields: this segment's spend is Gamma-Gamma.
		expect(keyAt('segments[1].spend.sigma')).toBeUndefined();
		expect(keyAt('segments[1].spend.model')).toBe('segments.spend.model');
		expect(keyAt('population.initialStages.aware')).toBe('population.initialStages');
		expect(keyAt('policies[1].quietDays')).toBe('policies.winBack.quietDays');
		expect(keyAt('policies[1].type')).toBe('policies.type');
		expect(keyAt('stages[0].labels.zh-CN')).toBe('stages.labels');
		expect(keyAt('stages[0].nonsense')).toBeUndefined();
	});

	for (const [what, breakIt] of BREAKS) {
		it(`places and translates: ${what}`, () => {
			const { scenario, problems } = broken(breakIt);
			expect(problems.length).toBeGreaterThan(0);
			const placed = placeProblems(problems, problemPaths(scenario));
			const shown = [...placed.at.values()].flat().length + placed.unplaced.length;
			expect(shown).toBe(problems.length);
			for (const problem of problems) {
				expect(problemKey(problem.message), problem.message).toBeDefined();
				const { text, translated } = localizeProblem(problem, zh);
				expect(translated).toBe(true);
				expect(text, problem.message).toMatch(CJK);
				expect(text).not.toMatch(/field\._problem|field\.stages/);
			}
		});
	}

	it('shows a problem inside a list of ids at the list, and one about nothing at the top', () => {
		const { scenario, problems } = broken((s) => (s.policies[0].segments = ['office', 'students']));
		const placed = placeProblems([...problems, { path: '', message: 'is required (object)' }], problemPaths(scenario));
		expect(placed.at.get('policies[0].segments')?.[0].path).toBe('policies[0].segments[1]');
		expect(placed.unplaced.map((p) => p.path)).toEqual(['']);
	});

	it('has every problem message in both languages', () => {
		for (const tree of [en, zhCN]) {
			for (const key of PROBLEM_KEYS) expect(lookup(tree, `_problem.${key}`), key).toBeDefined();
			for (const kind of ['prospect', 'customer', 'lapsed', 'churned']) expect(lookup(tree, `_problem.transitionRule.${kind}`)).toBeDefined();
		}
	});
});

describe('the form as a Chinese reader sees it', () => {
	const t = translator('zh-CN');
	/** Words allowed in the Chinese form: model and metric names Chinese teams use as they are. */
	const ALLOWED = new Set(['BG', 'MBG', 'NBD', 'Pareto', 'Gamma', 'Beta', 'LTV', 'KOL', 'KOC', 'ISO', 'CNY', 'USD', 'exp']);

	function renderForm(scenario: unknown, problems: ScenarioProblem[]) {
		const { body } = render(ScenarioForm, { props: { value: scenario, onchange: () => {}, problems, lang: 'zh-CN', t } });
		return new JSDOM(body).window.document;
	}

	it('marks the field a problem is about, and says why there', () => {
		const { scenario, problems } = broken((s) => (s.stages[2].transitions[0].dailyProbability = 1.4));
		const doc = renderForm(scenario, problems);
		const input = [...doc.querySelectorAll('input')].find((el) => el.id.endsWith('-stages[2].transitions[0].dailyProbability'))!;
		expect(input.getAttribute('aria-invalid')).toBe('true');
		const described = input.getAttribute('aria-describedby')!.split(' ').map((id: string) => doc.getElementById(id)?.textContent ?? '');
		expect(described.join(' ')).toContain('必须小于 1，当前为 1.4');
		expect(input.getAttribute('max')).toBe('1');
		expect(input.getAttribute('step')).toBe('any');
	});

	it('lists a problem no field shows at the top', () => {
		const { scenario, problems } = broken((s) => s.stages.pop());
		const doc = renderForm(scenario, [...problems, { path: '', message: 'is required (object)' }]);
		expect(doc.querySelector('.problems')?.textContent).toContain('必填');
	});

	for (const name of readdirSync(new URL('../../scenarios/', import.meta.url)).filter((f) => f.endsWith('.json'))) {
		it(`shows no English but the user's own words: ${name}`, () => {
			const scenario = read(name.replace(/\.json$/, ''));
			const doc = renderForm(scenario, []);
			for (const el of doc.querySelectorAll('[data-user-content], output code')) el.remove();
			// A remove button's accessible name carries the item's name, the user's words.
			for (const el of doc.querySelectorAll('button.remove')) el.removeAttribute('aria-label');
			const text = [doc.body.textContent ?? '', ...[...doc.querySelectorAll('[aria-label], [placeholder], [title]')].map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('placeholder') ?? ''} ${el.getAttribute('title') ?? ''}`)].join(' ');
			const english = [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])].filter((word) => !ALLOWED.has(word));
			expect(english).toEqual([]);
		});
	}
});
