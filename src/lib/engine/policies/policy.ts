/**
 * The policy interface. A policy is one file: it reacts to the day starting,
 * to an agent's purchases, stage changes and deadlines, scales an agent's
 * rates, and books what it costs. The event loop knows nothing else about it.
 */
import type { Simulation } from '../simulation';

/** Risk ids passed to rateMultiplier: a transition index (≥ 0) or one of these. */
export const RISK_PURCHASE = -1;
export const RISK_INVITE = -2;
/** Scales the chance of leaving after a repeat purchase (the result is capped at 1). */
export const RISK_DROPOUT = -3;
/** Scales the chance that an invitation brings a prospect (capped at 1). */
export const RISK_INVITE_CONVERSION = -4;

/** The kinds of risk a policy can scale or add to. */
export type RiskKind = 'transition' | 'purchase' | 'invite' | 'dropout' | 'inviteConversion';

/** Index of a risk id's kind in RISK_KINDS: transitions are 0, the named risks their negated id. */
export const RISK_KINDS: readonly RiskKind[] = ['transition', 'purchase', 'invite', 'dropout', 'inviteConversion'];

export interface Policy {
	readonly id: string;
	/** The risks rateMultiplier and extraRate act on; the engine asks about no others (default: all). */
	readonly risks?: readonly RiskKind[];
	/** Once, when the simulation is created: reserve per-agent columns here. */
	attach?(sim: Simulation): void;
	/** Once a day, before the day's events: inflows, daily costs, windows opening or closing. */
	beginDay?(sim: Simulation, day: number): void;
	/**
	 * Factor on one of an agent's rates. When it changes for an agent (a window
	 * opens), the policy calls sim.redraw(agent) so the next event is drawn anew.
	 */
	rateMultiplier?(sim: Simulation, agent: number, risk: number): number;
	/** A rate added to one of an agent's risks (per day), such as invitations from a stage that does not invite by itself. */
	extraRate?(sim: Simulation, agent: number, risk: number): number;
	/** The next time this policy wants to act on the agent, or Infinity. */
	deadline?(sim: Simulation, agent: number): number;
	/** Called when the agent's deadline from this policy has come (the next event is drawn afterwards). */
	onDeadline?(sim: Simulation, agent: number, time: number): void;
	/** After a prospect's first purchase has been booked. */
	onFirstPurchase?(sim: Simulation, agent: number, time: number): void;
	/** On every order, first: returns the order value after the policy's nudge (the value itself for none). */
	adjustOrderValue?(sim: Simulation, agent: number, time: number, orderValue: number): number;
	/** On every order, before it is booked; returns the discount it grants (0 for none). */
	onOrder?(sim: Simulation, agent: number, time: number, orderValue: number): number;
	/** When an agent sends an invitation, before it is known whether it converts. */
	onInvite?(sim: Simulation, inviter: number, time: number): void;
	/** After an invitation brought a new prospect. */
	onReferral?(sim: Simulation, inviter: number, invitee: number, time: number): void;
	/** After an agent has moved from one stage to another. */
	onStageChange?(sim: Simulation, agent: number, from: number, to: number, time: number): void;
}
