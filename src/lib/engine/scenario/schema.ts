/**
 * The scenario format, lifecycle-lab/scenario@1: one zod schema is the single
 * source of the TypeScript types, the validation and the field documentation.
 * Every number carries its unit in its name (…Days, …PerDay, …PerYear) or in
 * its description, and its bounds are part of the schema.
 */
import * as z from 'zod';
import { day, fraction, id, labels, money, policySchema } from './policySchemas';

export const SCENARIO_SCHEMA_ID = 'lifecycle-lab/scenario@1';

const descriptions = z
	.strictObject({
		en: z.string().min(1).max(4000),
		'zh-CN': z.string().min(1).max(4000)
	})
	.describe('a longer explanation in English and Simplified Chinese');

const transition = z.strictObject({
	to: id.describe('id of the stage this move leads to'),
	dailyProbability: z
		.number()
		.min(0)
		.lt(1)
		.describe(
			'chance that a person in the stage makes this move within one day if it were the only way out; ' +
				'the engine turns it into the rate −ln(1 − p) per day (0 ≤ p < 1)'
		)
});

const stage = z.strictObject({
	id,
	kind: z
		.enum(['prospect', 'customer', 'lapsed', 'churned'])
		.describe('prospect: has not bought; customer: has bought and is alive; lapsed: alive but quiet; churned: gone for good'),
	labels,
	description: descriptions.optional(),
	transitions: z
		.array(transition)
		.max(16)
		.default([])
		.describe('moves out of this stage (prospect → prospect, first purchase or churned; customer → customer)'),
	enterAtPurchase: z
		.number()
		.int()
		.min(1)
		.max(1000)
		.optional()
		.describe('customer stages only: a customer enters this stage at this purchase count (1 = first purchase)'),
	invites: z.boolean().default(false).describe('people in this stage invite others at their segment’s invite rate')
});

const gammaGammaSpend = z.strictObject({
	model: z.literal('gammaGamma'),
	p: z.number().gt(0).max(1000).describe('shape of each order value, Gamma(p, ν)'),
	q: z.number().gt(1).max(1000).describe('shape of the customer’s ν ~ Gamma(q, γ); above 1 so mean spend exists'),
	gamma: z.number().gt(0).max(1e9).describe('rate γ of ν (currency); mean order value is p·γ/(q − 1)')
});

const lognormalSpend = z.strictObject({
	model: z.literal('lognormal'),
	meanOrderValue: z.number().gt(0).max(1e9).describe('mean order value (scenario currency)'),
	sigma: z.number().min(0).max(3).describe('standard deviation of log order value')
});

// A segment's dropout: written without `model` it is BG/NBD, as every scenario before the other models was.
const bgnbdDropout = z.strictObject({
	model: z.literal('bgnbd').optional().describe('BG/NBD (Fader, Hardie & Lee 2005); the default when absent'),
	a: z.number().gt(0).max(1e4).describe('Beta(a, b) shape a; mean dropout chance a/(a + b)'),
	b: z.number().gt(0).max(1e4).describe('Beta(a, b) shape b')
});

const mbgnbdDropout = z.strictObject({
	model: z.literal('mbgnbd').describe('MBG/NBD (Batislam, Denizel & Filiztekin 2007): may also leave right at the first purchase'),
	a: z.number().gt(0).max(1e4).describe('Beta(a, b) shape a; mean dropout chance a/(a + b), at the first purchase and after each repeat one'),
	b: z.number().gt(0).max(1e4).describe('Beta(a, b) shape b')
});

const paretoNbdDropout = z.strictObject({
	model: z
		.literal('paretoNbd')
		.describe('Pareto/NBD (Schmittlein, Morrison & Colombo 1987): leaves at an unseen moment, not at a purchase; policies’ dropout factors do not change it'),
	s: z.number().gt(0).max(1e4).describe('shape s of the dropout rate μ ~ Gamma(s, β); the lifetime from the first purchase is Exponential(μ)'),
	betaDays: z.number().gt(0).max(1e7).describe('rate β of μ ~ Gamma(s, β), in days; mean μ = s/β per day')
});

