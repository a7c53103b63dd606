/**
 * What a simulation worker offers, the same in a browser Web Worker and a Node
 * worker thread: run one shard of one replication, and send its arrays back
 * as transferred buffers (no copy, no arrays of objects).
 */
import { transfer } from 'comlink';
import { outputBuffers, type RunOutput } from '../engine/output';
import { runShard, type ShardTask } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import type { ArmStatistics, TestMetric } from '../experiment/armObserver';
import { runArm, type ArmJob } from '../experiment/testPlan';

export interface SimulationApi {
	runShard(scenario: Scenario, task: ShardTask): RunOutput;
	/** Simulates arms of a live-test rehearsal; a batch per call keeps messages few. */
	runArms(arms: ArmJob[], metric: TestMetric, armSize: number): ArmStatistics[];
}

export const simulationApi: SimulationApi = {
	runShard(scenario, task) {
		const out = runShard(scenario, task);
		return transfer(out, outputBuffers(out));
	},
	runArms(arms, metric, armSize) {
		return arms.map((arm) => runArm(arm, metric, armSize));
	}
};
