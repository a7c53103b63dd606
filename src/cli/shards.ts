/**
 * Sharded runs for batch engines. `--shard i/n` runs the i-th of n
 * deterministic slices of a command's jobs (every n-th job, starting at the
 * i-th) and writes a partial file instead of the report; `merge` reads the
 * partial files, checks each one's digest, that they come from the same
 * command on the same inputs (every file a shard read, by digest, still the
 * same now) and cover every job exactly once, and replays the command with
 * their outputs in place of simulation, so the report is built by the same
 * code from the same numbers: exactly what one machine gives.
 */
import { readFileSync } from 'node:fs';
import { createOutput, OUTPUT_ARRAYS, type RunOutput } from '../lib/engine/output';
import { ENGINE_VERSION } from '../lib/engine/version';
import type { JobRunner } from '../lib/experiment/jobs';
import { expectInputs, fileDigest, inputsRead, sha256 } from './inputFiles';
import { UsageError } from './usageError';

export const PARTIAL_FORMAT = 'lifecycle-lab/partial@2';

/** How the current command runs its jobs. */
export type RunMode =
	| { kind: 'normal' }
	| { kind: 'shard'; index: number; count: number; captured: Map<number, RunOutput>; fits: Map<number, unknown>; jobs: number }
	| { kind: 'replay'; outputs: Map<number, RunOutput>; fits: Map<number, unknown> };

export const cli: { mode: RunMode; argv: string[] } = { mode: { kind: 'normal' }, argv: [] };