const segment = z.strictObject({
	id,
	labels,
	share: z.number().gt(0).max(1).describe('share of prospects in this segment when a channel gives no mix (fraction)'),
	purchaseRate: z
		.strictObject({
			r: z.number().gt(0).max(100).describe('shape r of the purchase rate λ ~ Gamma(r, α)'),
			alphaDays: z.number().gt(0).max(1e7).describe('rate α of λ ~ Gamma(r, α), in days; mean λ = r/α purchases per day')
		})
		.describe('BG/NBD purchase rate of a live customer'),
	dropout: z
		.discriminatedUnion('model', [bgnbdDropout, mbgnbdDropout, paretoNbdDropout])
		.describe('how a live customer leaves for good: BG/NBD (the default), MBG/NBD or Pareto/NBD'),
	spend: z.discriminatedUnion('model', [gammaGammaSpend, lognormalSpend]).describe('order value model'),
	referral: z
		.strictObject({
			invitesPerYear: z.number().min(0).max(365).describe('invitations a person in an inviting stage sends per year'),
			conversion: fraction('chance that an invitation brings a new prospect')
		})
		.default({ invitesPerYear: 0, conversion: 0 })
});

const channel = z.strictObject({
	id,
	kind: z.enum(['paid', 'kol', 'content', 'offline', 'referral']).describe('referral: the channel invited people arrive through'),
	labels,
	prospectsPerDay: z.number().min(0).max(1e7).default(0).describe('mean prospects arriving per day (Poisson)'),
	registrationDropOff: fraction('share of arriving prospects lost at registration').default(0),
	startStage: id.describe('prospect stage that registered prospects enter'),
	segmentMix: z
		.record(id, z.number().min(0).max(1))
		.optional()
		.describe('share of each segment among this channel’s prospects; default: the segments’ shares'),
	costPerDay: money('spend per day while the channel runs').default(0),
	costPerProspect: money('spend per arriving prospect, registered or not').default(0),
	startDay: day('first day the channel runs').default(0),
	endDay: day('day the channel stops (exclusive); default: the horizon').optional()
});

export const scenarioSchema = z.strictObject({
	schema: z.literal(SCENARIO_SCHEMA_ID),
	name: id.describe('short id of the scenario'),
	labels,
	description: descriptions.optional(),
	horizonDays: z.number().int().min(1).max(3650).describe('days simulated'),
	seed: z.number().int().min(0).max(4294967295).default(1).describe('seed of the random streams'),
	dormancyDays: z
		.number()
		.int()
		.min(1)
		.max(3650)
		.default(90)
		.describe('a live customer with no purchase for this many days moves to the lapsed stage'),
	population: z
		.strictObject({
			initial: z.number().int().min(0).max(1e8).describe('people present on day 0'),
			initialStages: z
				.record(id, z.number().min(0).max(1))
				.describe('share of the initial people in each stage (prospect stages or the first-purchase stage)')
		})
		.describe('the people present when the simulation starts'),
	stages: z.array(stage).min(2).max(32),
	segments: z.array(segment).min(1).max(16),
	channels: z.array(channel).max(16).default([]),
	economics: z.strictObject({
		currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY or USD'),
		grossMargin: fraction('gross margin on order value')
	}),
	metrics: z
		.strictObject({
			activeWindowDays: z.number().int().min(1).max(365).default(30).describe('active = bought within this many days'),
			repurchaseWindowDays: z.number().int().min(1).max(3650).default(90).describe('repurchase rate: bought again within this many days'),
			ltvHorizonDays: z.number().int().min(1).max(3650).default(180).describe('LTV: gross profit per new customer over this many days'),
			cohortPeriodDays: z.number().int().min(1).max(365).default(30).describe('length of a cohort period ("month")')
		})
		.default({ activeWindowDays: 30, repurchaseWindowDays: 90, ltvHorizonDays: 180, cohortPeriodDays: 30 }),
	policies: z.array(policySchema).max(64).default([])
});

/** A scenario as written in a file (defaults not yet filled). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled. */
export type Scenario = z.output<typeof scenarioSchema>;
export type Stage = Scenario['stages'][number];
export type Segment = Scenario['segments'][number];
export type Dropout = Segment['dropout'];
export type Channel = Scenario['channels'][number];
export type PolicyConfig = Scenario['policies'][number];
/** The configuration of one policy type. */
export type PolicyOf<T extends PolicyConfig['type']> = Extract<PolicyConfig, { type: T }>;
