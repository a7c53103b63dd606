/**
 * The runnable cells as a tagged union: an experiment or a test plan, each
 * resolved with the content hash naming its results. The session chooses a
 * runner by `kind`, so a new kind of runnable cell is one more member here
 * and one more runner in runners.ts.
 */
import type { ScenarioProblem } from '../../../engine/scenario/validate';
import { resolveExperimentCell, resultKey, type ExperimentResults, type ResolvedExperiment } from '../../../notebook/experimentCell';
import type { Cell, Notebook } from '../../../notebook/schema';
import { resolveTestPlanCell, testPlanKey, type ResolvedTestPlan, type TestPlanResults } from '../../../notebook/testPlanCell';

/** A runnable cell ready to run. */
export type CellJob = { kind: 'experiment'; id: string; key: string; resolved: ResolvedExperiment } | { kind: 'testPlan'; id: string; key: string; resolved: ResolvedTestPlan };

/** What a job's run gives, tagged like the job. */
export type CellResults = { kind: 'experiment'; value: ExperimentResults } | { kind: 'testPlan'; value: TestPlanResults };

export type JobResolution = { ok: true; job: CellJob } | { ok: false; problems: ScenarioProblem[] };

/** Whether a cell is run by the session (the others read what runnable cells produce). */
export function isRunnable(cell: Cell | undefined): cell is Extract<Cell, { kind: CellJob['kind'] }> {
	return cell?.kind === 'experiment' || cell?.kind === 'testPlan';
}

/** Resolves a runnable cell into a job with its cache key; problems by path when it cannot run. */
export async function resolveJob(notebook: Notebook, cell: Extract<Cell, { kind: CellJob['kind'] }>): Promise<JobResolution> {
	if (cell.kind === 'experiment') {
		const resolution = resolveExperimentCell(notebook, cell);
		if (!resolution.ok) return resolution;
		return { ok: true, job: { kind: 'experiment', id: cell.id, key: await resultKey(resolution.resolved), resolved: resolution.resolved } };
	}
	const resolution = resolveTestPlanCell(notebook, cell);
	if (!resolution.ok) return resolution;
	return { ok: true, job: { kind: 'testPlan', id: cell.id, key: await testPlanKey(resolution.resolved), resolved: resolution.resolved } };
}
