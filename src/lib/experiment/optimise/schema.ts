/**
 * The optimise design of an experiment: decision values (JSON Pointers into
 * the scenario, each continuous or whole-numbered within bounds, or one of a
 * list of choices), one KPI to maximise or minimise, bounds on other KPIs,
 * replications per evaluation (common random numbers), the search budget in
 * fixed-size batches, and the ranking-and-selection stage at the end.
 */
import * as z from 'zod';
import { KPI_NAMES } from '../kpis';

const pointer = z.string().regex(/^(\/[^/]*)+$/, 'must be a JSON Pointer such as /policies/1/pointsPerCurrencyUnit');

const rangeDecision = z
	.strictObject({
		parameter: pointer.describe('where the value goes in the scenario'),
		label: z.string().max(200).optional(),
		kind: z.enum(['continuous', 'integer']).default('continuous'),
		low: z.number(),
		high: z.number()
	})
	.refine((d) => d.low < d.high, { message: 'low must be below high', path: ['high'] });

const choiceDecision = z.strictObject({
	parameter: pointer.describe('where the value goes in the scenario'),
	label: z.string().max(200).optional(),
	choices: z.array(z.unknown()).min(2).max(50)
});

const constraint = z
	.strictObject({
		metric: z.enum(KPI_NAMES),
		atMost: z.number().optional(),
		atLeast: z.number().optional()
	})
	.refine((c) => (c.atMost === undefined) !== (c.atLeast === undefined), { message: 'give exactly one of atMost and atLeast' });

export const optimiseSchema = z.strictObject({
	decisions: z.array(z.union([rangeDecision, choiceDecision])).min(1).max(8),
	objective: z.strictObject({ metric: z.enum(KPI_NAMES), goal: z.enum(['maximise', 'minimise']).default('maximise') }),
	constraints: z.array(constraint).max(8).default([]),
	replications: z.number().int().min(1).max(200).default(4).describe('replications per evaluation; every evaluation uses the same seeds (common random numbers)'),
	batchSize: z.number().int().min(1).max(32).default(4).describe('settings proposed at once; fixed, so the search does not depend on the worker count'),
	evaluations: z.number().int().min(2).max(1000).default(24).describe('settings the search evaluates, the initial design included'),
	initialEvaluations: z.number().int().min(2).max(500).optional().describe('space-filling settings before the surrogate guides the search; default 2 × decisions + 2'),
	selection: z
		.strictObject({
			candidates: z.number().int().min(2).max(10).default(3).describe('best settings re-run against each other'),
			probability: z.number().min(0.5).max(0.999).default(0.9).describe('probability of correct selection wanted'),
			indifference: z.number().gt(0).optional().describe('a difference in the objective too small to matter; default 1% of the best mean'),
			maxReplications: z.number().int().min(2).max(10000).default(60).describe('replications per candidate at most')
		})
		.prefault({})
});

export type OptimiseSpecInput = z.input<typeof optimiseSchema>;
export type OptimiseSpec = z.output<typeof optimiseSchema>;
export type Decision = OptimiseSpec['decisions'][number];
export type Constraint = OptimiseSpec['constraints'][number];
