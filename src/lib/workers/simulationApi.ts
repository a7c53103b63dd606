/**
 * What a simulation worker offers, the same in a browser Web Worker and a Node
 * worker thread: run one shard of one replication, and send its arrays back
 * as transferred buffers (no copy, no arrays of objects).
 */
import { transfer } from 'comlink';
import { outputBuffers, type RunOutput } from '../engine/output';
import { runShard, type ShardTask } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';

export interface SimulationApi {
	runShard(scenario: Scenario, task: ShardTask): RunOutput;
}

export const simulationApi: SimulationApi = {
	runShard(scenario, task) {
		const out = runShard(scenario, task);
		return transfer(out, outputBuffers(out));
	}
};
