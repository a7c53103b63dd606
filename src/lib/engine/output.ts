/**
 * What a run emits: daily counters and cohort bookkeeping as flat Float64Arrays,
 * additive across shards, so results travel between threads as transferable
 * buffers and merge by adding. KPIs and intervals are computed from these in
 * experiment/, never here.
 */

/** Daily series, each one row of `series` (index × days + day). */
export const SERIES = [
	'population',
	'prospectsAcquired',
	'referredProspects',
	'invites',
	'newCustomers',
	'purchases',
	'repeatPurchases',
	'gmv',
	'discounts',
	'grossProfit',
	'acquisitionSpend',
	'programmeCost',
	'activeCustomers',
	'latentChurn',
	'events',
	'referredCustomers',
	'referredRepeatPurchases',
	'messagesSent',
	'pointsIssued',
	'pointsRedeemed',
	'pointsExpired'
] as const;
export type SeriesName = (typeof SERIES)[number];

/** Kinds of programme cost; acquisition spend is booked separately. */
export const COST_KINDS = ['fixed', 'campaign', 'reward', 'points', 'tierBenefit'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/** Row of a series in `RunOutput.series`. */
export const SERIES_ROW = Object.fromEntries(SERIES.map((name, i) => [name, i])) as Record<SeriesName, number>;
/** Row of a cost kind in `RunOutput.costs`. */
export const COST_ROW = Object.fromEntries(COST_KINDS.map((name, i) => [name, i])) as Record<CostKind, number>;

export const TOTAL_AGENT_DAYS = 0;
export const TOTAL_EVENTS = 1;
export const TOTAL_AGENTS = 2;

/** The raw result of one run (or one shard of it). */
export interface RunOutput {
	days: number;
	stageCount: number;
	cohortPeriodDays: number;
	cohortPeriods: number;
	/** People per stage at the end of each day: stage × days + day. */
	stages: Float64Array;
	/** SERIES rows × days. */
	series: Float64Array;
	/** COST_KINDS rows × days. */
	costs: Float64Array;
	/** First-time buyers per cohort period. */
	cohortSizes: Float64Array;
	/** Buyers of cohort c active in period c + m: c × periods + m. */
	cohortActive: Float64Array;
	/** By day of first purchase: customers whose second purchase came within the repurchase window. */
	repeatWithinWindow: Float64Array;
	/** By day of first purchase: gross profit from those customers within the LTV horizon. */
	ltvGrossProfit: Float64Array;
	/** Stage-to-stage moves over the whole run: from × stageCount + to (the flow view's data). */
	flows: Float64Array;
	/** [agent-days, events, agents created]. */
	totals: Float64Array;
}

/** An empty output of the given shape. */
export function createOutput(days: number, stageCount: number, cohortPeriodDays: number): RunOutput {
	const cohortPeriods = Math.ceil(days / cohortPeriodDays);
	return {
		days,
		stageCount,
		cohortPeriodDays,
		cohortPeriods,
		stages: new Float64Array(stageCount * days),
		series: new Float64Array(SERIES.length * days),
		costs: new Float64Array(COST_KINDS.length * days),
		cohortSizes: new Float64Array(cohortPeriods),
		cohortActive: new Float64Array(cohortPeriods * cohortPeriods),
		repeatWithinWindow: new Float64Array(days),
		ltvGrossProfit: new Float64Array(days),
		flows: new Float64Array(stageCount * stageCount),
		totals: new Float64Array(3)
	};
}

/** The arrays of a RunOutput: what is added, transferred and stored. */
export const OUTPUT_ARRAYS = ['stages', 'series', 'costs', 'cohortSizes', 'cohortActive', 'repeatWithinWindow', 'ltvGrossProfit', 'flows', 'totals'] as const;

/** Adds `part` into `sum` (shards of one replication add up to the whole run). */
export function addOutput(sum: RunOutput, part: RunOutput): void {
	for (const key of OUTPUT_ARRAYS) {
		const a = sum[key];
		const b = part[key];
		for (let i = 0; i < a.length; i++) a[i] += b[i];
	}
}

/** The buffers of an output, for transfer between threads. */
export function outputBuffers(out: RunOutput): ArrayBuffer[] {
	return OUTPUT_ARRAYS.map((key) => out[key].buffer as ArrayBuffer);
}

/** One daily series as a view (no copy). */
export function seriesOf(out: RunOutput, name: SeriesName): Float64Array {
	const row = SERIES_ROW[name];
	return out.series.subarray(row * out.days, (row + 1) * out.days);
}

/** One stage's daily counts as a view (no copy). */
export function stageSeries(out: RunOutput, stage: number): Float64Array {
	return out.stages.subarray(stage * out.days, (stage + 1) * out.days);
}

/** One cost kind's daily series as a view (no copy). */
export function costSeries(out: RunOutput, kind: CostKind): Float64Array {
	const row = COST_ROW[kind];
	return out.costs.subarray(row * out.days, (row + 1) * out.days);
}
