/** Command-line arguments: parsing, numbers with bounds, and writing the output, each failure a UsageError naming the argument. */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './scenarioFile';
import { cli, partialFile } from './shards';

const OPTIONS = {
	replications: { type: 'string' },
	seed: { type: 'string' },
	days: { type: 'string' },
	population: { type: 'string' },
	workers: { type: 'string' },
	out: { type: 'string' },
	format: { type: 'string' },
	metric: { type: 'string' },
	precision: { type: 'string' },
	'max-replications': { type: 'string' },
	'arm-size': { type: 'string' },
	'max-arm-size': { type: 'string' },
	tests: { type: 'string' },
	variant: { type: 'string' },
	shard: { type: 'string' },
	'calibration-end': { type: 'string' },
	'holdout-end': { type: 'string' },
	'time-unit': { type: 'string' },
	'id-column': { type: 'string' },
	'date-column': { type: 'string' },
	'amount-column': { type: 'string' },
	model: { type: 'string' },
	'occasion-column': { type: 'string' },
	use: { type: 'string' },
	scores: { type: 'string' },
	horizon: { type: 'string' },
	'discount-rate': { type: 'string' },
	observed: { type: 'string' },
	'observed-transactions': { type: 'string' },
	param: { type: 'string', multiple: true },
	series: { type: 'string' },
	'period-days': { type: 'string' },
	periods: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
} as const;

type OptionValue<O> = O extends { type: 'boolean' } ? boolean : O extends { multiple: true } ? string[] : string;
/** Parsed options; one given more than once (`multiple`) is a list. */
export type Options = { [K in keyof typeof OPTIONS]?: OptionValue<(typeof OPTIONS)[K]> };

/** Parses argv; `allowed` lists the options the command takes. */
export function parseArguments(argv: string[]): { values: Options; positionals: string[] } {
	try {
		return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS }) as { values: Options; positionals: string[] };
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}

/** Refuses options the command does not take. */
export function onlyOptions(command: string, values: Options, allowed: (keyof Options)[]): void {
	for (const key of Object.keys(values) as (keyof Options)[]) {
		if (key === 'help' || (key === 'shard' && command !== 'plan-test')) continue;
		if (!allowed.includes(key)) throw new UsageError(`${command} does not take --${key}`);
	}
}

/** A whole number within bounds, or the fallback when absent. */
export function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
	if (text === undefined) return fallback;
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
		throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
	}
	return value;
}

/** A whole number within bounds, or undefined when absent. */
export function optionalNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
	return text === undefined ? undefined : wholeNumber(name, text, 0, min, max);
}

/** Refuses an --out the command could not write, before any work: a folder, or a file in a folder that is missing or read-only. */
export function checkWritable(out: string): void {
	const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
	// A new file needs a writable folder; an existing one must itself be writable.
	let target = dirname(out);
	try {
		if (statSync(out).isDirectory()) throw new UsageError(`cannot write --out ${out}: it is a folder`);
		target = out;
	} catch (error) {
		if (error instanceof UsageError) throw error;
		if (code(error) !== 'ENOENT') throw new UsageError(`cannot write --out ${out}: ${code(error)}`);
	}
	try {
		accessSync(target, constants.W_OK);
	} catch (error) {
		throw new UsageError(`cannot write --out ${out}: ${code(error)}`);
	}
}

/** Writes to --out, or to standard output; a shard run writes its partial file instead of the report. */
export function writeOutput(out: string | undefined, text: string): void {
	if (cli.mode.kind === 'shard') text = partialFile();
	if (!out) return void process.stdout.write(text);
	try {
		writeFileSync(out, text);
	} catch (error) {
		throw new UsageError(`cannot write --out ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
}
