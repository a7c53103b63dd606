/** Festival promotions (618, Double 11, Spring Festival): on the festival days customers buy faster, orders get a discount, the campaign costs per day. */
import type { Model } from '../model';
import type { PolicyOf } from '../scenario/schema';
import { RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';

export class FestivalPromotion implements Policy {
	readonly id: string;
	readonly risks = ['purchase'] as const;
	private readonly scope: Scope;
	/** 1 on festival days, by day. */
	private readonly festivalDay: Uint8Array;

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
	}

	private isFestival(time: number): boolean {
		return this.festivalDay[Math.floor(time)] === 1;
	}

	beginDay(sim: SimulationView, day: number): void {
		if (this.isFestival(day)) sim.bookCost('campaign', day, this.config.costPerDay * sim.shardShare);
		// Rates change where a festival starts or ends.
		if (day > 0 && this.festivalDay[day] !== this.festivalDay[day - 1]) {
			this.scope.redrawCovered(sim, day, (a) => sim.isLiveCustomer(a));
		} else if (day === 0 && this.festivalDay[0] === 1) {
			this.scope.redrawCovered(sim, day, (a) => sim.isLiveCustomer(a));
		}
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		return risk === RISK_PURCHASE && this.isFestival(sim.now) && this.scope.covers(sim, agent) ? this.config.purchaseRateMultiplier : 1;
	}

	onOrder(sim: SimulationView, agent: number, time: number, orderValue: number): number {
		return this.isFestival(time) && this.scope.covers(sim, agent) ? orderValue * this.config.discountShare : 0;
	}
}
