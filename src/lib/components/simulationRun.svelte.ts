/**
 * The state of one simulation run in the page: progress, the report, an error.
 * The work happens in the worker pool; the page thread only merges and summarises.
 */
import { estimateRunMemory, RunawayGrowthError } from '../engine/growth';
import { checkMemory, MemoryBudgetError } from '../engine/memory';
import { PopulationCapError } from '../engine/population';
import { combineShards, shardCount, shardTasks, type ShardTask } from '../engine/run';
import type { Scenario } from '../engine/scenario/schema';
import { buildReport, type RunReport } from '../experiment/report';
import { createBrowserPool } from '../workers/browserPool';
import { CancelledError, type WorkerPool } from '../workers/pool';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed' | 'tooBig' | 'invalid' | 'runaway';

/** What a run may use in a browser tab: well under the 2 to 4 GB a tab gets, leaving room for the page. */
const BROWSER_BUDGET_BYTES = 1.5 * 2 ** 30;

/** The most replications a quick run takes (the field's max, checked here too: a typed value can pass it). */
export const MAX_REPLICATIONS = 200;

/** True for a replication count a quick run takes: a whole number from 1 to MAX_REPLICATIONS. */
export function replicationsValid(replications: number): boolean {
	return Number.isInteger(replications) && replications >= 1 && replications <= MAX_REPLICATIONS;
}

export type RunPlan = { kind: 'ok'; tasks: ShardTask[] } | { kind: 'invalid' } | { kind: 'runaway' } | { kind: 'tooBig'; neededGb: number; availableGb: number };

/** The run's shard tasks, once its replications and its memory have been checked (before the list is built: it can be huge). */
export function planRun(scenario: Scenario, replications: number, concurrent: number): RunPlan {
	if (!replicationsValid(replications)) return { kind: 'invalid' };
	const shards = shardCount(scenario.population.initial);
	try {
		checkMemory(estimateRunMemory(scenario, shards, shards * replications, concurrent), BROWSER_BUDGET_BYTES);
	} catch (error) {
		if (error instanceof RunawayGrowthError) return { kind: 'runaway' };
		if (!(error instanceof MemoryBudgetError)) throw error;
		return { kind: 'tooBig', neededGb: error.estimate.totalBytes / 2 ** 30, availableGb: error.budgetBytes / 2 ** 30 };
	}
	return { kind: 'ok', tasks: shardTasks(scenario, replications) };
}

export class SimulationRun {
	status = $state<RunStatus>('idle');
	/** Replications finished (all their shards) and asked for. */
	replicationsDone = $state(0);
	replications = $state(0);
	/** Days simulated so far and in all, summed over shards. */
	daysDone = $state(0);
	days = $state(0);
	elapsedSeconds = $state(0);
	report = $state.raw<RunReport | null>(null);
	scenario = $state.raw<Scenario | null>(null);
	error = $state('');
	/** When a run was refused for memory: what it needs and what a tab may use. */
	tooBig = $state<{ neededGb: number; availableGb: number } | null>(null);
	private pool: WorkerPool | null = null;
	/** Only the latest run may write the state: a cancelled one finishing late must not. */
	private latest = 0;

	get workers(): number {
		return this.pool?.size ?? 0;
	}

	/** Seconds left at the pace so far, or null before any day is done. */
	get secondsLeft(): number | null {
		return this.daysDone > 0 ? (this.elapsedSeconds * (this.days - this.daysDone)) / this.daysDone : null;
	}

	async start(scenario: Scenario, replications: number): Promise<void> {
		this.pool ??= createBrowserPool();
		if (this.status === 'running') this.pool.cancel();
		const plan = planRun(scenario, replications, this.pool.size);
		if (plan.kind !== 'ok') {
			this.status = plan.kind;
			if (plan.kind === 'tooBig') this.tooBig = { neededGb: plan.neededGb, availableGb: plan.availableGb };
			return;
		}
		const tasks = plan.tasks;
		const id = ++this.latest;
		this.status = 'running';
		this.replicationsDone = 0;
		this.replications = replications;
		this.daysDone = 0;
		this.days = tasks.length * scenario.horizonDays;
		this.error = '';
		const started = performance.now();
		const timer = setInterval(() => (this.elapsedSeconds = (performance.now() - started) / 1000), 200);
		const shardsLeft = new Array<number>(replications).fill(tasks.length / replications);
		try {
			const parts = await this.pool.run(scenario, tasks, {
				onProgress: (p) => id === this.latest && (this.daysDone = p.daysDone),
				onJobDone: (i) => {
					if (id === this.latest && --shardsLeft[tasks[i].replication] === 0) this.replicationsDone++;
				}
			});
			if (id !== this.latest) return;
			const seconds = (performance.now() - started) / 1000;
			this.report = buildReport(scenario, combineShards(parts, replications), seconds);
			this.scenario = scenario;
			this.elapsedSeconds = seconds;
			this.status = 'done';
		} catch (error) {
			if (id !== this.latest) return;
			if (error instanceof CancelledError) this.status = 'cancelled';
			// The hard cap, should a run outgrow what its pilot showed (the worker's error keeps its message).
			else if (error instanceof PopulationCapError || /^the population grew past/.test(String((error as Error).message))) this.status = 'runaway';
			else {
				this.status = 'failed';
				this.error = (error as Error).message;
			}
		} finally {
			clearInterval(timer);
		}
	}

	cancel(): void {
		this.pool?.cancel();
	}
}
