/**
 * The experiment format, lifecycle-lab/experiment@1: a base scenario (a file
 * or inline), variants as edits of it addressed by id (variantEdits.ts; one
 * of them the control; the older form, a JSON Merge Patch, is still read),
 * replications, a seed and the metrics of interest. Sweeps and sensitivity
 * runs name parameters by JSON Pointer into the scenario.
 */
import * as z from 'zod';
import { pointerProblem } from '../engine/scenario/jsonPointer';
import { id, labels } from '../engine/scenario/policySchemas';
import { KPI_NAMES } from './kpis';
import { optimiseSchema } from './optimise/schema';

export const EXPERIMENT_SCHEMA_ID = 'lifecycle-lab/experiment@1';

const pointer = z.string().regex(/^(\/[^/]*)+$/, 'must be a JSON Pointer such as /policies/1/pointsPerCurrencyUnit')
	.refine((p) => pointerProblem(p) === undefined, { error: (issue) => pointerProblem(String(issue.input)) });

/** A variant's edits: id path (/policies/operations/costPerDay) → value, null removes. */
export const variantEdits = z
	.record(z.string().regex(/^(\/[^/]*)+$/, 'must be a path such as /policies/operations/costPerDay'), z.unknown())
	.describe('edits of the base scenario by id path; null removes');

/** One variant: its edits of the base; `patch` is the older form (a JSON Merge Patch, applied first). */
export const variantSchema = z.strictObject({
	name: id,
	labels: labels.optional(),
	edits: variantEdits.optional(),
	patch: z.record(z.string(), z.unknown()).optional().describe('older form: JSON Merge Patch (RFC 7396) applied to the base scenario')
});

const sweepAxis = z.strictObject({
	parameter: pointer.describe('where the value goes in the scenario'),
	label: z.string().max(200).optional(),
	values: z.array(z.unknown()).min(1).max(50)
});

const sensitivityParameter = z.strictObject({
	parameter: pointer,
	label: z.string().max(200).optional(),
	low: z.unknown(),
	high: z.unknown()
});

const precision = z
	.strictObject({
		metric: z.enum(KPI_NAMES).describe('the metric whose paired lift must be this precise'),
		liftHalfWidth: z.number().gt(0).max(10).describe('target 95% half-width of the paired relative lift, as a share (0.01 = 1 point), for every variant against the control'),
		maxReplications: z.number().int().min(2).max(10000).default(200).describe('stop here even if the target is not met')
	})
	.describe('run replications in batches until the target is met or the cap reached, instead of a fixed count');

export const experimentSchema = z.strictObject({
	schema: z.literal(EXPERIMENT_SCHEMA_ID),
	name: id,
	labels: labels.optional(),
	scenario: z.union([z.string().min(1).describe('path of a scenario file, relative to the experiment file'), z.record(z.string(), z.unknown())]),
	replications: z.number().int().min(1).max(10000).default(20),
	seed: z.number().int().min(0).max(4294967295).optional().describe('overrides the scenario’s seed'),
	metrics: z.array(z.enum(KPI_NAMES)).min(1).default(['gmv', 'grossProfit', 'totalCost', 'roi', 'repurchaseRate']),
	control: id.optional().describe('name of the control variant; default: the first'),
	commonRandomNumbers: z
		.boolean()
		.default(true)
		.describe('variants share random streams replication by replication (paired differences carry far less noise); false gives each variant its own seed'),
	precision: precision.optional(),
	targetRelativeHalfWidth: z.number().gt(0).max(1).default(0.01).describe('precision wanted: 95% half-width as a share of the mean, for the replications-needed report'),
	variants: z.array(variantSchema).min(1).max(64).default([{ name: 'base' }]),
	sweep: z.array(sweepAxis).min(1).max(2).optional().describe('one or two parameters whose grid becomes the variants'),
	sensitivity: z.array(sensitivityParameter).min(1).max(32).optional().describe('parameters moved one at a time to low and high'),
	optimise: optimiseSchema.optional().describe('decision values to search, an objective and constraints; the control variant is the base')
});

export type ExperimentInput = z.input<typeof experimentSchema>;
export type Experiment = z.output<typeof experimentSchema>;
