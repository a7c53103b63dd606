/**
 * Engine speed where users work: every built-in scenario, and every arm of
 * every built-in experiment (its variants, sweep cells or sensitivity runs),
 * at its own default size, one replication, its shards run one after another on this thread
 * (one worker), best of `runs`. Only the simulation is timed (not reading,
 * validating or compiling the scenario).
 *
 * An event is one the engine handles: a person's random event (funnel move,
 * purchase, invitation), a deadline (dormancy or a policy's timer), or an
 * arrival (a channel's prospect or a referred friend). The count is the
 * run's `events` series plus its `prospectsAcquired` series, and stays this.
 *
 * `--idle` also runs industry-average with a million idle people added
 * (in a prospect stage with no moves: no events, no deadlines), to show that work grows with
 * events, not people: the extra time should be the time to create them.
 *   npm run bench -- --scenarios [--runs 3] [--idle] [--json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createShardSimulation, shardCount } from '../lib/engine/run';
import { SERIES_ROW, TOTAL_AGENT_DAYS, TOTAL_AGENTS } from '../lib/engine/output';
import { parseScenario } from '../lib/engine/scenario/validate';
import type { Scenario } from '../lib/engine/scenario/schema';
import { ENGINE_VERSION } from '../lib/engine/version';
import { resolveSensitivity, resolveSweep, resolveVariants } from '../lib/experiment/experiment';
import { loadExperiment } from './experimentFile';

interface ScenarioRow {
	scenario: string;
	people: number;
	days: number;
	events: number;
	agentDays: number;
	seconds: number;
	nsPerEvent: number;
	bytesPerAgent: number;
}

/** Events of a run as defined above: handled agent events plus arrivals. */
function eventsOf(series: Float64Array, days: number): number {
	let sum = 0;
	for (const row of [SERIES_ROW.events, SERIES_ROW.prospectsAcquired]) for (let d = 0; d < days; d++) sum += series[row * days + d];
	return sum;
}

/** One replication, shard by shard on this thread: simulation seconds, events, people, agent-days and bytes per agent. */
function timeOnce(scenario: Scenario) {
	let seconds = 0;
	let events = 0;
	let people = 0;
	let agentDays = 0;
	let bytes = 0;
	for (let shard = 0; shard < shardCount(scenario.population.initial); shard++) {
		const sim = createShardSimulation(scenario, { replication: 0, shard });
		const start = performance.now();
		const out = sim.run();
		seconds += (performance.now() - start) / 1000;
		events += eventsOf(out.series, out.days);
		people += out.totals[TOTAL_AGENTS];
		agentDays += out.totals[TOTAL_AGENT_DAYS];
		// Typed arrays the shard holds: its columns at capacity (the calendar's buckets are freed day by day).
		bytes += sim.population.capacity * sim.population.bytesPerAgent();
		sim.population.release(); // as the workers do: the next shard reuses the records
	}
	return { seconds, events, people, agentDays, bytesPerAgent: bytes / people };
}

function row(name: string, scenario: Scenario, runs: number): ScenarioRow {
	timeOnce(scenario); // warm-up: JIT
	const samples = Array.from({ length: runs }, () => timeOnce(scenario));
	const best = samples.reduce((a, b) => (b.seconds < a.seconds ? b : a));
	return { scenario: name, people: best.people, days: scenario.horizonDays, events: best.events, agentDays: best.agentDays, seconds: best.seconds, nsPerEvent: (1e9 * best.seconds) / best.events, bytesPerAgent: best.bytesPerAgent };
}

/** industry-average with `idle` more people on day 0 in a prospect stage with no moves (no events, no deadlines), and the same active people. */
function withIdle(raw: Record<string, unknown>, idle: number): Scenario {
	const copy = structuredClone(raw) as { population: { initial: number; initialStages: Record<string, number> }; stages: unknown[] };
	copy.stages.push({ id: 'idle', kind: 'prospect', labels: { en: 'Idle', 'zh-CN': '沉睡' }, transitions: [] });
	const active = copy.population.initial;
	const total = active + idle;
	const stages = Object.fromEntries(Object.entries(copy.population.initialStages).map(([id, share]) => [id, (share * active) / total]));
	copy.population = { initial: total, initialStages: { ...stages, idle: idle / total } };
	return parseScenario(copy);
}

/**
 * The arms of a built-in experiment as the notebook and `compare` run them,
 * named `experiment / arm`, leaving out any arm whose scenario is one already
 * listed (a sensitivity analysis's base is its base scenario).
 */
function experimentArms(path: string, seen: Set<string>): { name: string; scenario: Scenario }[] {
	const { experiment, baseRaw } = loadExperiment(path);
	const arms = experiment.sensitivity?.length ? resolveSensitivity(experiment, baseRaw) : experiment.sweep?.length ? resolveSweep(experiment, baseRaw) : resolveVariants(experiment, baseRaw);
	const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
	return arms.filter((arm) => !seen.has(JSON.stringify(arm.scenario))).map((arm) => ({ name: `${name} / ${arm.name}`, scenario: arm.scenario }));
}

/** Times every built-in scenario and experiment arm (and, with `idle`, industry-average plus a million idle people) and prints the table. */
export async function benchScenarios(runs: number, idle: boolean, json: boolean): Promise<void> {
	const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
	const dir = join(root, 'scenarios');
	const rows: ScenarioRow[] = [];
	const seen = new Set<string>();
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
		const scenario = parseScenario(raw);
		seen.add(JSON.stringify(scenario));
		rows.push(row(file.replace(/\.json$/, ''), scenario, runs));
		if (idle && file === 'industry-average.json') rows.push(row('industry-average + 1M idle', withIdle(raw, 1_000_000), runs));
	}
	const experiments = join(dir, 'experiments');
	for (const file of readdirSync(experiments).filter((f) => f.endsWith('.json')).sort()) {
		for (const arm of experimentArms(join(experiments, file), seen)) {
			seen.add(JSON.stringify(arm.scenario));
			rows.push(row(arm.name, arm.scenario, runs));
		}
	}
	if (json) {
		console.log(JSON.stringify({ engineVersion: ENGINE_VERSION, runs, rows }, null, 2));
		return;
	}
	console.log(`Lifecycle Lab engine ${ENGINE_VERSION}: one replication on one thread, best of ${runs} runs after a warm-up`);
	console.log('| scenario | people | days | events | agent-days | seconds | ns per event | bytes per agent |');
	console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const r of rows) {
		console.log(
			`| ${r.scenario} | ${r.people.toLocaleString('en')} | ${r.days} | ${r.events.toLocaleString('en')} | ${r.agentDays.toLocaleString('en')} | ` +
				`${r.seconds.toFixed(3)} | ${r.nsPerEvent.toFixed(0)} | ${r.bytesPerAgent.toFixed(1)} |`
		);
	}
}
