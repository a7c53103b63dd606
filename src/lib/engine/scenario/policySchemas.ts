/**
 * The policy part of the scenario format: one schema per policy type, each
 * with the common scope (segments, start and end day) and documented, bounded
 * parameters. No free-form code: every effect is a number with a unit.
 */
import * as z from 'zod';

// Every schema imports this module first. Zod would probe for eval (new Function) to compile fast
// parsers; the app's Content Security Policy forbids eval, and the probe shows as a violation.
z.config({ jitless: true });

export const id = z
	.string()
	.regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case id (letters, digits, _ or -, starting with a letter)');

export const labels = z
	.strictObject({
		en: z.string().min(1).max(200),
		'zh-CN': z.string().min(1).max(200)
	})
	.describe('the same short text in English and Simplified Chinese');

export const fraction = (help: string) => z.number().min(0).max(1).describe(`${help} (fraction, 0 to 1)`);
export const money = (help: string) => z.number().min(0).max(1e12).describe(`${help} (scenario currency)`);
export const day = (help: string) => z.number().int().min(0).max(36500).describe(`${help} (day index, 0 = first simulated day)`);
const multiplier = (help: string) => z.number().min(0).max(20).describe(`${help} (factor, 1 = no change, 0 to 20)`);

/** Fields every policy has: who it covers and when. */
const common = {
	id,
	labels: labels.optional(),
	enabled: z.boolean().default(true).describe('a disabled policy is left out entirely'),
	segments: z.array(id).max(16).optional().describe('segments covered; default: all'),
	startDay: day('first day the policy acts').default(0),
	endDay: day('day the policy stops acting (exclusive); default: the horizon').optional()
};

const fixedCost = z.strictObject({
	type: z.literal('fixedCost'),
	...common,
	costPerDay: money('operating cost per day (staff, tools)')
});

const onboarding = z.strictObject({
	type: z.literal('onboarding'),
	...common,
	purchaseRateMultiplier: multiplier('purchase rate of a new buyer during the plan'),
	durationDays: z.number().min(0).max(365).describe('length of the plan after the first purchase (days)'),
	costPerNewBuyer: money('cost of the plan per new buyer (coupon, messages)')
});

const firstOrderIncentive = z.strictObject({
	type: z.literal('firstOrderIncentive'),
	...common,
	conversionMultiplier: multiplier('rate of moves into the first-purchase stage'),
	subsidyPerFirstOrder: money('subsidy paid on each first order')
});

const winBack = z.strictObject({
	type: z.literal('winBack'),
	...common,
	quietDays: z.number().int().min(1).max(3650).describe('a customer with no purchase for this many days is at risk (days)'),
	detectionLagDays: z.number().min(0).max(60).default(0).describe('delay before the risk is seen and acted on (days; 72 hours = 3, automation = 0)'),
	messageCost: money('cost of one win-back message'),
	responseRate: fraction('share of messaged customers who respond'),
	responseRateBySegment: z.record(id, z.number().min(0).max(1)).optional().describe('response rate per segment, overriding responseRate'),
	purchaseRateMultiplier: multiplier('purchase rate of a responder while the offer lasts'),
	dropoutMultiplier: z.number().min(0).max(5).default(1).describe('factor on a responder’s chance of leaving after a purchase while the offer lasts (below 1 lowers it)'),
	effectDays: z.number().min(0).max(365).describe('how long the offer lasts after the message (days)'),
	couponCost: money('cost of the coupon when a responder buys while the offer lasts'),
	budget: money('total spend on messages and coupons; default: unlimited').optional()
});

const tier = z.strictObject({
	id,
	labels: labels.optional(),
	threshold: z.number().min(0).max(1e9).describe('points or spend (see tierBasis) needed for the tier'),
	purchaseRateMultiplier: multiplier('purchase rate of members of the tier').default(1),
	dropoutMultiplier: z.number().min(0).max(5).default(1).describe('factor on the chance of leaving after a purchase'),
	benefitCostPerOrder: money('benefit cost on each order of a member (gift, free service)').default(0),
	benefitCostPerMemberDay: money('benefit cost per member per day (dedicated service)').default(0)
});

