/** Limited-time discount: while it runs, customers buy faster and every order gets the discount (booked against gross profit). */
import type { Model } from '../model';
import type { PolicyOf } from '../scenario/schema';
import { RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';

export class LimitedTimeDiscount implements Policy {
	readonly id: string;
	readonly risks = ['purchase'] as const;
	private readonly scope: Scope;

	constructor(
		private readonly config: PolicyOf<'limitedTimeDiscount'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
	}

	beginDay(sim: SimulationView, day: number): void {
		if (this.scope.isBoundary(day)) this.scope.redrawCovered(sim, day, (a) => sim.isLiveCustomer(a));
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		return risk === RISK_PURCHASE && this.scope.applies(sim, agent) ? this.config.purchaseRateMultiplier : 1;
	}

	onOrder(sim: SimulationView, agent: number, _time: number, orderValue: number): number {
		return this.scope.applies(sim, agent) ? orderValue * this.config.discountShare : 0;
	}
}
