/**
 * The benchmark: the six-stage template at 100k and 1M people over 365 days,
 * on 1 and 2 worker threads; agent-days and events per second (median of 3
 * runs after a warm-up), and memory per agent. `--json` prints JSON.
 * `--calibration` measures reading and fitting a million-row log instead
 * (with `--end-to-end`: the CLI and the browser's calibration worker, wall-clock, see benchCalibrationEndToEnd.ts);
 * `--pairing` what common random numbers buy in every shipped experiment;
 * `--scenarios [--idle]` engine time per event of every built-in scenario and experiment arm (see benchScenarios.ts).
 *   npm run bench [-- --json] [-- --runs 3] [-- --calibration] [-- --pairing] [-- --scenarios [--idle]]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { referralGrowth } from '../lib/engine/growth';
import { dropSpareRecords } from '../lib/engine/population';
import { combineShards, createShardSimulation, shardTasks } from '../lib/engine/run';
import { TOTAL_AGENT_DAYS, TOTAL_EVENTS } from '../lib/engine/output';
import { parseScenario } from '../lib/engine/scenario/validate';
import type { Scenario } from '../lib/engine/scenario/schema';
import { createNodePool } from '../lib/workers/nodePool';
import type { WorkerPool } from '../lib/workers/pool';
import { ENGINE_VERSION } from '../lib/engine/version';
import { benchCalibration } from './benchCalibration';
import { benchPairing } from './benchPairing';
import { benchScenarios } from './benchScenarios';

const USAGE = `usage: npm run bench [-- options]

  (no option)        the six-stage template at 100k and 1M people, 365 days, on 1 and 2 workers
  --calibration      read and fit a million-row transaction log instead
  --end-to-end       with --calibration: time \`calibrate\` on that log as a file, in the CLI and through
                     a calibration cell in headless Chromium (the worker), --runs times each
  --notebooks        Run all on every example notebook in headless Chromium (/usr/bin/chromium)
  --only ID,ID       with --notebooks: only these examples (ids as in scenarios/notebooks/)
  --no-build         with --notebooks: serve the last build of the app instead of building it
  --scenarios        engine time per event of every built-in scenario and experiment arm, one worker
  --idle             with --scenarios: a million idle people added to a scenario
  --pairing          how many customers a variant leaves untouched live the same life (pairing)
  --runs N           timed runs per case, the median reported (default 3)
  --json             print JSON instead of a table
  --help             this text`;

/** The options, or usage and exit code 2 for a bad one: never a stack trace. */
function benchOptions() {
	try {
		return parseArgs({ options: { json: { type: 'boolean' }, runs: { type: 'string', default: '3' }, calibration: { type: 'boolean' }, 'end-to-end': { type: 'boolean' }, notebooks: { type: 'boolean' }, only: { type: 'string' }, 'no-build': { type: 'boolean' }, pairing: { type: 'boolean' }, scenarios: { type: 'boolean' }, idle: { type: 'boolean' }, help: { type: 'boolean' } } }).values;
	} catch (error) {
		console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
}

const values = benchOptions();
if (values.help) {
	console.log(USAGE);
	process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
	console.error(`error: --runs must be a whole number ≥ 1, got "${values.runs}"\n\n${USAGE}`);
	process.exit(2);
}

function scenarioWith(population: number): Scenario {
	const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
	const raw = JSON.parse(readFileSync(`${root}/scenarios/six-stage.json`, 'utf8'));
	raw.population.initial = population;
	raw.horizonDays = 365;
	return parseScenario(raw);
}

interface Row {
	agents: number;
	workers: number;
	seconds: number;
	agentDays: number;
	events: number;
	agentDaysPerSecond: number;
	eventsPerSecond: number;
}

async function timeRun(pool: WorkerPool, scenario: Scenario): Promise<{ seconds: number; agentDays: number; events: number }> {
	const start = performance.now();
	const [out] = combineShards(await pool.run(scenario, shardTasks(scenario, 1)), 1);
	return { seconds: (performance.now() - start) / 1000, agentDays: out.totals[TOTAL_AGENT_DAYS], events: out.totals[TOTAL_EVENTS] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Bytes per agent of one shard at the end of its run (the population only
 * grows, so this is its peak): its records at capacity (exact), and every
 * typed array it holds (records, outputs, calendar; measured, so a little noisy).
 */
function bytesPerAgent(scenario: Scenario): { records: number; typedArrays: number } {
	const gc = (globalThis as { gc?: () => void }).gc;
	referralGrowth(scenario); // the pilot's arrays are not the shard's
	dropSpareRecords(); // nor are its records, which the shard would otherwise reuse
	gc?.();
	const before = process.memoryUsage().arrayBuffers;
	const sim = createShardSimulation(scenario, { replication: 0, shard: 0 });
	sim.run();
	gc?.();
	const bytes = process.memoryUsage().arrayBuffers - before;
	const pop = sim.population;
	return { records: (pop.capacity * pop.bytesPerAgent()) / pop.size, typedArrays: bytes / pop.size };
}

async function main() {
	const rows: Row[] = [];
	for (const workers of [1, 2]) {
		const pool = createNodePool(workers);
		await timeRun(pool, scenarioWith(100_000)); // warm-up: thread start and JIT
		for (const agents of [100_000, 1_000_000]) {
			const scenario = scenarioWith(agents);
			const samples = [];
			for (let i = 0; i < runs; i++) samples.push(await timeRun(pool, scenario));
			const seconds = median(samples.map((s) => s.seconds));
			const { agentDays, events } = samples[0];
			rows.push({ agents, workers, seconds, agentDays, events, agentDaysPerSecond: agentDays / seconds, eventsPerSecond: events / seconds });
		}
		pool.close();
	}
	const memory = bytesPerAgent(scenarioWith(1_000_000));
	if (values.json) {
		console.log(JSON.stringify({ engineVersion: ENGINE_VERSION, days: 365, scenario: 'six-stage', runs, rows, bytesPerAgent: memory.records, typedArrayBytesPerAgent: memory.typedArrays }, null, 2));
		return;
	}
	console.log(`Lifecycle Lab engine ${ENGINE_VERSION}: six-stage template, 365 days, median of ${runs} runs`);
	console.log('agents     workers  seconds  agent-days/s  events/s');
	for (const r of rows) {
		console.log(
			`${r.agents.toLocaleString('en').padEnd(10)} ${String(r.workers).padStart(7)}  ${r.seconds.toFixed(3).padStart(7)}  ` +
				`${(r.agentDaysPerSecond / 1e6).toFixed(0).padStart(10)} M  ${(r.eventsPerSecond / 1e6).toFixed(2).padStart(6)} M`
		);
	}
	console.log(`memory: ${memory.records.toFixed(1)} bytes per agent in records at capacity, ${memory.typedArrays.toFixed(1)} in all typed arrays one shard holds at the end of its run (outputs and calendar too)`);
}

const json = !!values.json;
const benchmark = values.calibration
	? values['end-to-end']
		? import('./benchCalibrationEndToEnd').then((b) => b.benchCalibrationEndToEnd(runs, json))
		: benchCalibration(json)
	: values.notebooks
		? import('./benchNotebooks').then((b) => b.benchNotebooks(json, values.only ? values.only.split(',').map((id) => id.trim()).filter(Boolean) : [], !values['no-build']))
		: values.pairing
			? benchPairing(json)
			: values.scenarios
				? benchScenarios(runs, !!values.idle, json)
				: main();
benchmark.then(() => process.exit(0));
