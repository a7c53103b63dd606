/** Live-test rehearsal arms on a worker pool, a batch of arms per call so messages stay few. */
import type { ArmStatistics } from '../experiment/armObserver';
import type { ArmJob, ArmRunner } from '../experiment/testPlan';
import type { WorkerPool } from './pool';

const ARMS_PER_CALL = 8;

/** An ArmRunner on `pool`; `onBatchDone` hears each batch finish with its number of arms (for progress). */
export function poolArmRunner(pool: WorkerPool, onBatchDone: (arms: number) => void = () => {}): ArmRunner {
	return async (arms, metric, armSize) => {
		const batches: ArmJob[][] = [];
		for (let i = 0; i < arms.length; i += ARMS_PER_CALL) batches.push(arms.slice(i, i + ARMS_PER_CALL));
		const results = await pool.runCalls(
			batches,
			async (api, batch) => {
				const stats = (await api.runArms(batch, metric, armSize)) as ArmStatistics[];
				onBatchDone(batch.length);
				return stats;
			},
			(batch) => `arms of tests ${Math.floor(batch[0].replication / 2) + 1}–${Math.floor(batch[batch.length - 1].replication / 2) + 1}`
		);
		return results.flat();
	};
}
