/**
 * One person's story as the classroom tells it: what happened (from the
 * recorder), what a business could observe (days since the last order), and
 * what only the model knows (whether the person has really left for good).
 */
import { DROPOUT_PARETO_NBD } from '../engine/model';
import { ALIVE } from '../engine/population';
import type { Simulation } from '../engine/simulation';
import type { AgentRecord } from './classroomRecorder';
import type { PolicyColumn } from '../engine/population';

/** What a business sees from orders alone. */
export type ObservedStatus = 'prospect' | 'active' | 'quiet' | 'dormant';
/** What the model knows: still a possible buyer, or gone for good. */
export type LatentStatus = 'prospect' | 'alive' | 'churned' | 'lostProspect';

export interface AgentStory extends AgentRecord {
	agent: number;
	segment: number;
	stage: number;
	observed: ObservedStatus;
	latent: LatentStatus;
	/** Whole days since the last order, or null before the first. */
	daysSinceLastOrder: number | null;
	/** Time the person left for good (right after their last order in BG/NBD and MBG/NBD, between orders in Pareto/NBD), or null while alive. */
	churnedAt: number | null;
	/** Latent purchase rate λ as orders a year, and the chance of leaving after each repeat order (customers only; null in Pareto/NBD, which has none). */
	ordersPerYear: number | null;
	dropoutChance: number | null;
	/** True in Pareto/NBD: the person leaves at an unseen moment between orders, not right after one. */
	leavesBetweenOrders: boolean;
	/** Points held and tier (0 = none) when a points programme runs. */
	points: { balance: number; tier: number } | null;
}

/** Where the points programme keeps a person's balance and tier (population columns). */
export interface PointsColumns {
	balance: PolicyColumn;
	tier: PolicyColumn;
}

/** The story of `agent` on the simulation's current day. */
export function agentStory(sim: Simulation, record: AgentRecord, agent: number, points: PointsColumns | null): AgentStory {
	const pop = sim.population;
	const bought = pop.firstPurchaseTime(agent) >= 0;
	const alive = (pop.flags(agent) & ALIVE) !== 0;
	const stage = pop.stage[agent];
	const last = pop.lastPurchaseTime(agent);
	const daysSinceLastOrder = bought ? Math.max(0, Math.floor(sim.day - last)) : null;
	// A Pareto/NBD customer's dropout trait is its time of death, not a chance.
	const lifetime = sim.model.dropoutModel[pop.segment[agent]] === DROPOUT_PARETO_NBD;
	return {
		...record,
		agent,
		segment: pop.segment[agent],
		stage,
		observed: observedStatus(sim, daysSinceLastOrder),
		latent: !bought ? (stage === sim.model.churnedStage ? 'lostProspect' : 'prospect') : alive ? 'alive' : 'churned',
		daysSinceLastOrder,
		churnedAt: bought && !alive ? (lifetime ? pop.dropoutTrait(agent) : last) : null,
		ordersPerYear: bought ? pop.purchaseRate(agent) * 365 : null,
		dropoutChance: bought && !lifetime ? pop.dropoutTrait(agent) : null,
		leavesBetweenOrders: lifetime,
		points: points ? { balance: points.balance.get(agent), tier: points.tier.get(agent) } : null
	};
}

/** Active within the metrics' active window, dormant after the scenario's dormancy days, quiet between. */
function observedStatus(sim: Simulation, daysSinceLastOrder: number | null): ObservedStatus {
	if (daysSinceLastOrder === null) return 'prospect';
	const scenario = sim.model.scenario;
	if (daysSinceLastOrder < scenario.metrics.activeWindowDays) return 'active';
	return daysSinceLastOrder >= scenario.dormancyDays ? 'dormant' : 'quiet';
}
