/** What a runnable cell (experiment or test plan) is doing and has, as the cell frame and progress bars read it. */
import type { ScenarioProblem } from '../../../engine/scenario/validate';

export type CellStatus = 'idle' | 'stale' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'tooBig';

/** What a runnable cell (experiment or test plan) is doing and has. */
export interface CellRun {
	status: CellStatus;
	replicationsDone: number;
	replications: number;
	daysDone: number;
	days: number;
	elapsedSeconds: number;
	/** Problems of the cell or its scenario, by path; the cell cannot run until they are fixed. */
	problems: ScenarioProblem[];
	error: string;
	/** Whether the results came from the cache rather than this run. */
	cached: boolean;
	/** Size a refused run needed and the budget, in GB. */
	tooBig: { neededGb: number; availableGb: number } | null;
}

/** A cell that has not run. */
export const emptyRun = (): CellRun => ({
	status: 'idle',
	replicationsDone: 0,
	replications: 0,
	daysDone: 0,
	days: 0,
	elapsedSeconds: 0,
	problems: [],
	error: '',
	cached: false,
	tooBig: null
});
