/** First-order incentive (a 1-yuan deal with a free service): prospects buy for the first time faster; a subsidy per first order. */
import type { Model } from '../model';
import { PROSPECT } from '../model';
import type { PolicyOf } from '../scenario/schema';
import type { Policy, SimulationView } from './policy';
import { Scope } from './scope';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const CAMPAIGN = COST_ROW.campaign;

export class FirstOrderIncentive implements Policy {
	readonly id: string;
	readonly risks = ['transition'] as const;
	private readonly scope: Scope;
	/** Per transition: 1 when it leads to the first purchase. */
	private readonly intoFirstPurchase: Uint8Array;

	constructor(
		private readonly config: PolicyOf<'firstOrderIncentive'>,
		private readonly model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
		this.intoFirstPurchase = Uint8Array.from(model.transitionTarget, (to) => (to === model.entryStage ? 1 : 0));
	}

	beginDay(sim: SimulationView, day: number): void {
		if (this.scope.isBoundary(day)) {
			this.scope.redrawCovered(sim, day, (a) => this.model.stageKind[sim.population.stage[a]] === PROSPECT);
		}
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		return risk >= 0 && this.intoFirstPurchase[risk] === 1 && this.scope.applies(sim, agent) ? this.config.conversionMultiplier : 1;
	}

	onFirstPurchase(sim: SimulationView, agent: number, time: number): void {
		if (this.scope.applies(sim, agent)) sim.bookCost(CAMPAIGN, time, this.config.subsidyPerFirstOrder);
	}
}
