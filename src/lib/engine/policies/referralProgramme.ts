/**
 * Referral programme: people in the inviting stages invite at a multiple of
 * their segment's rate, invitations convert at a multiple of its conversion,
 * and rewards are paid as the variant says: standard (referrer and referee
 * when the referee first buys), group buy (once k referees have bought) or
 * friend assist (the referrer, once k friends have joined).
 */
import type { Model } from '../model';
import type { PolicyOf } from '../scenario/schema';
import { RISK_INVITE, RISK_INVITE_CONVERSION, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { NO_COLUMN, type PolicyColumn } from '../population';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const REWARD = COST_ROW.reward;

export class ReferralProgramme implements Policy {
	readonly id: string;
	readonly risks = ['invite', 'inviteConversion'] as const;
	private readonly scope: Scope;
	private readonly inviting: Uint8Array;
	/** Columns: the inviter + 1 of a referred person (0 = none); referees or friends counted towards the next group. */
	private referrer: PolicyColumn = NO_COLUMN;
	private groupCount: PolicyColumn = NO_COLUMN;

	constructor(
		private readonly config: PolicyOf<'referralProgramme'>,
		private readonly model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
		this.inviting = Uint8Array.from(model.stageIds, (id) => (config.invitingStages.includes(id) ? 1 : 0));
	}

	attach(sim: SimulationView): void {
		// Programmes of the same scope write the same inviter for a referee: they share the column (a smaller record per person).
		this.referrer = sim.population.column(`referral:referrer:${JSON.stringify([this.config.segments, this.config.startDay, this.config.endDay])}`);
		this.groupCount = sim.population.column(`referral:${this.id}:group`);
	}

	beginDay(sim: SimulationView, day: number): void {
		if (this.scope.isBoundary(day)) {
			this.scope.redrawCovered(sim, day, (a) => sim.isLiveCustomer(a) && this.inviting[sim.population.stage[a]] === 1);
		}
	}

	private invites(sim: SimulationView, agent: number): boolean {
		return this.inviting[sim.population.stage[agent]] === 1 && this.scope.applies(sim, agent);
	}

	extraRate(sim: SimulationView, agent: number, risk: number): number {
		// Stages that invite by themselves already have their segment's rate.
		if (risk !== RISK_INVITE || this.model.stageInvites[sim.population.stage[agent]] || !this.invites(sim, agent)) return 0;
		return this.model.invitesPerDay[sim.population.segment[agent]];
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		if (risk === RISK_INVITE && this.invites(sim, agent)) return this.config.inviteRateMultiplier;
		if (risk === RISK_INVITE_CONVERSION && this.invites(sim, agent)) return this.config.conversionMultiplier;
		return 1;
	}

	onReferral(sim: SimulationView, inviter: number, invitee: number, time: number): void {
		if (!this.scope.applies(sim, inviter)) return;
		this.referrer.set(invitee, inviter + 1);
		if (this.config.variant === 'friendAssist' && this.completesGroup(sim, inviter)) {
			sim.bookCost(REWARD, time, this.config.referrerReward);
		}
	}

	onFirstPurchase(sim: SimulationView, agent: number, time: number): void {
		const inviter = this.referrer.get(agent) - 1;
		if (inviter < 0) return;
		const { variant, referrerReward, refereeReward, friendsNeeded } = this.config;
		if (variant === 'standard') sim.bookCost(REWARD, time, referrerReward + refereeReward);
		else if (variant === 'groupBuy' && this.completesGroup(sim, inviter)) {
			sim.bookCost(REWARD, time, referrerReward + friendsNeeded * refereeReward);
		}
	}

	/** Counts one more friend for the inviter; true when that completes a group of k. */
	private completesGroup(sim: SimulationView, inviter: number): boolean {
		const count = this.groupCount.add(inviter, 1);
		return count % this.config.friendsNeeded === 0;
	}
}