/** Parses `i/n`. */
export function parseShard(text: string): { index: number; count: number } {
	const m = /^(\d+)\/(\d+)$/.exec(text.trim());
	const index = m ? Number(m[1]) : NaN;
	const count = m ? Number(m[2]) : NaN;
	if (!m || count < 1 || count > 100_000 || index < 1 || index > count) throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n, got "${text}"`);
	return { index, count };
}

/** Wraps a runner for the current mode: all jobs, this shard's slice, or the partial files' outputs. */
export function modeRunner(run: JobRunner): JobRunner {
	const mode = cli.mode;
	if (mode.kind === 'normal') return run;
	if (mode.kind === 'replay') {
		return async (jobs) =>
			jobs.map((_, k) => {
				const out = mode.outputs.get(k);
				if (!out) throw new UsageError(`the partial files have no output for job ${k + 1} of ${jobs.length}`);
				return out;
			});
	}
	return async (jobs, options) => {
		const mine = jobs.map((_, k) => k).filter((k) => k % mode.count === mode.index - 1);
		const outputs = await run(
			mine.map((k) => jobs[k]),
			{ onProgress: options?.onProgress }
		);
		mode.jobs = jobs.length;
		// Keep copies: the command adds shards into their first part while it assembles its (unwritten) report.
		mine.forEach((k, j) => mode.captured.set(k, structuredClone(outputs[j])));
		// The other jobs are another shard's: zeros of the right shape let the command finish.
		return jobs.map((job, k) => {
			const own = mine.indexOf(k);
			if (own >= 0) return outputs[own];
			return createOutput(job.scenario.horizonDays, job.scenario.stages.length, job.scenario.metrics.cohortPeriodDays);
		});
	};
}

/**
 * Runs independent jobs that are not simulations (a calibration's optimiser
 * starts) for the current mode: all of them; this shard's slice, kept for its
 * partial file, returning null since a shard makes no report; or the partial
 * files' results.
 */
export function modeJobs<J, R>(jobs: J[], run: (job: J) => R): R[] | null {
	const mode = cli.mode;
	if (mode.kind === 'normal') return jobs.map(run);
	if (mode.kind === 'replay') {
		return jobs.map((_, k) => {
			if (!mode.fits.has(k)) throw new UsageError(`the partial files have no result for job ${k + 1} of ${jobs.length}`);
			return mode.fits.get(k) as R;
		});
	}
	mode.jobs = jobs.length;
	jobs.forEach((job, k) => {
		if (k % mode.count === mode.index - 1) mode.fits.set(k, run(job));
	});
	return null;
}

// JSON has no Infinity or NaN (a start that fails has an infinite value): keep them as strings so a merge sees what the shard saw.
const NON_FINITE = new Map<string, number>([['Infinity', Infinity], ['-Infinity', -Infinity], ['NaN', NaN]]);
const keepNonFinite = (_: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const restoreNonFinite = (_: string, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? NON_FINITE.get(v) : v);

function encode(out: RunOutput) {
	const { days, stageCount, cohortPeriodDays, cohortPeriods } = out;
	const arrays = Object.fromEntries(OUTPUT_ARRAYS.map((key) => [key, Buffer.from(out[key].buffer, out[key].byteOffset, out[key].byteLength).toString('base64')]));
	return { days, stageCount, cohortPeriodDays, cohortPeriods, ...arrays };
}

function decode(value: Record<string, unknown>): RunOutput {
	const arrays = Object.fromEntries(
		OUTPUT_ARRAYS.map((key) => {
			const bytes = Buffer.from(String(value[key]), 'base64');
			return [key, new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))];
		})
	);
	return { days: Number(value.days), stageCount: Number(value.stageCount), cohortPeriodDays: Number(value.cohortPeriodDays), cohortPeriods: Number(value.cohortPeriods), ...arrays } as RunOutput;
}

/** The partial file of the current shard. */
export function partialFile(): string {
	const mode = cli.mode;
	if (mode.kind !== 'shard') throw new Error('not a shard run');
	const outputs = Object.fromEntries([...mode.captured].map(([k, out]) => [k, encode(out)]));
	const body = JSON.stringify({
		format: PARTIAL_FORMAT,
		engineVersion: ENGINE_VERSION,
		argv: cli.argv,
		inputs: Object.fromEntries(inputsRead),
		shard: { index: mode.index, count: mode.count },
		jobs: mode.jobs,
		outputs,
		fits: JSON.stringify(Object.fromEntries(mode.fits), keepNonFinite)
	});
	// The digest of everything before it: a merge refuses a part changed by even one character.
	return `${body.slice(0, -1)},"digest":"${sha256(body)}"}\n`;
}

/** Checks a part's own digest: the file as written, less its digest, must hash to it. */
function checkDigest(path: string, text: string, value: Record<string, unknown>): void {
	const match = /,"digest":"([0-9a-f]{64})"}\s*$/.exec(text);
	if (!match || value.digest !== match[1] || sha256(text.slice(0, match.index) + '}') !== match[1]) {
		throw new UsageError(`${path} is damaged or was edited: its content does not match its digest`);
	}
}

/** Refuses a recorded command that is not one a shard could have run: a part never chooses where merge writes. */
function checkArgv(path: string, argv: unknown): string[] {
	const ok = Array.isArray(argv) && argv.every((a) => typeof a === 'string');
	const options = ok ? argv.map((a: string) => a.split('=')[0]) : [];
	const refused = ['--out', '--shard', '--workers', '--scores'].find((o) => options.includes(o));
	if (!ok || refused || ['merge', undefined].includes(argv[0])) throw new UsageError(`${path} records a command no shard runs${refused ? ` (it has ${refused})` : ''}`);
	return argv as string[];
}

/** Every input the shards read must still be what they read. */
function checkInputs(inputs: Record<string, string>): void {
	for (const [input, digest] of Object.entries(inputs)) {
		const now = fileDigest(input);
		if (now === undefined) throw new UsageError(`cannot read ${input}, an input the shards read (merge from the directory they ran in)`);
		if (now !== digest) throw new UsageError(`${input} has changed since the shards ran`);
	}
	expectInputs(new Map(Object.entries(inputs)));
}

/** Reads and checks partial files; returns the command to replay and every job's output. */
export function readPartials(paths: string[]): { argv: string[]; outputs: Map<number, RunOutput>; fits: Map<number, unknown> } {
	if (!paths.length) throw new UsageError('merge needs the partial files');
	const parts = paths.map((path) => {
		let text: string;
		let value: Record<string, unknown>;
		try {
			text = readFileSync(path, 'utf8');
			value = JSON.parse(text);
		} catch (error) {
			throw new UsageError(`cannot read partial file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}
		if (value === null || typeof value !== 'object' || value.format !== PARTIAL_FORMAT) throw new UsageError(`${path} is not a partial file of this version (format ${JSON.stringify(value?.format)})`);
		checkDigest(path, text, value);
		checkArgv(path, value.argv);
		return { path, value };
	});
	const first = parts[0].value;
	const same = (key: string) => JSON.stringify(first[key]);
	const count = (first.shard as { count: number }).count;
	const seen = new Map<number, string>();
	for (const { path, value } of parts) {
		for (const key of ['engineVersion', 'argv', 'inputs', 'jobs']) {
			if (JSON.stringify(value[key]) !== same(key)) throw new UsageError(`${path} comes from a different run than ${parts[0].path} (${key} differs)`);
		}
		const shard = value.shard as { index: number; count: number };
		if (shard.count !== count) throw new UsageError(`${path} is shard ${shard.index}/${shard.count}, the others are of ${count}`);
		if (seen.has(shard.index)) throw new UsageError(`${path} and ${seen.get(shard.index)} are both shard ${shard.index}/${count}`);
		seen.set(shard.index, path);
	}
	const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
	if (missing.length) throw new UsageError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
	const argv = first.argv as string[];
	checkInputs(first.inputs as Record<string, string>);
	const outputs = new Map<number, RunOutput>();
	const fits = new Map<number, unknown>();
	for (const { path, value } of parts) {
		for (const [k, out] of Object.entries(value.outputs as Record<string, Record<string, unknown>>)) outputs.set(Number(k), decode(out));
		if (value.fits === undefined) continue;
		let results: Record<string, unknown>;
		try {
			results = JSON.parse(String(value.fits), restoreNonFinite);
		} catch {
			throw new UsageError(`${path}: its fits cannot be read (the file is damaged)`);
		}
		for (const [k, result] of Object.entries(results)) fits.set(Number(k), result);
	}
	return { argv, outputs, fits };
}
