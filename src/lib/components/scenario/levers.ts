/**
 * The scenario's main levers, what a strategist came to change: people on
 * day 0, the horizon, each channel's inflow, and each policy's switch and
 * key values. Pure: paths into the scenario as written, for the form's
 * fields to draw.
 */
import { isRecord, type Path } from './fields';

/** The values a strategist turns first, by policy type (the rest stay in the full form). */
export const POLICY_LEVERS: Record<string, string[]> = {
	fixedCost: ['costPerDay'],
	onboarding: ['purchaseRateMultiplier', 'durationDays', 'costPerNewBuyer'],
	firstOrderIncentive: ['conversionMultiplier', 'subsidyPerFirstOrder'],
	winBack: ['quietDays', 'detectionLagDays', 'responseRate', 'couponCost'],
	pointsProgramme: ['pointsPerCurrencyUnit', 'valuePerPoint', 'expiryDays'],
	referralProgramme: ['inviteRateMultiplier', 'referrerReward', 'refereeReward'],
	freeShipping: ['thresholdOrderValue', 'shippingCostPerOrder'],
	limitedTimeDiscount: ['discountShare', 'purchaseRateMultiplier'],
	festivalPromotion: ['purchaseRateMultiplier', 'discountShare'],
	birthdayBenefit: ['purchaseRateMultiplier', 'benefitCost'],
	membership: ['joinProbability', 'costPerMemberDay']
};

/** A group of levers: the scenario's own, or one channel's or policy's (named by its labels or id). */
export interface LeverGroup {
	key: string;
	/** The channel or policy, for its name; absent for the scenario's own levers. */
	item?: { id: string; labels?: Record<string, string>; enabled: boolean };
	paths: Path[];
}

/** The lever groups of a scenario as written (invalid parts are left out, the full form shows them). */
export function scenarioLevers(scenario: unknown): LeverGroup[] {
	const s = isRecord(scenario) ? scenario : {};
	const groups: LeverGroup[] = [{ key: 'scenario', paths: [['population', 'initial'], ['horizonDays']] }];
	const items = (name: string) => (Array.isArray(s[name]) ? (s[name] as unknown[]) : []);
	items('channels').forEach((channel, i) => {
		if (isRecord(channel) && typeof channel.id === 'string') groups.push({ key: `channel-${channel.id}`, item: named(channel), paths: [['channels', i, 'prospectsPerDay']] });
	});
	items('policies').forEach((policy, i) => {
		if (!isRecord(policy) || typeof policy.id !== 'string') return;
		const levers = POLICY_LEVERS[String(policy.type)] ?? [];
		groups.push({ key: `policy-${policy.id}`, item: named(policy), paths: [['policies', i, 'enabled'], ...levers.map((f) => ['policies', i, f])] });
	});
	return groups;
}

function named(item: Record<string, unknown>): NonNullable<LeverGroup['item']> {
	return { id: String(item.id), labels: isRecord(item.labels) ? (item.labels as Record<string, string>) : undefined, enabled: item.enabled !== false };
}

/** Prospects arriving per day over all channels (their start and end days aside): the scenario's inflow. */
export function dailyInflow(scenario: unknown): number {
	const channels = isRecord(scenario) && Array.isArray(scenario.channels) ? scenario.channels : [];
	return channels.reduce((sum: number, c) => sum + (isRecord(c) && typeof c.prospectsPerDay === 'number' ? c.prospectsPerDay : 0), 0);
}
