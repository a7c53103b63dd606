/**
 * From an experiment file to the scenarios it runs: the base scenario with
 * each variant's edits applied (after its older merge patch, if any), or the grid of a sweep, or the low and
 * high runs of a sensitivity analysis, each validated with its problems
 * named by variant and path.
 */
import type { Scenario } from '../engine/scenario/schema';
import { describeIssues, formatPath, formatProblem, validateScenario, type ScenarioProblem } from '../engine/scenario/validate';
import { forbiddenKeyPath, getAtPointer, PointerError, setAtPointer } from '../engine/scenario/jsonPointer';
import { mergePatch } from './mergePatch';
import { applyEdits, EditError } from './variantEdits';
import { experimentSchema, type Experiment } from './schema';

/** One scenario the experiment runs, under a name. */
export interface ResolvedVariant {
	name: string;
	/** The parameter values of a sweep cell or sensitivity run, by pointer. */
	values?: Record<string, unknown>;
	scenario: Scenario;
}

export type ExperimentResult = { ok: true; experiment: Experiment } | { ok: false; problems: ScenarioProblem[] };

/** Validates an experiment file's JSON. */
export function validateExperiment(input: unknown): ExperimentResult {
	// Before zod, which drops a "__proto__" key without a word.
	const forbidden = forbiddenKeyPath(input);
	if (forbidden) return { ok: false, problems: [{ path: formatPath(forbidden), message: `"${forbidden.at(-1)}" is not allowed as a key: it names JavaScript's object machinery, not scenario data` }] };
	const parsed = experimentSchema.safeParse(input);
	if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues, input) };
	const e = parsed.data;
	const names = e.variants.map((v) => v.name);
	const problems: ScenarioProblem[] = [];
	if (e.control && !names.includes(e.control)) problems.push({ path: 'control', message: `no variant is named "${e.control}"; variants: ${names.join(', ')}` });
	names.forEach((name, i) => {
		if (names.indexOf(name) !== i) problems.push({ path: `variants[${i}].name`, message: `duplicate name "${name}"` });
	});
	problems.push(...nestingProblems(e));
	return problems.length ? { ok: false, problems } : { ok: true, experiment: e };
}

/** Deeper than any scenario field goes; copying a value nested thousands deep (JSON allows it) would overflow the stack. */
const MAX_DEPTH = 32;

function tooDeep(value: unknown, depth = 0): boolean {
	if (value === null || typeof value !== 'object') return false;
	if (depth >= MAX_DEPTH) return true;
	return Object.values(value).some((v) => tooDeep(v, depth + 1));
}

/** The scenario, patches and values the experiment copies into scenarios, checked for absurd nesting. */
function nestingProblems(e: Experiment): ScenarioProblem[] {
	const values: [string, unknown][] = [
		['scenario', e.scenario],
		...e.variants.map((v, i): [string, unknown] => [`variants[${i}].patch`, v.patch]),
		...e.variants.map((v, i): [string, unknown] => [`variants[${i}].edits`, v.edits]),
		...(e.sweep ?? []).flatMap((axis, i) => axis.values.map((v, j): [string, unknown] => [`sweep[${i}].values[${j}]`, v])),
		...(e.sensitivity ?? []).flatMap((p, i): [string, unknown][] => [[`sensitivity[${i}].low`, p.low], [`sensitivity[${i}].high`, p.high]])
	];
	return values.filter(([, v]) => tooDeep(v)).map(([path]) => ({ path, message: `is nested more than ${MAX_DEPTH} levels deep; no scenario field is` }));
}

/** Thrown with every problem of an experiment or of one of its variants. */
export class ExperimentError extends Error {
	constructor(readonly problems: ScenarioProblem[]) {
		super(problems.map(formatProblem).join('\n'));
		this.name = 'ExperimentError';
	}
}

/** The control variant's name. */
export function controlName(experiment: Experiment): string {
	return experiment.control ?? experiment.variants[0].name;
}

/** The scenarios of an experiment's variants (base scenario already loaded as raw JSON). */
export function resolveVariants(experiment: Experiment, baseRaw: unknown): ResolvedVariant[] {
	const base = experiment.seed === undefined ? baseRaw : mergePatch(baseRaw, { seed: experiment.seed });
	const variants = experiment.variants.map((v, i) => ({ name: v.name, scenario: validated(variantScenario(base, v, `variants[${i}]`), `variants[${i}] "${v.name}"`) }));
	checkHorizons(variants, experiment, controlName(experiment));
	return variants;
}

/**
 * Variants are compared day by day and on KPIs summed over the horizon, so
 * they must share it: a 60-day variant against a 120-day control would be
 * read as a loss. Refused, naming the variant, rather than cut to the shorter.
 */
function checkHorizons(variants: ResolvedVariant[], experiment: Experiment, control: string): void {
	// Where the variant set it: an older merge patch, or an edit.
	const where = (i: number) => (experiment.variants[i].patch && 'horizonDays' in experiment.variants[i].patch! ? `variants[${i}].patch.horizonDays` : `variants[${i}].edits["/horizonDays"]`);
	const reference = variants.find((v) => v.name === control) ?? variants[0];
	const problems = variants
		.map((v, i) => ({ v, i }))
		.filter(({ v }) => v.scenario.horizonDays !== reference.scenario.horizonDays)
		.map(({ v, i }) => ({
			path: where(i),
			message: `variant "${v.name}" runs ${v.scenario.horizonDays} days and the control "${reference.name}" ${reference.scenario.horizonDays}; variants are compared over one horizon, so set horizonDays in the base scenario, not in a variant`
		}));
	if (problems.length) throw new ExperimentError(problems);
}

