/**
 * Membership (members-only content, stored-value card, paid club): a share of
 * new buyers join at their first purchase; members buy faster and leave less;
 * the business pays to sign them up and to serve them every day they are
 * members, including members who have silently left (it cannot tell).
 */
import type { Model } from '../model';
import { uniform } from '../random';
import type { PolicyOf } from '../scenario/schema';
import { RISK_DROPOUT, RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { NO_COLUMN, type PolicyColumn } from '../population';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const CAMPAIGN = COST_ROW.campaign;

export class Membership implements Policy {
	readonly id: string;
	readonly risks = ['purchase', 'dropout'] as const;
	private readonly scope: Scope;
	/** Column: 1 for members. */
	private member: PolicyColumn = NO_COLUMN;
	private members = 0;

	constructor(
		private readonly config: PolicyOf<'membership'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
	}

	attach(sim: SimulationView): void {
		this.member = sim.population.column(`membership:${this.id}:member`);
	}

	beginDay(sim: SimulationView, day: number): void {
		if (!this.scope.isOpen(day)) return;
		if (this.members > 0 && this.config.costPerMemberDay > 0) sim.bookCost(CAMPAIGN, day, this.members * this.config.costPerMemberDay);
		if (this.scope.isBoundary(day)) this.scope.redrawCovered(sim, day, (a) => sim.isLiveCustomer(a) && this.member.get(a) === 1);
	}

	onFirstPurchase(sim: SimulationView, agent: number, time: number): void {
		if (!this.scope.applies(sim, agent) || !(uniform(sim.rng) < this.config.joinProbability)) return;
		this.member.set(agent, 1);
		this.members++;
		sim.bookCost(CAMPAIGN, time, this.config.costPerJoin);
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		if (this.member.get(agent) !== 1 || !this.scope.isOpen(sim.now)) return 1;
		if (risk === RISK_PURCHASE) return this.config.purchaseRateMultiplier;
		if (risk === RISK_DROPOUT) return this.config.dropoutMultiplier;
		return 1;
	}
}
