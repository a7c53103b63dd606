/**
 * A measurement policy for the classroom: it writes down what happens to
 * each person (stage moves, orders, invitations, friends who joined, leaving
 * for good) and the day's events for the view's brief marks. Like the A/B
 * arm observer, it books nothing and changes no rate, so the simulation's
 * results are the same with or without it.
 */
import type { Policy } from '../engine/policies/policy';
import type { Simulation } from '../engine/simulation';

/** Kinds of event the view marks. */
export const EVENT_PURCHASE = 0;
export const EVENT_INVITE = 1;
export const EVENT_REFERRAL = 2;
export const EVENT_CHURN = 3;
export type EventKind = typeof EVENT_PURCHASE | typeof EVENT_INVITE | typeof EVENT_REFERRAL | typeof EVENT_CHURN;

/** One thing that happened to one person on a day. */
export interface ClassroomEvent {
	agent: number;
	kind: EventKind;
	/** Time within the simulation, in days. */
	time: number;
}

/** What the engine did with one person so far, in the order it happened. */
export interface AgentRecord {
	/** The day the person appeared (0 for the people present at the start). */
	joinedDay: number;
	/** The customer whose invitation brought this person, or −1. */
	referredBy: number;
	/** Every stage the person has been in and the time they entered it. */
	stages: { time: number; stage: number }[];
	orders: { time: number; value: number }[];
	invitesSent: number;
	/** Friends who joined through this person's invitations. */
	friendsJoined: number[];
}

export class ClassroomRecorder implements Policy {
	readonly id = 'classroom-recorder';
	readonly risks = [] as const;
	readonly records: AgentRecord[] = [];
	/** Events since the view last took them. */
	private pending: ClassroomEvent[] = [];

	onStageChange(sim: Simulation, agent: number, from: number, to: number, time: number): void {
		this.recordOf(sim, agent, from, time).stages.push({ time, stage: to });
		if (to === sim.model.churnedStage) this.pending.push({ agent, kind: EVENT_CHURN, time });
	}

	onOrder(sim: Simulation, agent: number, time: number, orderValue: number): number {
		this.recordOf(sim, agent, sim.population.stage[agent], time).orders.push({ time, value: orderValue });
		this.pending.push({ agent, kind: EVENT_PURCHASE, time });
		return 0;
	}

	onInvite(sim: Simulation, inviter: number, time: number): void {
		this.recordOf(sim, inviter, sim.population.stage[inviter], time).invitesSent++;
		this.pending.push({ agent: inviter, kind: EVENT_INVITE, time });
	}

	onReferral(sim: Simulation, inviter: number, invitee: number, time: number): void {
		this.recordOf(sim, inviter, sim.population.stage[inviter], time).friendsJoined.push(invitee);
		this.recordOf(sim, invitee, sim.population.stage[invitee], time).referredBy = inviter;
		this.pending.push({ agent: invitee, kind: EVENT_REFERRAL, time });
	}

	/** The person's record, started on first sight in `stage` (people are added without a hook, so this is the first we hear of them). */
	recordOf(sim: Simulation, agent: number, stage: number, time: number): AgentRecord {
		let record = this.records[agent];
		if (!record) {
			const joined = agent < sim.part.initialAgents ? 0 : Math.floor(time);
			record = { joinedDay: joined, referredBy: -1, stages: [{ time: joined, stage }], orders: [], invitesSent: 0, friendsJoined: [] };
			this.records[agent] = record;
		}
		return record;
	}

	/** The events since the last call, oldest first. */
	takeEvents(): ClassroomEvent[] {
		const events = this.pending;
		this.pending = [];
		return events;
	}
}
