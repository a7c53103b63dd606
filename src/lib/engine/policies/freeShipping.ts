/** Free-shipping threshold ("spend X more for free shipping"): near orders are topped up; shipping on qualifying orders is a discount. */
import type { Model } from '../model';
import { uniform } from '../random';
import type { PolicyOf } from '../scenario/schema';
import type { Policy, SimulationView } from './policy';
import { Scope } from './scope';

export class FreeShipping implements Policy {
	readonly id: string;
	private readonly scope: Scope;
	private readonly nearFrom: number;

	constructor(
		private readonly config: PolicyOf<'freeShipping'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
		this.nearFrom = config.thresholdOrderValue * (1 - config.nearBand);
	}

	adjustOrderValue(sim: SimulationView, agent: number, _time: number, orderValue: number): number {
		const threshold = this.config.thresholdOrderValue;
		if (orderValue >= threshold || orderValue < this.nearFrom || !this.scope.applies(sim, agent)) return orderValue;
		return uniform(sim.rng) < this.config.topUpProbability ? threshold : orderValue;
	}

	onOrder(sim: SimulationView, agent: number, _time: number, orderValue: number): number {
		return orderValue >= this.config.thresholdOrderValue && this.scope.applies(sim, agent) ? this.config.shippingCostPerOrder : 0;
	}
}
