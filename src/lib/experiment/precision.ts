/**
 * Experiments that run until the answer is clear: instead of a fixed number
 * of replications, a target for the paired relative lift's 95% half-width of
 * one metric (every variant against the control) and a cap. Replications are
 * added in batches until the target is met or the cap is reached, and the
 * result says which. Batch sizes follow from the target and the replications
 * already in (each of which is the same whoever computes it), never from
 * timing, so the result does not depend on the number of workers.
 *
 * Stopping is on precision, not on significance: whether the interval is
 * narrow enough does not depend on which side of zero the difference falls,
 * so stopping early does not select favourable intervals and their 95%
 * coverage holds (up to the small optional-stopping effect of a variance
 * estimate that steers the sample size).
 */
import { replicationKpis, type KpiName } from './kpis';
import { ratioEstimate } from './statistics';
import type { JobRunner } from './jobs';
import { runVariants, type RunLosses, type RunVariantsOptions, type VariantRuns } from './runVariants';
import type { ResolvedVariant } from './experiment';

/** A precision target: the paired lift's 95% half-width of `metric`, at most `maxReplications` replications. */
export interface PrecisionTarget {
	metric: KpiName;
	/** Half-width wanted, as a share (0.01 = one percentage point of lift). */
	liftHalfWidth: number;
	maxReplications: number;
}

/** The widest lift half-width after a batch. */
export interface PrecisionStep {
	replications: number;
	/** null while it cannot be computed (fewer than 2 replications, or a control mean of 0). */
	halfWidth: number | null;
}

/** How a run to precision ended. */
export interface Stopping {
	/** 'running' only in partial results, while batches are still being added. */
	reason: 'target' | 'cap' | 'running';
	target: PrecisionTarget;
	/** The half-width after each batch: the interval narrowing as replications arrived. */
	steps: PrecisionStep[];
}

/** Replications in the first batch (enough for a first spread estimate), and the smallest batch after it. */
export const FIRST_BATCH = 10;
const MIN_BATCH = 10;

/** The widest 95% half-width of the relative lift of `metric` among all variants against the control. */
export function widestLiftHalfWidth(runs: VariantRuns[], control: string, metric: KpiName): number | null {
	const columns = runs.map((r) => r.outputs.map((o) => replicationKpis(o, r.scenario)[metric]));
	const c = runs.findIndex((r) => r.name === control);
	let widest = 0;
	for (let i = 0; i < runs.length; i++) {
		if (i === c) continue;
		const ci = ratioEstimate(columns[i], columns[c]).ci95;
		if (!ci) return null;
		widest = Math.max(widest, (ci[1] - ci[0]) / 2);
	}
	return runs.length > 1 ? widest : null;
}

/**
 * Total replications after the next batch: the count the spread so far says
 * the target needs (half-width shrinks as 1/√n), in whole batches of ten, at
 * least one more batch and at most double, never past the cap.
 */
export function nextTotal(done: number, halfWidth: number | null, target: PrecisionTarget): number {
	const projected = halfWidth === null ? 2 * done : Math.ceil((done * (halfWidth / target.liftHalfWidth) ** 2) / MIN_BATCH) * MIN_BATCH;
	return Math.min(target.maxReplications, Math.max(done + MIN_BATCH, Math.min(2 * done, projected)));
}

/** Called after each batch with the runs so far and the narrowing. */
export type BatchListener = (runs: VariantRuns[], steps: PrecisionStep[]) => void;

/** Runs batches of replications until the target is met or the cap is reached. */
export async function runToPrecision(
	variants: ResolvedVariant[],
	control: string,
	target: PrecisionTarget,
	run: JobRunner,
	commonRandomNumbers = true,
	losses: RunLosses = { failures: [], droppedReplications: [] },
	options: RunVariantsOptions & { onBatch?: BatchListener } = {}
): Promise<{ runs: VariantRuns[]; stopping: Stopping }> {
	const { onBatch, ...rest } = options;
	const steps: PrecisionStep[] = [];
	let runs: VariantRuns[] | null = null;
	let done = 0;
	let total = Math.min(FIRST_BATCH, target.maxReplications);
	for (;;) {
		const batch = await runVariants(variants, total - done, run, commonRandomNumbers, losses, { ...rest, firstReplication: done });
		runs = runs ? runs.map((r, i) => ({ ...r, outputs: [...r.outputs, ...batch[i].outputs] })) : batch;
		done = total;
		const halfWidth = widestLiftHalfWidth(runs, control, target.metric);
		steps.push({ replications: runs[0].outputs.length, halfWidth });
		onBatch?.(runs, [...steps]);
		if (halfWidth !== null && halfWidth <= target.liftHalfWidth) return { runs, stopping: { reason: 'target', target, steps } };
		if (done >= target.maxReplications) return { runs, stopping: { reason: 'cap', target, steps } };
		total = nextTotal(done, halfWidth, target);
	}
}
