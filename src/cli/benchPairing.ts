/**
 * What common random numbers buy in every shipped experiment: for each
 * variant against its control and each metric, the width of the variant's
 * own 95% interval over the width of the paired difference's (as `compare`
 * reports it in `varianceReduction`). Sweeps compare every cell with the
 * first, sensitivity runs every low and high with the base. Each experiment
 * runs at its own replication count.
 *   npm run bench -- --pairing [--json]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { controlName, resolveSensitivity, resolveSweep, resolveVariants } from '../lib/experiment/experiment';
import { kpiColumns } from '../lib/experiment/compare';
import { runVariants } from '../lib/experiment/runVariants';
import { estimate } from '../lib/experiment/statistics';
import type { KpiName } from '../lib/experiment/kpis';
import { ENGINE_VERSION } from '../lib/engine/version';
import { loadExperiment } from './experimentFile';
import { withWorkers } from './runOnWorkers';

/** Variant interval width over paired-difference interval width, or null. */
function ratio(variant: number[], control: number[]): number | null {
	const own = estimate(variant).ci95;
	const diff = estimate(variant.map((v, k) => v - control[k])).ci95;
	if (!own || !diff || diff[1] === diff[0]) return null;
	return (own[1] - own[0]) / (diff[1] - diff[0]);
}

/** Pairing gains of one experiment file: per metric, the ratios of every variant against the control. */
async function pairingOf(path: string, workers: number) {
	const { experiment, baseRaw } = loadExperiment(path);
	const kind = experiment.sweep ? 'sweep' : experiment.sensitivity ? 'sensitivity' : 'compare';
	const variants = kind === 'sweep' ? resolveSweep(experiment, baseRaw) : kind === 'sensitivity' ? resolveSensitivity(experiment, baseRaw) : resolveVariants(experiment, baseRaw);
	const control = kind === 'compare' ? controlName(experiment) : variants[0].name;
	const { result: runs, wallSeconds } = await withWorkers(workers, (run) => runVariants(variants, experiment.replications, run, true));
	const columns = runs.map(kpiColumns);
	const c = runs.findIndex((r) => r.name === control);
	const metrics = Object.fromEntries(
		(experiment.metrics as KpiName[]).map((m) => [m, runs.flatMap((r, i) => (i === c ? [] : [ratio(columns[i][m], columns[c][m])])).filter((x): x is number => x !== null)])
	);
	return { experiment: experiment.name, kind, replications: experiment.replications, variants: runs.length - 1, wallSeconds, metrics };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every experiment in scenarios/experiments/ and prints the pairing gains. */
export async function benchPairing(json: boolean): Promise<void> {
	const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
	const dir = join(root, 'scenarios/experiments');
	const workers = Math.min(2, availableParallelism());
	const results = [];
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) results.push(await pairingOf(join(dir, file), workers));
	if (json) {
		console.log(JSON.stringify({ engineVersion: ENGINE_VERSION, results }, null, 2));
		return;
	}
	console.log(`Lifecycle Lab engine ${ENGINE_VERSION}: variant interval width / paired difference interval width (median, min–max over variants)`);
	for (const r of results) {
		const cells = Object.entries(r.metrics).map(([m, xs]) => (xs.length ? `${m} ${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})` : `${m} n/a`));
		console.log(`${r.experiment} [${r.kind}, ${r.replications} replications, ${r.variants} against control, ${r.wallSeconds.toFixed(0)} s]: ${cells.join('; ')}`);
	}
}
