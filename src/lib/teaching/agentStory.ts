/**
 * One person's story as the classroom tells it: what happened (from the
 * recorder), what a business could observe (days since the last order), and
 * what only the model knows (whether the person has really left for good).
 */
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
	/** Time the person left for good (right after their last order in BG/NBD), or null while alive. */
	churnedAt: number | null;
	/** Latent purchase rate λ as orders a year, and the chance of leaving after each repeat order (customers only). */
	ordersPerYear: number | null;
	dropoutChance: number | null;
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
	return {
		...record,
		agent,
		segment: pop.segment[agent],
		stage,
		observed: observedStatus(sim, daysSinceLastOrder),
		latent: !bought ? (stage === sim.model.churnedStage ? 'lostProspect' : 'prospect') : alive ? 'alive' : 'churned',
		daysSinceLastOrder,
		churnedAt: bought && !alive ? last : null,
		ordersPerYear: bought ? pop.purchaseRate(agent) * 365 : null,
		dropoutChance: bought ? pop.dropoutProbability(agent) : null,
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
