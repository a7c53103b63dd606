/**
 * Win-back / churn warning: a customer quiet for quietDays is seen after a
 * detection lag and messaged (a cost); a share respond and, while the offer
 * lasts, buy faster and leave less; a coupon is paid when a responder buys.
 * The business cannot see latent churn, so customers who have already left
 * are messaged too: that cost is real and buys nothing.
 */
import type { Model } from '../model';
import { uniform } from '../random';
import type { PolicyOf } from '../scenario/schema';
import { RISK_DROPOUT, RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { NO_COLUMN, type PolicyColumn } from '../population';
import { COST_ROW, SERIES_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const CAMPAIGN = COST_ROW.campaign;
const MESSAGES_SENT = SERIES_ROW.messagesSent;

export class WinBack implements Policy {
	readonly id: string;
	readonly risks = ['purchase', 'dropout'] as const;
	/** Its timers start at a purchase. */
	readonly buyersOnly = true;
	private readonly scope: Scope;
	private readonly responseRate: Float64Array;
	/** Columns: last purchase time + 1 of the quiet spell already handled; end of the offer; 1 once the coupon is used. */
	private handled: PolicyColumn = NO_COLUMN;
	private until: PolicyColumn = NO_COLUMN;
	private couponUsed: PolicyColumn = NO_COLUMN;
	private budgetLeft = Infinity;

	constructor(
		private readonly config: PolicyOf<'winBack'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
		this.responseRate = Float64Array.from(model.segmentIds, (id) => config.responseRateBySegment?.[id] ?? config.responseRate);
	}

	attach(sim: SimulationView): void {
		const pop = sim.population;
		this.handled = pop.column(`winBack:${this.id}:handled`);
		this.until = pop.column(`winBack:${this.id}:until`);
		this.couponUsed = pop.column(`winBack:${this.id}:coupon`);
		if (this.config.budget !== undefined) this.budgetLeft = this.config.budget * sim.shardShare;
	}

	/** When the current quiet spell is seen, or Infinity when it was handled or falls outside the window. */
	private detectionTime(sim: SimulationView, agent: number): number {
		const last = sim.population.lastPurchaseTime(agent);
		if (last < 0 || this.handled.get(agent) === last + 1 || !this.scope.covers(sim, agent)) return Infinity;
		const seen = Math.max(last + this.config.quietDays + this.config.detectionLagDays, this.scope.startDay);
		return seen < this.scope.endDay ? seen : Infinity;
	}

	deadline(sim: SimulationView, agent: number): number {
		const until = this.until.get(agent);
		return Math.min(this.detectionTime(sim, agent), until > sim.now ? until : Infinity);
	}

	onDeadline(sim: SimulationView, agent: number, time: number): void {
		if (this.detectionTime(sim, agent) > time) return;
		const pop = sim.population;
		this.handled.set(agent, pop.lastPurchaseTime(agent) + 1);
		if (!this.spend(this.config.messageCost)) return;
		sim.bookCost(CAMPAIGN, time, this.config.messageCost);
		sim.addToSeries(MESSAGES_SENT, time, 1);
		if (uniform(sim.rng) < this.responseRate[pop.segment[agent]]) {
			this.until.set(agent, time + this.config.effectDays);
			this.couponUsed.set(agent, 0);
		}
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		if (!(this.until.get(agent) > sim.now)) return 1;
		if (risk === RISK_PURCHASE) return this.config.purchaseRateMultiplier;
		if (risk === RISK_DROPOUT) return this.config.dropoutMultiplier;
		return 1;
	}

	onOrder(sim: SimulationView, agent: number, time: number): number {
		const pop = sim.population;
		if (this.until.get(agent) > time && this.couponUsed.get(agent) === 0 && this.spend(this.config.couponCost)) {
			this.couponUsed.set(agent, 1);
			sim.bookCost(CAMPAIGN, time, this.config.couponCost);
		}
		return 0;
	}

	/** Takes `amount` from the budget; false when it is not there. */
	private spend(amount: number): boolean {
		if (amount > this.budgetLeft) return false;
		this.budgetLeft -= amount;
		return true;
	}
}
