/**
 * The notebook document, lifecycle-lab/notebook@1: an ordered list of cells
 * (text, scenario, experiment, chart, KPI table, test plan) that tells the
 * story of a campaign decision. Experiments name the scenario cell they
 * patch; charts, KPI tables and test plans name the experiment cell they show.
 */
import * as z from 'zod';
import { KPI_NAMES } from '../experiment/kpis';
import { COMPARISON_SERIES } from '../experiment/compare';
import { TEST_METRICS } from '../experiment/armObserver';
import { experimentSchema, variantSchema } from '../experiment/schema';
import { optimiseSchema } from '../experiment/optimise/schema';
import { id, labels } from '../engine/scenario/policySchemas';
import { OBSERVED_SERIES } from '../calibration/observedCurve';

export const NOTEBOOK_SCHEMA_ID = 'lifecycle-lab/notebook@1';

const cellId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1 to 40 letters, digits, _ or -');
const base = { id: cellId, collapsed: z.boolean().default(false) };

const textCell = z.strictObject({ ...base, kind: z.literal('text'), markdown: z.string().max(200_000) });
const scenarioCell = z.strictObject({ ...base, kind: z.literal('scenario'), scenario: z.record(z.string(), z.unknown()).describe('a scenario, validated when run') });
const experimentCell = z.strictObject({
	...base,
	kind: z.literal('experiment'),
	scenarioCell: cellId.describe('the scenario cell the variants edit'),
	variants: z.array(variantSchema).min(1).max(16),
	control: z.string().optional(),
	replications: z.number().int().min(1).max(1000).default(10),
	seed: z.number().int().min(0).max(4294967295).optional(),
	metrics: z.array(z.enum(KPI_NAMES)).min(1).default(['gmv', 'grossProfit', 'totalCost', 'roi', 'repurchaseRate']),
	commonRandomNumbers: z.boolean().default(true),
	/** Run until the paired lift is this precise (batches of replications) instead of a fixed count. */
	precision: experimentSchema.shape.precision,
	/** A sweep or a sensitivity analysis replaces the variants by the runs it makes (the experiment format's fields). */
	sweep: experimentSchema.shape.sweep,
	sensitivity: experimentSchema.shape.sensitivity
});
export const CHART_VIEWS = ['stages', 'metricBand', 'cohortHeatmap', 'flow', 'kpiIntervals', 'costWaterfall', 'sweepHeatmap', 'tornado'] as const;
const chartCell = z.strictObject({
	...base,
	kind: z.literal('chart'),
	source: cellId.describe('the experiment cell whose results it shows'),
	view: z.enum(CHART_VIEWS),
	/** The KPI of a KPI-interval, sweep or tornado view. */
	metric: z.enum(KPI_NAMES).optional(),
	/** The daily series of a metric-band view. */
	series: z.enum(COMPARISON_SERIES).optional(),
	/** A metric-band view drawn as each variant's paired difference from the control. */
	difference: z.boolean().optional(),
	/** The variant whose run a stage, cohort, flow or waterfall view shows; default: the first. */
	variant: z.string().max(200).optional()
});
const kpiCell = z.strictObject({ ...base, kind: z.literal('kpis'), source: cellId });
const testPlanCell = z.strictObject({
	...base,
	kind: z.literal('testPlan'),
	source: cellId,
	metric: z.enum(TEST_METRICS),
	days: z.number().int().min(1).max(3650).default(28),
	armSize: z.number().int().min(10).max(10_000_000).optional()
});

/** Teaching: a small population of a scenario cell drawn as moving dots, optionally beside the same people with a patch applied. */
const classroomCell = z.strictObject({
	...base,
	kind: z.literal('classroom'),
	scenarioCell: cellId.describe('the scenario cell whose people are shown'),
	agents: z.number().int().min(50).max(2000).default(300),
	/** A JSON Merge Patch of the scenario (a policy switched on) for the side-by-side population; absent: one population. */
	compare: z.record(z.string(), z.unknown()).optional()
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const pointer = z.string().max(300);
/** A calibration cell's last fit by simulation, kept so a reopened notebook shows it without minutes of fitting again. */
const simulationFitRecord = z.strictObject({
	base: z.record(z.string(), z.unknown()).describe('the scenario the fit started from, as it was'),
	baseCell: z.string().max(80).describe('the scenario cell it came from, or #calibrated'),
	series: z.enum(OBSERVED_SERIES),
	replications: z.number().int().min(1).max(64),
	observed: z.array(z.number().min(0)).min(2).max(5000),
	parameters: z.array(z.strictObject({ pointer, low: z.number(), high: z.number(), start: z.number(), integer: z.boolean().optional() })).min(1).max(50),
	fit: z.strictObject({
		values: z.record(pointer, z.number()),
		standardErrors: z.record(pointer, z.number().min(0).nullable()),
		chiSquare: z.number().min(0),
		degreesOfFreedom: z.number().int(),
		simulated: z.array(z.number()).max(5000),
		evaluations: z.number().int().min(0)
	})
});
/** BG/BB in a calibration cell: an imported file of purchases at fixed occasions (by dataset id) and how to read it. */
const occasionsRecord = z.strictObject({
	dataset: z.string().max(80).describe('id of the imported file in this browser’s storage'),
	input: z.discriminatedUnion('kind', [
		z.strictObject({ kind: z.literal('table') }),
		z.strictObject({
			kind: z.literal('log'),
			id: z.string().max(200).describe('the customer id column'),
			occasion: z.string().max(200).describe('the occasion number column'),
			calibrationEnd: z.number().int().min(0).optional().describe('the last occasion of the calibration period (default: the log’s last)'),
			holdoutEnd: z.number().int().min(0).optional().describe('the last occasion of the holdout period')
		})
	])
});
/** Calibration: a transaction log kept in this browser (by dataset id), fitted up to a date and checked on a holdout. */
const calibrationCell = z.strictObject({
	...base,
	kind: z.literal('calibration'),
	dataset: z.string().max(80).optional().describe('id of an imported transaction log in this browser’s storage'),
	cohortDataset: z.string().max(80).optional().describe('id of an imported cohort table, shown beside the log’s own triangle'),
	calibrationEnd: isoDate.optional(),
	holdoutEnd: isoDate.optional(),
	timeUnit: z.enum(['day', 'week']).default('week'),
	simulationFit: simulationFitRecord.optional(),
	occasions: occasionsRecord.optional()
});

/** An optimisation: decision values of a scenario cell searched for the best objective under constraints (the experiment format's optimise design). */
const optimiseCell = z.strictObject({
	...base,
	kind: z.literal('optimise'),
	scenarioCell: cellId.describe('the scenario cell whose values are searched'),
	seed: z.number().int().min(0).max(4294967295).optional(),
	design: optimiseSchema
});

export const cellSchema = z.discriminatedUnion('kind', [textCell, scenarioCell, experimentCell, chartCell, kpiCell, testPlanCell, classroomCell, calibrationCell, optimiseCell]);

export const notebookSchema = z.strictObject({
	schema: z.literal(NOTEBOOK_SCHEMA_ID),
	id: z.string().min(1).max(80),
	title: z.string().min(1).max(200),
	createdAt: z.string().datetime(),
	updatedAt: z.string().datetime(),
	cells: z.array(cellSchema).max(500)
});

export type Notebook = z.output<typeof notebookSchema>;
export type NotebookInput = z.input<typeof notebookSchema>;
export type Cell = Notebook['cells'][number];
export type CellKind = Cell['kind'];
