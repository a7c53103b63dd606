/** Live-test rehearsal arms on worker pools, a batch of arms per call so messages stay few. */
import type { ArmStatistics } from '../experiment/armObserver';
import type { ArmJob, ArmRunner } from '../experiment/testPlan';
import type { WorkerPool } from './pool';

const ARMS_PER_CALL = 8;

/**
 * An ArmRunner on `pools` (one, or several sharing the batches in turn: arms
 * cost alike, and each batch's statistics go back to its place, so the
 * answer is the same for any number of pools and workers); `onBatchDone`
 * hears each batch finish with its number of arms (for progress).
 */
export function poolArmRunner(pools: WorkerPool | WorkerPool[], onBatchDone: (arms: number) => void = () => {}): ArmRunner {
	const all = Array.isArray(pools) ? pools : [pools];
	return async (arms, metric, armSize) => {
		const batches: ArmJob[][] = [];
		for (let i = 0; i < arms.length; i += ARMS_PER_CALL) batches.push(arms.slice(i, i + ARMS_PER_CALL));
		// Batch b goes to pool b mod P, so pools with a worker each finish together.
		const shares = all.map((_, p) => batches.filter((_, b) => b % all.length === p));
		const running = all.map((pool, p) =>
			pool.runCalls(
				shares[p],
				async (api, batch) => {
					const stats = (await api.runArms(batch, metric, armSize)) as ArmStatistics[];
					onBatchDone(batch.length);
					return stats;
				},
				(batch) => `arms of tests ${Math.floor(batch[0].replication / 2) + 1}–${Math.floor(batch[batch.length - 1].replication / 2) + 1}`
			)
		);
		let results: ArmStatistics[][][];
		try {
			results = await Promise.all(running);
		} catch (error) {
			// One pool failed: the others' work for this plan is no longer wanted.
			if (all.length > 1) all.forEach((pool) => pool.cancel());
			for (const r of running) r.catch(() => {});
			throw error;
		}
		return batches.flatMap((_, b) => results[b % all.length][Math.floor(b / all.length)]);
	};
}