const pointsProgramme = z.strictObject({
	type: z.literal('pointsProgramme'),
	...common,
	pointsPerCurrencyUnit: z.number().min(0).max(1000).describe('points earned per unit of order value (whole points, rounded down)'),
	redemptionThreshold: z.number().int().min(1).max(1e9).describe('points redeemed in blocks of this size'),
	valuePerPoint: money('value of one redeemed point'),
	redemptionPropensity: fraction('chance that a customer holding at least one block redeems at a purchase'),
	expiryDays: z.number().min(0).max(3650).describe('points expire this many days after the customer’s last purchase (days; 0 = at once)'),
	expectedRedemptionShare: fraction('share of outstanding points expected to be redeemed, for the liability'),
	tierBasis: z.enum(['points', 'spend']).default('spend').describe('what tiers are measured on'),
	tierWindowDays: z.number().min(1).max(3650).default(365).describe('points or spend count with weight exp(−age / window) (days)'),
	tiers: z.array(tier).max(8).default([]).describe('tier ladder, lowest threshold first')
});

const referralProgramme = z.strictObject({
	type: z.literal('referralProgramme'),
	...common,
	invitingStages: z.array(id).max(16).describe('customer stages whose members invite while the programme runs'),
	inviteRateMultiplier: multiplier('invitations per year, on the segment’s invitesPerYear'),
	conversionMultiplier: multiplier('chance an invitation brings a prospect, on the segment’s conversion'),
	referrerReward: money('reward to the referrer'),
	refereeReward: money('reward to the invited friend when they first buy'),
	variant: z
		.enum(['standard', 'groupBuy', 'friendAssist'])
		.default('standard')
		.describe('standard: rewards on each referee’s first purchase; groupBuy: once k referees have bought; friendAssist: the referrer’s reward once k friends have joined'),
	friendsNeeded: z.number().int().min(1).max(50).default(1).describe('k, friends a group-buy or friend-assist reward needs')
});

const freeShipping = z.strictObject({
	type: z.literal('freeShipping'),
	...common,
	thresholdOrderValue: money('order value from which shipping is free'),
	nearBand: fraction('orders this share below the threshold are near it'),
	topUpProbability: fraction('chance that a near order is topped up to the threshold'),
	shippingCostPerOrder: money('shipping absorbed on each order at or above the threshold, booked as a discount')
});

const limitedTimeDiscount = z.strictObject({
	type: z.literal('limitedTimeDiscount'),
	...common,
	discountShare: z.number().min(0).max(0.9).describe('discount on each order while it runs (fraction of order value)'),
	purchaseRateMultiplier: multiplier('purchase rate while it runs')
});

const festivalPromotion = z.strictObject({
	type: z.literal('festivalPromotion'),
	...common,
	dates: z
		.array(z.strictObject({ day: day('first day of the festival'), durationDays: z.number().int().min(1).max(60).describe('days it lasts') }))
		.min(1)
		.max(64),
	purchaseRateMultiplier: multiplier('purchase rate during the festival'),
	discountShare: z.number().min(0).max(0.9).default(0).describe('discount on each festival order (fraction of order value)'),
	costPerDay: money('campaign cost per festival day').default(0)
});

const birthdayBenefit = z.strictObject({
	type: z.literal('birthdayBenefit'),
	...common,
	durationDays: z.number().int().min(1).max(60).describe('days the birthday benefit lasts from the birthday'),
	purchaseRateMultiplier: multiplier('purchase rate during the birthday benefit'),
	benefitCost: money('cost of the benefit sent to each customer on their birthday')
});

const membership = z.strictObject({
	type: z.literal('membership'),
	...common,
	joinProbability: fraction('chance that a new buyer joins at the first purchase'),
	purchaseRateMultiplier: multiplier('purchase rate of members'),
	dropoutMultiplier: z.number().min(0).max(5).default(1).describe('factor on a member’s chance of leaving after a purchase'),
	costPerMemberDay: money('cost of serving one member for a day (content, service)').default(0),
	costPerJoin: money('cost of signing up one member (welcome gift, stored-value bonus)').default(0)
});

export const policySchema = z.discriminatedUnion('type', [
	fixedCost,
	onboarding,
	firstOrderIncentive,
	winBack,
	pointsProgramme,
	referralProgramme,
	freeShipping,
	limitedTimeDiscount,
	festivalPromotion,
	birthdayBenefit,
	membership
]);
