/**
 * The headless command line. Each command is a file in commands/; bad input
 * exits with code 2 and a message naming the argument, file, field or line.
 */
import { checkWritable, parseArguments, type Options } from './args';
import { UsageError } from './usageError';
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
  optimise <experiment.json>   search the experiment's decision values for the best objective under its
                               constraints (Gaussian-process surrogate, batches of fixed size), then
                               re-run the best few until the best is separated (Kim–Nelson) or the
                               replication budget is spent; --shard splits the initial design
  plan-test <experiment.json> --metric M [--days D] [--arm-size N] [--max-arm-size M] [--tests T] [--variant V]
                               rehearse the live A/B test of V against the control:
                               power at N per arm, or the N for 80% power (α = 0.05),
                               for D days or for 14, 28 and 56; a search tries at most
                               6 sizes up to M per arm (default 20000), else "more than M"
                               metrics: conversion, repurchase, gmvPerUser, retention
  calibrate <transactions.csv> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]
      [--time-unit day|week] [--id-column C] [--date-column C] [--amount-column C]
      [--model bgnbd|mbgnbd|paretonbd|all] [--use M] [--scores FILE [--horizon H] [--discount-rate D]]
                               fit BG/NBD (or the models named; all compares the three: parameters with
                               standard errors, log-likelihood, AIC/BIC, holdout) and Gamma-Gamma;
                               the report uses --use M, else the lowest BIC; --out writes a calibrated
                               scenario of that model; --scores writes a CSV per customer: P(alive),
                               expected purchases and CLV over H time units (default a year), discounted
                               at D per time unit (default 0)
  calibrate <table.csv> --model bgbb [--occasion-column C [--id-column C] [--calibration-end K]
      [--holdout-end L]] [--scores FILE [--horizon H] [--discount-rate D]]
                               BG/BB for purchases at fixed occasions, from a recency/frequency table
                               (frequency, recency, n, n_custs) or a log of customer id and occasion number,
                               calibrated through occasion K (default the last) and checked on K+1 … L;
                               --scores: P(alive) and expected purchases in the next H occasions
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
      [--scores FILE [--horizon H] [--discount-rate D]]
                               for calibrate: the per-customer scores, written by the merge

options for every command:
  --workers W        worker threads (default: the machine's cores; not fit-simulation); changes speed, never results
  --out FILE         write to FILE instead of standard output
  --shard i/n        (run, compare, sweep, sensitivity, optimise, calibrate) run the i-th of n deterministic
                     slices of the jobs (simulations; for calibrate, the optimiser's starts)
                     and write a partial file; merge the n parts for the result`;

async function main(argv: string[]): Promise<void> {
	const { values, positionals } = parseArguments(argv);
	if (values.help) return void console.log(USAGE);
	const [command, path, ...extra] = positionals;
	if (!command) throw new UsageError('missing command');
	if (values.out !== undefined) checkWritable(values.out);
	if (command === 'merge') return merge(positionals.slice(1), values);
	const commands = ['run', 'compare', 'sweep', 'sensitivity', 'optimise', 'plan-test', 'calibrate', 'fit-simulation'];
	if (!commands.includes(command)) throw new UsageError(`unknown command "${command}"; commands: ${[...commands, 'merge'].join(', ')}`);
	const input = command === 'run' || command === 'fit-simulation' ? 'scenario' : command === 'calibrate' ? 'transactions' : 'experiment';
	if (!path) throw new UsageError(`missing ${input} file`);
	if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
	if (values.shard !== undefined) {
		if (command === 'plan-test') throw new UsageError('plan-test does not take --shard');
		// Each step of the simplex waits for the one before: the jobs are not known in advance.
		if (command === 'fit-simulation') throw new UsageError('fit-simulation does not take --shard: its simulations follow one another, each chosen by the last');
		cli.mode = { kind: 'shard', ...parseShard(values.shard), captured: new Map(), fits: new Map(), jobs: 0 };
		// A part never chooses where merge writes: the scores file is named to merge, like --out.
		const scoreOptions = (['scores', 'horizon', 'discount-rate'] as const).filter((o) => values[o] !== undefined);
		if (scoreOptions.length) throw new UsageError(`--shard does not take --${scoreOptions[0]}: give --scores (and --horizon, --discount-rate) to merge, which writes the scores`);
		// Workers change speed, never results: parts run with different --workers merge.
		cli.argv = withoutOptions(argv, ['--shard', '--out', '--workers']);
	}
	// Each command's code is loaded when it is asked for: a start parses only what it runs.
	if (command === 'run') return (await import('./commands/run')).runCommand(path, values);
	if (command === 'plan-test') return (await import('./commands/planTest')).planTestCommand(path, values);
	if (command === 'calibrate') return (await import('./commands/calibrate')).calibrateCommand(path, values);
	if (command === 'optimise') return (await import('./commands/optimise')).optimiseCommand(path, values);
	if (command === 'fit-simulation') return (await import('./commands/fitSimulation')).fitSimulationCommand(path, values);
	if (command === 'optimise') return (await import('./commands/optimise')).optimiseCommand(path, values);
	return (await import('./commands/compare')).experimentCommand(command as 'compare' | 'sweep' | 'sensitivity', path, values);
}

/** `merge parts/*.json`: replays the sharded command with the parts' outputs, giving the one-machine result; where it writes comes from its own options, never a part. */
async function merge(paths: string[], values: Options): Promise<void> {
	const { argv, outputs, fits } = readPartials(paths);
	cli.mode = { kind: 'replay', outputs, fits };
	const own = (['out', 'scores', 'horizon', 'discount-rate'] as const).flatMap((o) => (values[o] === undefined ? [] : [`--${o}`, String(values[o])]));
	return main([...argv, ...own]);
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

/**
 * Exits with `code` once standard output and standard error have drained: on a
 * pipe, writes are queued, and exiting at once would cut the output at the
 * pipe's buffer (64 KiB) with a success code.
 */
function exitWhenDrained(code: number): void {
	process.exitCode = code;
	let pending = 2;
	const done = () => --pending === 0 && process.exit(code);
	// A write's callback runs once it and every write before it have reached the stream.
	process.stdout.write('', done);
	process.stderr.write('', done);
}

// A reader that stops early (`| head`) closes the pipe: that is not a failure of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));

main(process.argv.slice(2)).then(
	() => exitWhenDrained(0),
	(error: unknown) => {
		if (error instanceof UsageError) {
			console.error(`error: ${error.message}\n\nrun with --help for usage`);
			return exitWhenDrained(2);
		}
		console.error(`error: ${(error as Error).message ?? error}`);
		exitWhenDrained(1);
	}
);
