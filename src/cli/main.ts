/**
 * The headless command line. Each command is a file in commands/; bad input
 * exits with code 2 and a message naming the argument, file, field or line.
 */
import { parseArguments } from './args';
import { calibrateCommand } from './commands/calibrate';
import { experimentCommand } from './commands/compare';
import { fitSimulationCommand } from './commands/fitSimulation';
import { planTestCommand } from './commands/planTest';
import { runCommand } from './commands/run';
import { UsageError } from './scenarioFile';
import { cli, parseShard, readPartials } from './shards';

const USAGE = `usage: npm run sim -- <command> <file> [options]

commands:
  run <scenario.json>          R replications of one scenario
      --replications R   independent replications (default 1)
      --seed S           seed, overriding the scenario's
      --days D           horizon in days, overriding the scenario's
      --population N     people on day 0, overriding the scenario's
      --format F         json (default: the full report) or csv (the daily series)
  compare <experiment.json>    variants against the control, with common random numbers
      --replications R   overriding the experiment's
      --precision M:H    instead of a fixed count, add replications in batches until the paired
                         lift of metric M has a 95% half-width of at most H (0.01 = 1 point) for
                         every variant, as the experiment's "precision" field does
      --max-replications N  the cap for --precision (default 200)
  sweep <experiment.json>      the grid of the experiment's sweep parameters
  sensitivity <experiment.json> [--metric M]
                               each sensitivity parameter at low and high, ranked (tornado)
  plan-test <experiment.json> --metric M [--days D] [--arm-size N] [--tests T] [--variant V]
                               rehearse the live A/B test of V against the control:
                               power at N per arm, or the N for 80% power (α = 0.05),
                               for D days or for 14, 28 and 56
                               metrics: conversion, repurchase, gmvPerUser, retention
  calibrate <transactions.csv> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]
      [--time-unit day|week] [--id-column C] [--date-column C] [--amount-column C]
                               fit BG/NBD and Gamma-Gamma; --out writes a calibrated scenario
  fit-simulation <scenario.json> --observed <curve.csv> --param <pointer>[=low..high] [--param ...]
      [--series S] [--period-days D] [--periods N] [--replications R]
                               fit scenario values (funnel rates, inflow, referral) so the simulated
                               series matches the observed one, with common random numbers;
                               prints values, standard errors (null: not identified, or at a bound)
                               and chi-square; --out writes the scenario
      --observed FILE    a CSV "period,value", one row per period from day 0
      --observed-transactions FILE
                         instead, count the series per period from a transaction log's first day
                         (series newCustomers, purchases or repeatPurchases; columns as calibrate)
      --param P[=L..H]   a JSON Pointer to a number in the scenario; repeat for more values;
                         bounds default by kind (a daily probability: 0.0001..0.5)
      --series S         the engine's daily series summed per period (default newCustomers)
      --period-days D    days in one observed period (default 7)
      --periods N        fit only the first N periods (default: all of them)
      --replications R   runs per evaluation, the same seeds each time (default 4)

  merge <part.json>...        combine the partial files of a sharded run into its result

options for every command:
  --workers W        worker threads (default: the machine's cores; not fit-simulation); changes speed, never results
  --out FILE         write to FILE instead of standard output
  --shard i/n        (run, compare, sweep, sensitivity, calibrate) run the i-th of n deterministic
                     slices of the jobs (simulations; for calibrate, the optimiser's starts)
                     and write a partial file; merge the n parts for the result`;

async function main(argv: string[]): Promise<void> {
	const { values, positionals } = parseArguments(argv);
	if (values.help) return void console.log(USAGE);
	const [command, path, ...extra] = positionals;
	if (!command) throw new UsageError('missing command');
	if (command === 'merge') return merge(positionals.slice(1), values.out);
	const commands = ['run', 'compare', 'sweep', 'sensitivity', 'plan-test', 'calibrate', 'fit-simulation'];
	if (!commands.includes(command)) throw new UsageError(`unknown command "${command}"; commands: ${[...commands, 'merge'].join(', ')}`);
	const input = command === 'run' || command === 'fit-simulation' ? 'scenario' : command === 'calibrate' ? 'transactions' : 'experiment';
	if (!path) throw new UsageError(`missing ${input} file`);
	if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
	if (values.shard !== undefined) {
		if (command === 'plan-test') throw new UsageError('plan-test does not take --shard');
		// Each step of the simplex waits for the one before: the jobs are not known in advance.
		if (command === 'fit-simulation') throw new UsageError('fit-simulation does not take --shard: its simulations follow one another, each chosen by the last');
		cli.mode = { kind: 'shard', ...parseShard(values.shard), captured: new Map(), fits: new Map(), jobs: 0 };
		cli.argv = withoutOptions(argv, ['--shard', '--out']);
		cli.inputPath = path;
	}
	if (command === 'run') return runCommand(path, values);
	if (command === 'plan-test') return planTestCommand(path, values);
	if (command === 'calibrate') return calibrateCommand(path, values);
	if (command === 'fit-simulation') return fitSimulationCommand(path, values);
	return experimentCommand(command as 'compare' | 'sweep' | 'sensitivity', path, values);
}

/** `merge parts/*.json`: replays the sharded command with the parts' outputs, giving the one-machine result. */
async function merge(paths: string[], out: string | undefined): Promise<void> {
	const { argv, outputs, fits } = readPartials(paths);
	cli.mode = { kind: 'replay', outputs, fits };
	return main(out ? [...argv, '--out', out] : argv);
}

function withoutOptions(argv: string[], names: string[]): string[] {
	const kept: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const [name] = argv[i].split('=');
		if (names.includes(name)) {
			if (!argv[i].includes('=')) i++;
			continue;
		}
		kept.push(argv[i]);
	}
	return kept;
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
