/** The worker pool on real Node worker threads: progress while shards run, cancellation, and failures that lose nothing else. */
import { afterAll, describe, expect, it } from 'vitest';
import { combineShards, runReplications, shardTasks } from '../../src/lib/engine/run';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import { resolveVariants, validateExperiment } from '../../src/lib/experiment/experiment';
import { buildComparison } from '../../src/lib/experiment/compare';
import { runVariants } from '../../src/lib/experiment/runVariants';
import { createNodePool } from '../../src/lib/workers/nodePool';
import type { RunProgress } from '../../src/lib/experiment/jobs';
import { CancelledError, type WorkerPool } from '../../src/lib/workers/pool';
import { poolArmRunner } from '../../src/lib/workers/armRunner';
import { armScenario, runArmsHere, type ArmJob } from '../../src/lib/experiment/testPlan';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { builtIn, funnelScenario } from '../helpers/scenarios';

const pools: WorkerPool[] = [];
afterAll(() => pools.forEach((p) => p.close()));
function pool(size: number) {
	const p = createNodePool(size);
	pools.push(p);
	return p;
}

const scenario = builtIn('six-stage', (raw) => {
	raw.population.initial = 40_000;
	raw.horizonDays = 365;
});

describe('the pool on worker threads', () => {
	it('reports days simulated while shards run, and the sliced run gives the same bytes', async () => {
		const progress: RunProgress[] = [];
		const tasks = shardTasks(scenario, 2);
		const parts = await pool(2).run(scenario, tasks, { onProgress: (p) => progress.push({ ...p }) });
		expect(progress.length).toBeGreaterThanOrEqual(tasks.length);
		for (let i = 1; i < progress.length; i++) expect(progress[i].daysDone).toBeGreaterThanOrEqual(progress[i - 1].daysDone);
		expect(progress.at(-1)).toEqual({ jobsDone: tasks.length, jobs: tasks.length, daysDone: tasks.length * 365, days: tasks.length * 365 });
		expect(combineShards(parts, 2)).toEqual(runReplications(scenario, 2));
	});

	it('cancels a run before it finishes and stays usable', async () => {
		const p = pool(2);
		const big = builtIn('six-stage', (raw) => (raw.population.initial = 1_000_000));
		let jobsDone = 0;
		const running = p.run(big, shardTasks(big, 10), {
			onProgress: (progress) => {
				jobsDone = progress.jobsDone;
				if (progress.daysDone > 0) p.cancel();
			}
		});
		await expect(running).rejects.toBeInstanceOf(CancelledError);
		expect(jobsDone).toBeLessThan(shardTasks(big, 10).length);
		const small = builtIn('six-stage', (raw) => (raw.population.initial = 1000));
		expect(await p.run(small, shardTasks(small, 1))).toHaveLength(1);
	});

	it('a worker warmed with the first days of runs to come (as the page does while idle) gives the same bytes, whether the run stops the warm-up or follows it, and a failing warm-up only ends itself', async () => {
		const warmed = pool(1);
		const runaway = builtIn('six-stage', (raw) => ((raw.population.initial = 200), (raw.horizonDays = 30)));
		runaway.segments = runaway.segments.map((s) => ({ ...s, referral: { invitesPerYear: 1e6, conversion: 1 } }));
		const tasks = shardTasks(scenario, 1);
		const expected = runReplications(scenario, 1);
		// The run arrives while the warm-up simulates: the warm-up stops at its next slice and leaves its records behind.
		warmed.warmUp([scenario, runaway]);
		expect(combineShards(await warmed.run(scenario, tasks, { onProgress: () => {} }), 1)).toEqual(expected);
		// The run arrives after a whole warm-up (about 0.15 s a scenario).
		warmed.warmUp([runaway, scenario]);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(combineShards(await warmed.run(scenario, tasks), 1)).toEqual(expected);
	});

	it('jobs that carry a measured growth (as the page passes its pilot\'s) give the same bytes as the worker\'s own pilot, however far off it is', async () => {
		// Referrals grow this population: growth 1 leaves it to regrow as it goes, 8 reserves far too much.
		const referrals = builtIn('social-app-referral', (raw) => ((raw.population.initial = 3000), (raw.horizonDays = 120)));
		const tasks = shardTasks(referrals, 2);
		const jobs = (growth?: number) => tasks.map((task) => ({ scenario: referrals, task, growth }));
		const expected = runReplications(referrals, 2);
		const workers = pool(2);
		expect(combineShards(await workers.runJobs(jobs(1)), 2)).toEqual(expected);
		expect(combineShards(await workers.runJobs(jobs(8), { onProgress: () => {} }), 2)).toEqual(expected);
	});

	it('a shard whose worker throws is reported by variant and replication; the other replications are kept', async () => {
		const base = JSON.parse(JSON.stringify(builtIn('six-stage', (raw) => ((raw.population.initial = 3000), (raw.horizonDays = 60)))));
		const result = validateExperiment({
			schema: 'lifecycle-lab/experiment@1',
			name: 'faulty',
			scenario: base,
			variants: [{ name: 'a', patch: {} }, { name: 'b', patch: {} }]
		});
		if (!result.ok) throw new Error('bad test experiment');
		const variants = resolveVariants(result.experiment, base);
		const losses = { failures: [] as string[], droppedReplications: [] as number[] };
		const p = pool(2);
		const runs = await runVariants(variants, 4, (jobs, options) => {
			// Break variant b's replication 3 after validation, as a bug in the engine would: its worker throws.
			const broken = jobs.map((job) => (job.label === 'variant "b", replication 3' ? { ...job, scenario: { ...job.scenario, stages: undefined } as unknown as Scenario } : job));
			return p.runJobs(broken, options);
		}, true, losses);
		expect(losses.failures).toHaveLength(1);
		expect(losses.failures[0]).toMatch(/^variant "b", replication 3, shard 1 failed: /);
		expect(losses.droppedReplications).toEqual([2]);
		expect(runs.map((r) => r.outputs.length)).toEqual([3, 3]);
		const report = buildComparison(result.experiment, runs, 0, losses.failures);
		expect(report.meta.replications).toBe(3);
		expect(report.meta.failures).toEqual(losses.failures);
		expect(await p.run(scenario, shardTasks(scenario, 1).slice(0, 1))).toHaveLength(1);
	});

	it('gives a test plan the same arms split over two pools (as the page does with its own core) as on this thread', async () => {
		const base = parseScenario(funnelScenario(300, 20));
		// 21 arms: batches of 8, 8 and 5, the last an odd one out for the second pool's share.
		const arms: ArmJob[] = Array.from({ length: 21 }, (_, i) => ({ scenario: armScenario(base, 300, 20), replication: i }));
		let heard = 0;
		const split = await poolArmRunner([pool(1), pool(1)], (n) => (heard += n))(arms, 'repurchase', 300);
		expect(split).toEqual(await runArmsHere(arms, 'repurchase', 300));
		expect(heard).toBe(21);
	});
});
