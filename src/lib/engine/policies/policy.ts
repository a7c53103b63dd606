/**
 * The policy interface. A policy is one file: it reacts to the day starting,
 * to an agent's purchases, stage changes and deadlines, scales an agent's
 * rates, and books what it costs. The event loop knows nothing else about it.
 */
import type { Model } from '../model';
import type { Population } from '../population';
import type { RandomStream } from '../random';

/** Which part of which run a simulation is. */
export interface SimulationPart {
	seed: number;
	replication: number;
	/** This shard's index and the number of shards the population is split into. */
	shard: number;
	shards: number;
	/** People present on day 0 in this shard. */
	initialAgents: number;
}

/**
 * What a policy sees of the simulation: the model, the population, the
 * current agent's random stream, the clock, and ways to book costs, record
 * series, redraw an agent and add arrivals. The Simulation class implements
 * it; policies never import the class, so the two do not import each other.
 */
export interface SimulationView {
	readonly model: Model;
	readonly population: Population;
	readonly part: SimulationPart;
	/** The current agent's stream: keyed to (identity, draw counter) before each of its events. */
	readonly rng: RandomStream;
	/** Stream for arrivals; keyArrivals keys it to a channel's day. */
	readonly arrivalRng: RandomStream;
	/** Share of channel inflows and daily costs that falls to this shard. */
	readonly shardShare: number;
	/** Time of the event being handled, in days. */
	readonly now: number;
	/** The day being simulated. */
	readonly day: number;
	/** Draws the agent's next event anew from `time` (after a policy changed its rates). */
	redraw(agent: number, time: number): void;
	/**
	 * Books a programme cost on the day of `time`; `row` is COST_ROW[kind],
	 * looked up once by the policy: a lookup by name on every order costs more than the booking.
	 */
	bookCost(row: number, time: number, amount: number): void;
	/** Books acquisition spend on the day of `time`. */
	bookAcquisition(time: number, amount: number): void;
	/** Adds to a daily series on the day of `time`; `row` is SERIES_ROW[name], looked up once by the policy. */
	addToSeries(row: number, time: number, amount: number): void;
	/** True for a customer who has bought and has not left for good. */
	isLiveCustomer(agent: number): boolean;
	/** Keys arrivalRng to a channel's day. */
	keyArrivals(channel: number, day: number): void;
	/** Adds the `ordinal`-th prospect of a channel's day, arriving at `time`; returns its index. */
	addArrival(stage: number, segment: number, channel: number, time: number, ordinal: number): number;
}

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
	attach?(sim: SimulationView): void;
	/** Once a day, before the day's events: inflows, daily costs, windows opening or closing. */
	beginDay?(sim: SimulationView, day: number): void;
	/**
	 * Factor on one of an agent's rates. When it changes for an agent (a window
	 * opens), the policy calls sim.redraw(agent) so the next event is drawn anew.
	 */
	rateMultiplier?(sim: SimulationView, agent: number, risk: number): number;
	/**
	 * The most rateMultiplier can return for the agent and risk until the
	 * agent is next redrawn (it may not depend on the date): the engine draws
	 * at this rate and thins, so a factor that changes with the date alone
	 * needs no redraw when it does.
	 */
	rateCeiling?(sim: SimulationView, agent: number, risk: number): number;
	/** A rate added to one of an agent's risks (per day), such as invitations from a stage that does not invite by itself. */
	extraRate?(sim: SimulationView, agent: number, risk: number): number;
	/**
	 * True when deadline() is Infinity for anyone who has not bought yet (its
	 * timers start at a purchase): the engine then asks it about buyers only,
	 * and prospects' events never read its columns.
	 */
	readonly buyersOnly?: boolean;
	/** The next time this policy wants to act on the agent, or Infinity. */
	deadline?(sim: SimulationView, agent: number): number;
	/** Called when the agent's deadline from this policy has come (the next event is drawn afterwards). */
	onDeadline?(sim: SimulationView, agent: number, time: number): void;
	/** After a prospect's first purchase has been booked. */
	onFirstPurchase?(sim: SimulationView, agent: number, time: number): void;
	/** On every order, first: returns the order value after the policy's nudge (the value itself for none). */
	adjustOrderValue?(sim: SimulationView, agent: number, time: number, orderValue: number): number;
	/** On every order, before it is booked; returns the discount it grants (0 for none). */
	onOrder?(sim: SimulationView, agent: number, time: number, orderValue: number): number;
	/** When an agent sends an invitation, before it is known whether it converts. */
	onInvite?(sim: SimulationView, inviter: number, time: number): void;
	/** After an invitation brought a new prospect. */
	onReferral?(sim: SimulationView, inviter: number, invitee: number, time: number): void;
	/** After an agent has moved from one stage to another. */
	onStageChange?(sim: SimulationView, agent: number, from: number, to: number, time: number): void;
}
