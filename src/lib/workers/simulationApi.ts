/**
 * What a simulation worker offers, the same in a browser Web Worker and a Node
 * worker thread: run one shard of one replication, and send its arrays back
 * as transferred buffers (no copy, no arrays of objects). A shard can also be
 * run in slices of about a tenth of a second, so the caller hears how many
 * days are simulated while it runs.
 */
import { transfer } from 'comlink';
import { outputBuffers, type RunOutput } from '../engine/output';
import { referralGrowth } from '../engine/growth';
import { createShardSimulation, finishSimulation, runShard, simulateFor, type ShardTask } from '../engine/run';
import type { Simulation } from '../engine/simulation';
import type { Scenario } from '../engine/scenario/schema';
import type { ArmStatistics, TestMetric } from '../experiment/armObserver';
import { runArm, type ArmJob } from '../experiment/testPlan';
import { interruptWarmUp, warmUp } from './warmUp';

export interface SimulationApi {
	/** `growth`: the referral growth the caller measured (see Job.growth); else this worker's pilot measures it. */
	runShard(scenario: Scenario, task: ShardTask, growth?: number): RunOutput;
	/** Starts a shard to be run in slices; returns its handle. */
	startShard(scenario: Scenario, task: ShardTask, growth?: number): number;
	/** Simulates days for about `budgetMs` milliseconds; returns the days simulated so far. */
	advanceShard(handle: number, budgetMs: number): number;
	/** The finished shard's output (its handle is then forgotten). */
	finishShard(handle: number): RunOutput;
	/** How much referrals multiply the scenario's people (a pilot run; GROWTH_LIMIT or more is a runaway). */
	referralGrowth(scenario: Scenario): number;
	/** Simulates arms of a live-test rehearsal; a batch per call keeps messages few. */
	runArms(arms: ArmJob[], metric: TestMetric, armSize: number): ArmStatistics[];
	/** Simulates the first days of runs to come, so their first shards run at full speed; any other call stops it (see warmUp.ts). */
	warmUp(scenarios: Scenario[]): Promise<void>;
}

const running = new Map<number, Simulation>();
let nextHandle = 1;

function shard(handle: number): Simulation {
	const sim = running.get(handle);
	if (!sim) throw new Error(`no shard with handle ${handle} in this worker`);
	return sim;
}

export const simulationApi: SimulationApi = {
	runShard(scenario, task, growth) {
		interruptWarmUp();
		const out = runShard(scenario, task, growth);
		return transfer(out, outputBuffers(out));
	},
	startShard(scenario, task, growth) {
		interruptWarmUp();
		const handle = nextHandle++;
		running.set(handle, createShardSimulation(scenario, task, [], growth));
		return handle;
	},
	advanceShard(handle, budgetMs) {
		return simulateFor(shard(handle), budgetMs);
	},
	finishShard(handle) {
		const sim = shard(handle);
		running.delete(handle);
		const out = finishSimulation(sim);
		return transfer(out, outputBuffers(out));
	},
	referralGrowth(scenario) {
		interruptWarmUp();
		return referralGrowth(scenario);
	},
	runArms(arms, metric, armSize) {
		interruptWarmUp();
		return arms.map((arm) => runArm(arm, metric, armSize));
	},
	warmUp
};
