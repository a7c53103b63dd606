/**
 * Points programme: whole points earned per unit of order value, redeemed in
 * blocks (booked as cost at their value), expiring expiryDays after the
 * customer's last purchase (breakage), and a tier ladder on points or spend
 * counted with weight exp(−age / window), each tier with its uplift, dropout
 * factor and benefit costs. Points issued = redeemed + expired + outstanding,
 * exactly; the report turns outstanding points into the liability.
 */
import type { Model } from '../model';
import { uniform } from '../random';
import type { PolicyOf } from '../scenario/schema';
import { RISK_DROPOUT, RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { NO_COLUMN, type PolicyColumn } from '../population';
import { COST_ROW, SERIES_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const POINTS = COST_ROW.points;
const TIER_BENEFIT = COST_ROW.tierBenefit;
const POINTS_ISSUED = SERIES_ROW.pointsIssued;
const POINTS_REDEEMED = SERIES_ROW.pointsRedeemed;
const POINTS_EXPIRED = SERIES_ROW.pointsExpired;

export class PointsProgramme implements Policy {
	readonly id: string;
	readonly risks = ['purchase', 'dropout'] as const;
	/** Its timers start at a purchase. */
	readonly buyersOnly = true;
	private readonly scope: Scope;
	private readonly thresholds: Float64Array;
	/** By tier (index 0: none): its purchase and dropout factors and benefit cost per order, read on every event of a member. */
	private readonly purchaseFactors: Float64Array;
	private readonly dropoutFactors: Float64Array;
	private readonly orderCosts: Float64Array;
	/** Columns: points held, time of the last earning purchase, tier score, when it was last updated, tier (0 = none, k = tiers[k − 1]). */
	private balance: PolicyColumn = NO_COLUMN;
	private lastActivity: PolicyColumn = NO_COLUMN;
	private score: PolicyColumn = NO_COLUMN;
	private scoreTime: PolicyColumn = NO_COLUMN;
	private tier: PolicyColumn = NO_COLUMN;
	/** Column: when the held tier drops (tierDropTime), kept from the last score update: asked on every event, it changes only with the score. */
	private dropTime: PolicyColumn = NO_COLUMN;
	/** Members per tier (index 0 unused), for the daily benefit cost. */
	private members: Float64Array;

	constructor(
		private readonly config: PolicyOf<'pointsProgramme'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
		this.thresholds = Float64Array.from(config.tiers, (t) => t.threshold);
		this.purchaseFactors = Float64Array.from([1, ...config.tiers.map((t) => t.purchaseRateMultiplier)]);
		this.dropoutFactors = Float64Array.from([1, ...config.tiers.map((t) => t.dropoutMultiplier)]);
		this.orderCosts = Float64Array.from([0, ...config.tiers.map((t) => t.benefitCostPerOrder)]);
		this.members = new Float64Array(config.tiers.length + 1);
	}

	attach(sim: SimulationView): void {
		const pop = sim.population;
		this.balance = pop.column(`points:${this.id}:balance`);
		this.lastActivity = pop.column(`points:${this.id}:lastActivity`);
		this.score = pop.column(`points:${this.id}:score`);
		this.scoreTime = pop.column(`points:${this.id}:scoreTime`);
		this.tier = pop.column(`points:${this.id}:tier`);
		this.dropTime = pop.column(`points:${this.id}:dropTime`);
	}

	beginDay(sim: SimulationView, day: number): void {
		if (!this.scope.isOpen(day)) return;
		const tiers = this.config.tiers;
		let cost = 0;
		for (let k = 1; k <= tiers.length; k++) cost += this.members[k] * tiers[k - 1].benefitCostPerMemberDay;
		if (cost > 0) sim.bookCost(TIER_BENEFIT, day, cost);
		if (this.scope.isBoundary(day) && tiers.length) {
			this.scope.redrawCovered(sim, day, (a) => sim.isLiveCustomer(a) && this.tier.get(a) > 0);
		}
	}

	onOrder(sim: SimulationView, agent: number, time: number, orderValue: number): number {
		if (!this.scope.applies(sim, agent)) return 0;
		const held = this.tier.get(agent);
		if (held > 0) sim.bookCost(TIER_BENEFIT, time, this.orderCosts[held]);
		this.redeem(sim, agent, time, orderValue);
		const earned = Math.floor(orderValue * this.config.pointsPerCurrencyUnit);
		this.balance.add(agent, earned);
		this.lastActivity.set(agent, time);
		sim.addToSeries(POINTS_ISSUED, time, earned);
		this.addToScore(sim, agent, time, this.config.tierBasis === 'spend' ? orderValue : earned);
		return 0;
	}

	/** Redeems whole blocks, no more than the order is worth, with the programme's propensity. */
	private redeem(sim: SimulationView, agent: number, time: number, orderValue: number): void {
		const { redemptionThreshold: block, valuePerPoint, redemptionPropensity } = this.config;
		const balance = this.balance.get(agent);
		if (balance < block || !(uniform(sim.rng) < redemptionPropensity)) return;
		const affordable = valuePerPoint > 0 ? Math.floor(orderValue / (block * valuePerPoint)) : Infinity;
		const points = Math.min(Math.floor(balance / block), affordable) * block;
		if (points <= 0) return;
		this.balance.set(agent, balance - points);
		sim.addToSeries(POINTS_REDEEMED, time, points);
		sim.bookCost(POINTS, time, points * valuePerPoint);
	}

	private addToScore(sim: SimulationView, agent: number, time: number, amount: number): void {
		this.score.set(agent, this.decayedScore(sim, agent, time) + amount);
		this.scoreTime.set(agent, time);
		this.updateTier(sim, agent);
	}

	private decayedScore(sim: SimulationView, agent: number, time: number): number {
		return this.score.get(agent) * Math.exp(-(time - this.scoreTime.get(agent)) / this.config.tierWindowDays);
	}

	private updateTier(sim: SimulationView, agent: number): void {
		const score = this.score.get(agent);
		let tier = 0;
		while (tier < this.thresholds.length && score >= this.thresholds[tier]) tier++;
		const held = this.tier.get(agent);
		if (tier !== held) {
			this.members[held]--;
			this.members[tier]++;
			this.tier.set(agent, tier);
		}
		const threshold = tier > 0 ? this.thresholds[tier - 1] : 0;
		this.dropTime.set(agent, threshold > 0 ? this.scoreTime.get(agent) + this.config.tierWindowDays * Math.log(score / threshold) : Infinity);
	}

	deadline(sim: SimulationView, agent: number): number {
		const expiry = this.balance.get(agent) > 0 ? this.lastActivity.get(agent) + this.config.expiryDays : Infinity;
		return Math.min(expiry, this.tierDropTime(sim, agent));
	}

	/** When the weighted score falls below the held tier's threshold (Infinity without a tier): set by updateTier. */
	private tierDropTime(sim: SimulationView, agent: number): number {
		return this.tier.get(agent) > 0 ? this.dropTime.get(agent) : Infinity;
	}

	onDeadline(sim: SimulationView, agent: number, time: number): void {
		const balance = this.balance.get(agent);
		if (balance > 0 && time >= this.lastActivity.get(agent) + this.config.expiryDays) {
			sim.addToSeries(POINTS_EXPIRED, time, balance);
			this.balance.set(agent, 0);
		}
		const held = this.tier.get(agent);
		if (held > 0 && time >= this.tierDropTime(sim, agent)) {
			// Rounding could leave the decayed score a hair above the threshold: the drop is due, so make it happen.
			const below = this.thresholds[held - 1] * (1 - 1e-12);
			this.score.set(agent, Math.min(this.decayedScore(sim, agent, time), below));
			this.scoreTime.set(agent, time);
			this.updateTier(sim, agent);
		}
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		const held = this.tier.get(agent);
		if (held === 0 || !this.scope.applies(sim, agent)) return 1;
		return risk === RISK_PURCHASE ? this.purchaseFactors[held] : risk === RISK_DROPOUT ? this.dropoutFactors[held] : 1;
	}
}
