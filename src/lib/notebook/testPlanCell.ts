/**
 * A test-plan cell as something to run: the live-test rehearsal of its
 * experiment's first non-control variant against the control. With an arm
 * size it estimates the power at that size; without, it searches the arm
 * size that reaches 80% power, trying at most MAX_SEARCH_SIZES sizes of at
 * most MAX_SEARCH_ARM_SIZE users per arm, so its work is bounded and known
 * before it starts. Results are named by a content hash like an experiment's.
 */
import { controlName } from '../experiment/experiment';
import { MAX_SEARCH_ARM_SIZE, MAX_SEARCH_SIZES, plannedTests, searchArmSize, simulatePower, type ArmRunner, type ArmSizeSearch, type PowerEstimate } from '../experiment/testPlan';
import { ENGINE_VERSION } from '../engine/version';
import type { ScenarioProblem } from '../engine/scenario/validate';
import type { Scenario } from '../engine/scenario/schema';
import { canonicalJson, resolveExperimentCell, sha256, type ExperimentCell } from './experimentCell';
import type { Cell, Notebook } from './schema';

export type TestPlanCell = Extract<Cell, { kind: 'testPlan' }>;

/** Simulated live tests per size tried: power to about ±3 points. */
export const PLAN_TESTS = 200;

export interface TestPlanResults {
	key: string;
	control: string;
	variant: string;
	/** At a given arm size. */
	power?: PowerEstimate;
	/** The arm size for 80% power. */
	search?: ArmSizeSearch;
	wallSeconds: number;
}

export interface ResolvedTestPlan {
	cell: TestPlanCell;
	control: { name: string; scenario: Scenario };
	variant: { name: string; scenario: Scenario };
}

export type PlanResolution = { ok: true; resolved: ResolvedTestPlan } | { ok: false; problems: ScenarioProblem[] };

/** The control and variant scenarios a test-plan cell rehearses, or the problems that stop it. */
export function resolveTestPlanCell(notebook: Notebook, cell: TestPlanCell): PlanResolution {
	const source = notebook.cells.find((c): c is ExperimentCell => c.id === cell.source && c.kind === 'experiment');
	if (!source) return { ok: false, problems: [{ path: 'source', message: `"${cell.source}" is not an experiment cell` }] };
	const resolution = resolveExperimentCell(notebook, source);
	if (!resolution.ok) return resolution;
	const { experiment, design, runs } = resolution.resolved;
	if (design !== 'variants') return { ok: false, problems: [{ path: 'source', message: 'a live test needs an experiment with variants, not a sweep or sensitivity analysis' }] };
	const control = runs.find((r) => r.name === controlName(experiment))!;
	const variant = runs.find((r) => r !== control);
	if (!variant) return { ok: false, problems: [{ path: 'source', message: `the experiment needs a variant besides the control "${control.name}"` }] };
	return { ok: true, resolved: { cell, control, variant } };
}

/** The content hash naming a test plan's results. */
export async function testPlanKey({ cell, control, variant }: ResolvedTestPlan): Promise<string> {
	const content = canonicalJson({ engine: ENGINE_VERSION, tests: PLAN_TESTS, maxSizes: MAX_SEARCH_SIZES, maxArmSize: MAX_SEARCH_ARM_SIZE, metric: cell.metric, days: cell.days, armSize: cell.armSize ?? null, control, variant });
	return sha256(content);
}

/** The most simulated tests the cell's plan runs: known before it starts, so progress shows done of total. */
export function planTotalTests(cell: TestPlanCell): number {
	return plannedTests(PLAN_TESTS, cell.armSize);
}

/** Runs a test-plan cell: power at its arm size, or the bounded search for the arm size with 80% power. */
export async function runTestPlan(key: string, plan: ResolvedTestPlan, run: ArmRunner): Promise<TestPlanResults> {
	const started = performance.now();
	const { cell, control, variant } = plan;
	const names = { key, control: control.name, variant: variant.name };
	if (cell.armSize !== undefined) {
		const power = await simulatePower(control.scenario, variant.scenario, cell.metric, cell.armSize, cell.days, PLAN_TESTS, run);
		return { ...names, power, wallSeconds: (performance.now() - started) / 1000 };
	}
	const search = await searchArmSize(control.scenario, variant.scenario, cell.metric, cell.days, PLAN_TESTS, run);
	return { ...names, search, wallSeconds: (performance.now() - started) / 1000 };
}
