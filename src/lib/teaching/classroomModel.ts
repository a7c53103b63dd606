/**
 * One classroom population: a single shard of the scenario, stepped a day at
 * a time through the engine's own stepping API, with a recorder policy that
 * writes down each person's story. Everything the view shows (counts, moves,
 * marks, stories) is read from the engine, so it is the engine's result for
 * that seed, never a separate animation model. Going back in time means
 * simulating again from day 0: cheap at classroom sizes, and exact.
 */
import { createShardSimulation } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import type { Simulation } from '../engine/simulation';
import { agentStory, type AgentStory, type PointsColumns } from './agentStory';
import { ClassroomRecorder, type ClassroomEvent } from './classroomRecorder';

export class ClassroomModel {
	readonly stageCount: number;
	sim!: Simulation;
	private recorder!: ClassroomRecorder;
	/** People per stage before day 0 is simulated. */
	private initialCounts!: Int32Array;
	/** Stage-to-stage moves of each simulated day: from × stageCount + to. */
	private dailyMoves: Float64Array[] = [];
	/** The engine's cumulative flows when the current day began, to take each day's moves as a difference. */
	private flowsBefore!: Float64Array;
	private points: PointsColumns | null = null;
	/** Events of the most recent simulated day. */
	lastEvents: ClassroomEvent[] = [];

	constructor(readonly scenario: Scenario) {
		this.stageCount = scenario.stages.length;
		this.reset();
	}

	/** Starts again from day 0 with the same seed: the same people, the same story. */
	reset(): void {
		this.recorder = new ClassroomRecorder();
		this.sim = createShardSimulation(this.scenario, { replication: 0, shard: 0 }, [this.recorder]);
		this.initialCounts = Int32Array.from(this.sim.stageCounts);
		this.flowsBefore = Float64Array.from(this.sim.output.flows);
		this.dailyMoves = [];
		this.lastEvents = [];
		this.points = pointsColumns(this.sim);
	}

	/** Days simulated so far (the day counter). */
	get day(): number {
		return this.sim.day;
	}

	get horizon(): number {
		return this.sim.model.horizonDays;
	}

	get finished(): boolean {
		return this.sim.finished;
	}

	/** People per stage now: the engine's running counts, equal to its output for the last simulated day. */
	get stageCounts(): Int32Array {
		return this.sim.stageCounts;
	}

	/** Everyone the simulation holds, present from the start or joined since. */
	get size(): number {
		return this.sim.population.size;
	}

	/** Simulates one day; false when the horizon was already reached. */
	step(): boolean {
		if (this.sim.finished) return false;
		this.sim.step();
		const flows = this.sim.output.flows;
		this.dailyMoves.push(flows.map((f, i) => f - this.flowsBefore[i]));
		this.flowsBefore.set(flows);
		this.lastEvents = this.recorder.takeEvents();
		return true;
	}

	/** Simulates up to `days` days (fewer at the horizon). */
	advance(days: number): void {
		for (let i = 0; i < days && this.step(); i++);
	}

	/** Moves to the end of `day` days: forward by stepping, backward by simulating again from day 0. */
	seek(day: number): void {
		const target = Math.max(0, Math.min(this.horizon, Math.round(day)));
		if (target < this.day) this.reset();
		this.advance(target - this.day);
	}

	/** Stage-to-stage moves over the last `days` simulated days: from × stageCount + to. */
	movesOver(days: number): Float64Array {
		const sum = new Float64Array(this.stageCount * this.stageCount);
		for (const moves of this.dailyMoves.slice(-days)) moves.forEach((m, i) => (sum[i] += m));
		return sum;
	}

	/** People per stage `days` days ago (before the last `days` simulated days). */
	countsBefore(days: number): ArrayLike<number> {
		const day = Math.max(0, this.day - days);
		if (day === 0) return this.initialCounts;
		const out = this.sim.output;
		return Array.from({ length: this.stageCount }, (_, s) => out.stages[s * out.days + day - 1]);
	}

	/** The story of one person so far. */
	story(agent: number): AgentStory {
		const record = this.recorder.recordOf(this.sim, agent, this.sim.population.stage[agent], 0);
		return agentStory(this.sim, record, agent, this.points);
	}
}

/** The first running points programme's balance and tier columns, if any. */
function pointsColumns(sim: Simulation): PointsColumns | null {
	const config = sim.model.scenario.policies.find((p) => p.type === 'pointsProgramme' && p.enabled);
	if (!config) return null;
	// The programme reserved these columns when it attached; column() hands back the same handles.
	return { balance: sim.population.column(`points:${config.id}:balance`), tier: sim.population.column(`points:${config.id}:tier`) };
}
