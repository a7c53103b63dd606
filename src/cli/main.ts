/**
 * The headless command line:
 *   npm run sim -- run <scenario.json> [--replications R] [--seed S] [--days D]
 *     [--population N] [--workers W] [--out FILE] [--format json|csv]
 * Exit code 2 and a message naming the argument or file for bad input.
 */
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runOnWorkers } from './runOnWorkers';
import { loadScenario, UsageError } from './scenarioFile';
import { buildReport, dailyCsv } from '../lib/experiment/report';

const USAGE = `usage: npm run sim -- run <scenario.json> [options]

options:
  --replications R   independent replications (default 1)
  --seed S           seed, overriding the scenario's
  --days D           horizon in days, overriding the scenario's
  --population N     people on day 0, overriding the scenario's
  --workers W        worker threads (default: the machine's cores); changes speed, never results
  --out FILE         write to FILE instead of standard output
  --format F         json (default: the full report) or csv (the daily series)`;

async function main(argv: string[]): Promise<void> {
	const { values, positionals } = parseArguments(argv);
	const [command, scenarioPath, ...extra] = positionals;
	if (values.help) return void console.log(USAGE);
	if (command !== 'run') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
	if (!scenarioPath) throw new UsageError('missing scenario file');
	if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);

	const format = values.format ?? 'json';
	if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}"`);
	const replications = wholeNumber('--replications', values.replications, 1, 1, 10000);
	const workers = wholeNumber('--workers', values.workers, availableParallelism(), 1, 256);
	const scenario = loadScenario(scenarioPath, {
		seed: optionalNumber('--seed', values.seed, 0, 4294967295),
		days: optionalNumber('--days', values.days, 1, 3650),
		population: optionalNumber('--population', values.population, 0, 1e8)
	});

	const { outputs, wallSeconds } = await runOnWorkers(scenario, replications, workers);
	const report = buildReport(scenario, outputs, wallSeconds);
	const text = format === 'json' ? JSON.stringify(report) + '\n' : dailyCsv(report, scenario.stages.map((s) => s.id));
	if (values.out) {
		try {
			writeFileSync(values.out, text);
		} catch (error) {
			throw new UsageError(`cannot write --out ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}
	} else {
		process.stdout.write(text);
	}
}

function parseArguments(argv: string[]) {
	try {
		return parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				replications: { type: 'string' },
				seed: { type: 'string' },
				days: { type: 'string' },
				population: { type: 'string' },
				workers: { type: 'string' },
				out: { type: 'string' },
				format: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}

function optionalNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
	return text === undefined ? undefined : wholeNumber(name, text, 0, min, max);
}

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
	if (text === undefined) return fallback;
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
		throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
	}
	return value;
}

main(process.argv.slice(2)).then(
	() => process.exit(0),
	(error: unknown) => {
		if (error instanceof UsageError) {
			console.error(`error: ${error.message}\n\nrun with --help for usage`);
			process.exit(2);
		}
		console.error(`error: ${(error as Error).message ?? error}`);
		process.exit(1);
	}
);
