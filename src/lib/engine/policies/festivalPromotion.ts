/** Festival promotions (618, Double 11, Spring Festival): on the festival days customers buy faster, orders get a discount, the campaign costs per day. */
import type { Model } from '../model';
import type { PolicyOf } from '../scenario/schema';
import { RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const CAMPAIGN = COST_ROW.campaign;

export class FestivalPromotion implements Policy {
	readonly id: string;
	readonly risks = ['purchase'] as const;
	private readonly scope: Scope;
	/** 1 on festival days, by day. */
	private readonly festivalDay: Uint8Array;
	/** False when no festival day falls in the horizon and the scope. */
	private readonly hasFestival: boolean;

	constructor(
		private readonly config: PolicyOf<'festivalPromotion'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
		this.festivalDay = new Uint8Array(model.horizonDays + 1);
		for (const { day, durationDays } of config.dates) {
			for (let d = day; d < Math.min(day + durationDays, model.horizonDays); d++) if (this.scope.isOpen(d)) this.festivalDay[d] = 1;
		}
		this.hasFestival = this.festivalDay.includes(1);
	}

	private isFestival(time: number): boolean {
		return this.festivalDay[Math.floor(time)] === 1;
	}

	beginDay(sim: SimulationView, day: number): void {
		if (this.isFestival(day)) sim.bookCost(CAMPAIGN, day, this.config.costPerDay * sim.shardShare);
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		return risk === RISK_PURCHASE && this.isFestival(sim.now) && this.scope.covers(sim, agent) ? this.config.purchaseRateMultiplier : 1;
	}

	// Purchases are drawn at the festival rate and thinned on other days: a weekly festival would otherwise redraw every customer twice a week.
	rateCeiling(sim: SimulationView, agent: number, risk: number): number {
		return risk === RISK_PURCHASE && this.hasFestival && this.scope.covers(sim, agent) ? Math.max(1, this.config.purchaseRateMultiplier) : 1;
	}

	onOrder(sim: SimulationView, agent: number, time: number, orderValue: number): number {
		return this.isFestival(time) && this.scope.covers(sim, agent) ? orderValue * this.config.discountShare : 0;
	}
}