/** A variant's raw scenario: the base with its older merge patch, then its edits, applied; a patch or edit that cannot apply is named by path. */
export function variantScenario(base: unknown, variant: { patch?: Record<string, unknown>; edits?: Record<string, unknown> }, where = 'variant'): unknown {
	let patched: unknown;
	try {
		patched = variant.patch ? mergePatch(base, variant.patch) : base;
	} catch (error) {
		if (error instanceof PointerError) throw new ExperimentError([{ path: `${where}.patch`, message: error.message }]);
		throw error;
	}
	try {
		return applyEdits(patched, variant.edits ?? {});
	} catch (error) {
		if (error instanceof EditError) throw new ExperimentError([{ path: `${where}.edits["${error.path}"]`, message: error.message }]);
		throw error;
	}
}

/** The cells of a sweep: every combination of its axes' values, applied to the base scenario. */
export function resolveSweep(experiment: Experiment, baseRaw: unknown): ResolvedVariant[] {
	const axes = experiment.sweep ?? [];
	if (!axes.length) throw new ExperimentError([{ path: 'sweep', message: 'the experiment has no sweep' }]);
	const base = experiment.seed === undefined ? baseRaw : mergePatch(baseRaw, { seed: experiment.seed });
	checkPointers(base, axes.map((a, i) => [a.parameter, `sweep[${i}].parameter`]));
	const cells: Record<string, unknown>[] = [{}];
	for (const axis of axes) {
		const next: Record<string, unknown>[] = [];
		for (const cell of cells) for (const value of axis.values) next.push({ ...cell, [axis.parameter]: value });
		cells.splice(0, cells.length, ...next);
	}
	const filled = withDefaults(base);
	return cells.map((values) => {
		const name = Object.entries(values)
			.map(([p, v]) => `${p}=${JSON.stringify(v)}`)
			.join(', ');
		return { name, values, scenario: validated(applyValues(filled, values), `sweep cell ${name}`) };
	});
}

/** The runs of a sensitivity analysis: the base, then each parameter at its low and its high value. */
export function resolveSensitivity(experiment: Experiment, baseRaw: unknown): ResolvedVariant[] {
	const parameters = experiment.sensitivity ?? [];
	if (!parameters.length) throw new ExperimentError([{ path: 'sensitivity', message: 'the experiment has no sensitivity parameters' }]);
	const base = experiment.seed === undefined ? baseRaw : mergePatch(baseRaw, { seed: experiment.seed });
	checkPointers(base, parameters.map((p, i) => [p.parameter, `sensitivity[${i}].parameter`]));
	const runs: ResolvedVariant[] = [{ name: 'base', scenario: validated(base, 'the base scenario') }];
	const filled = withDefaults(base);
	for (const p of parameters) {
		for (const [end, value] of [['low', p.low], ['high', p.high]] as const) {
			const name = `${p.parameter} ${end}`;
			runs.push({ name, values: { [p.parameter]: value }, scenario: validated(applyValues(filled, { [p.parameter]: value }), name) });
		}
	}
	return runs;
}

/** The base with the defaults validation fills in, so a pointer may name a field the file leaves out (/metrics/activeWindowDays). */
function withDefaults(base: unknown): unknown {
	const result = validateScenario(base);
	return result.ok ? result.scenario : base;
}

function applyValues(base: unknown, values: Record<string, unknown>): unknown {
	let doc = base;
	for (const [pointer, value] of Object.entries(values)) {
		try {
			doc = setAtPointer(doc, pointer, value);
		} catch (error) {
			throw new ExperimentError([{ path: pointer, message: (error as Error).message }]);
		}
	}
	return doc;
}

/** The scenario with values set at their pointers, validated; problems name `where`. */
export function scenarioAt(base: unknown, values: Record<string, unknown>, where: string): Scenario {
	return validated(applyValues(base, values), where);
}

/** Every pointer must name a value of the scenario, counting the defaults validation fills in. */
export function checkPointers(base: unknown, pointers: [string, string][]): void {
	const filled = withDefaults(base);
	const problems: ScenarioProblem[] = [];
	for (const [pointer, path] of pointers) {
		try {
			if (getAtPointer(base, pointer) === undefined && getAtPointer(filled, pointer) === undefined) problems.push({ path, message: `the scenario has no value at ${pointer}` });
		} catch (error) {
			if (!(error instanceof PointerError)) throw error;
			problems.push({ path, message: error.message });
		}
	}
	if (problems.length) throw new ExperimentError(problems);
}

function validated(raw: unknown, where: string): Scenario {
	const result = validateScenario(raw);
	if (!result.ok) throw new ExperimentError(result.problems.map((p) => ({ path: p.path, message: `${p.message} (in ${where})` })));
	return result.scenario;
}
