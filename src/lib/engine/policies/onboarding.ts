/** Onboarding plan (7-day growth plan, new-member coupon): new buyers buy faster for a while; a cost per new buyer. */
import type { Model } from '../model';
import type { PolicyOf } from '../scenario/schema';
import { RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { NO_COLUMN, type PolicyColumn } from '../population';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const CAMPAIGN = COST_ROW.campaign;

export class Onboarding implements Policy {
	readonly id: string;
	readonly risks = ['purchase'] as const;
	/** Its timers start at a purchase. */
	readonly buyersOnly = true;
	private readonly scope: Scope;
	/** Column: time the agent's plan ends (0 = none). */
	private until: PolicyColumn = NO_COLUMN;

	constructor(
		private readonly config: PolicyOf<'onboarding'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
	}

	attach(sim: SimulationView): void {
		this.until = sim.population.column(`onboarding:${this.id}:until`);
	}

	onFirstPurchase(sim: SimulationView, agent: number, time: number): void {
		if (!this.scope.applies(sim, agent)) return;
		sim.bookCost(CAMPAIGN, time, this.config.costPerNewBuyer);
		this.until.set(agent, time + this.config.durationDays);
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		return risk === RISK_PURCHASE && this.until.get(agent) > sim.now ? this.config.purchaseRateMultiplier : 1;
	}

	deadline(sim: SimulationView, agent: number): number {
		const until = this.until.get(agent);
		return until > sim.now ? until : Infinity;
	}
}
