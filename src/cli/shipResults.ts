/**
 * `npm run ship-results`: runs every experiment and test-plan cell of the
 * example notebooks (scenarios/notebooks) on Node worker threads, exactly as
 * the notebook runs them, and writes each result to
 * scenarios/results/<content hash>.json, so the examples open with results.
 * Results no example asks for any more are removed. Run it after editing an
 * example or changing the engine version (a test says when it is due).
 */
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runVariants, type RunLosses } from '../lib/experiment/runVariants';
import { resolveExperimentCell, resultKey, summarise, type ExperimentCell } from '../lib/notebook/experimentCell';
import { validateNotebook } from '../lib/notebook/notebook';
import type { Notebook } from '../lib/notebook/schema';
import { resolveTestPlanCell, runTestPlan, testPlanKey, type TestPlanCell } from '../lib/notebook/testPlanCell';
import { poolArmRunner } from '../lib/workers/armRunner';
import { createNodePool } from '../lib/workers/nodePool';
import type { WorkerPool } from '../lib/workers/pool';

const root = new URL('../../', import.meta.url).pathname;
const notebooksDir = join(root, 'scenarios/notebooks');
const resultsDir = join(root, 'scenarios/results');

/** The example notebooks, validated (and migrated) as the app loads them. */
function examples(): Notebook[] {
	return readdirSync(notebooksDir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => {
			const result = validateNotebook(JSON.parse(readFileSync(join(notebooksDir, f), 'utf8')));
			if (!result.ok) throw new Error(`${f}: ${JSON.stringify(result.problems)}`);
			return result.notebook;
		});
}

/** Every runnable cell's result key, with the work that makes its result. */
export async function shippedWork(notebook: Notebook, pool: () => WorkerPool): Promise<{ key: string; what: string; make: () => Promise<unknown> }[]> {
	const work = [];
	for (const cell of notebook.cells) {
		if (cell.kind === 'experiment') {
			const r = resolveExperimentCell(notebook, cell as ExperimentCell);
			if (!r.ok) throw new Error(`${notebook.id}/${cell.id}: ${JSON.stringify(r.problems)}`);
			const key = await resultKey(r.resolved);
			work.push({
				key,
				what: `${notebook.id}/${cell.id}`,
				make: async () => {
					const started = performance.now();
					const losses: RunLosses = { failures: [], droppedReplications: [] };
					const p = pool();
					const runs = await runVariants(r.resolved.runs, r.resolved.experiment.replications, (jobs, options) => p.runJobs(jobs, options), r.resolved.experiment.commonRandomNumbers, losses);
					if (losses.failures.length) throw new Error(`${notebook.id}/${cell.id}: ${losses.failures.join('; ')}`);
					return summarise(key, r.resolved, runs, (performance.now() - started) / 1000);
				}
			});
		} else if (cell.kind === 'testPlan') {
			const r = resolveTestPlanCell(notebook, cell as TestPlanCell);
			if (!r.ok) throw new Error(`${notebook.id}/${cell.id}: ${JSON.stringify(r.problems)}`);
			const key = await testPlanKey(r.resolved);
			work.push({ key, what: `${notebook.id}/${cell.id}`, make: () => runTestPlan(key, r.resolved, poolArmRunner(pool())) });
		}
	}
	return work;
}

async function main(): Promise<void> {
	mkdirSync(resultsDir, { recursive: true });
	let pool: WorkerPool | null = null;
	const lazyPool = () => (pool ??= createNodePool(Math.max(1, Math.min(availableParallelism(), Number(process.env.WORKERS ?? 4)))));
	const wanted = new Set<string>();
	try {
		for (const notebook of examples()) {
			for (const { key, what, make } of await shippedWork(notebook, lazyPool)) {
				wanted.add(key);
				const file = join(resultsDir, `${key}.json`);
				if (existsSync(file)) continue;
				const started = performance.now();
				writeFileSync(file, JSON.stringify(await make()) + '\n');
				console.log(`${what}: ${key.slice(0, 12)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
			}
		}
	} finally {
		(pool as WorkerPool | null)?.close();
	}
	for (const f of readdirSync(resultsDir)) if (!wanted.has(f.replace(/\.json$/, ''))) rmSync(join(resultsDir, f));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
