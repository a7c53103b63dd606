/**
 * `plan-test <experiment.json> --metric M [--days D] [--arm-size N] [--max-arm-size M] [--tests T] [--variant V]`:
 * rehearse the live A/B test of a variant (default: the first that is not the
 * control) against the control: power at N users per arm, or the N that reaches 80%,
 * for D days or, without --days, for 14, 28 and 56 days. A search tries at most
 * MAX_SEARCH_SIZES sizes of at most M users per arm (default 20,000), so the
 * number of simulated tests is bounded and known before it starts; past M it
 * answers "more than M users per arm" (armSize null).
 */
import { availableParallelism } from 'node:os';
import { resolveVariants, controlName } from '../../lib/experiment/experiment';
import { TEST_METRICS, type TestMetric } from '../../lib/experiment/armObserver';
import { MAX_SEARCH_ARM_SIZE, plannedTests, searchArmSize, simulatePower } from '../../lib/experiment/testPlan';
import { poolArmRunner } from '../../lib/workers/armRunner';
import { ENGINE_VERSION } from '../../lib/engine/version';
import { createNodePool } from '../../lib/workers/nodePool';
import { onlyOptions, optionalNumber, wholeNumber, writeOutput, type Options } from '../args';
import { loadExperiment, resolving } from '../experimentFile';
import { UsageError } from '../scenarioFile';

const DEFAULT_DURATIONS = [14, 28, 56];

export async function planTestCommand(path: string, values: Options): Promise<void> {
	onlyOptions('plan-test', values, ['metric', 'days', 'arm-size', 'max-arm-size', 'tests', 'variant', 'workers', 'out']);
	const metric = values.metric as TestMetric;
	if (!TEST_METRICS.includes(metric)) throw new UsageError(`--metric must be one of ${TEST_METRICS.join(', ')}, got "${values.metric ?? ''}"`);
	// Without --days, the plan is made for each of a few common durations, so the size/duration trade-off is visible.
	const durations = values.days === undefined ? DEFAULT_DURATIONS : [wholeNumber('--days', values.days, 28, 1, 3650)];
	const armSize = optionalNumber('--arm-size', values['arm-size'], 10, 10_000_000);
	const maxArmSize = wholeNumber('--max-arm-size', values['max-arm-size'], MAX_SEARCH_ARM_SIZE, 10, 10_000_000);
	const tests = wholeNumber('--tests', values.tests, 200, 20, 100_000);
	const workers = wholeNumber('--workers', values.workers, availableParallelism(), 1, 256);
	const { experiment, baseRaw } = loadExperiment(path);
	const variants = resolving(path, () => resolveVariants(experiment, baseRaw));
	const control = variants.find((v) => v.name === controlName(experiment))!;
	const variant = values.variant ? variants.find((v) => v.name === values.variant) : variants.find((v) => v !== control);
	if (values.variant && !variant) throw new UsageError(`--variant "${values.variant}" is not in ${path}; variants: ${variants.map((v) => v.name).join(', ')}`);
	if (!variant || variant === control) throw new UsageError(`${path}: plan-test needs a variant besides the control "${control.name}"`);

	const totalTests = durations.length * plannedTests(tests, armSize);
	const start = performance.now();
	let done = 0;
	const pool = createNodePool(workers);
	const run = poolArmRunner(pool, (arms) => {
		done += arms / 2;
		showProgress(done, totalTests, (performance.now() - start) / 1000);
	});
	try {
		const plans = [];
		for (const days of durations) {
			plans.push(
				armSize !== undefined
					? { days, power: await simulatePower(control.scenario, variant.scenario, metric, armSize, days, tests, run) }
					: { days, search: await searchArmSize(control.scenario, variant.scenario, metric, days, tests, run, { maxArmSize }) }
			);
		}
		const meta = { engineVersion: ENGINE_VERSION, experiment: experiment.name, control: control.name, variant: variant.name, metric, tests, plannedTests: totalTests, simulatedTests: done, alpha: 0.05, wallSeconds: (performance.now() - start) / 1000 };
		const result = plans.length === 1 ? { meta: { ...meta, days: plans[0].days }, ...plans[0] } : { meta, durations: plans };
		writeOutput(values.out, JSON.stringify(result) + '\n');
	} finally {
		if (process.stderr.isTTY) process.stderr.write('\n');
		pool.close();
	}
}

/** Done of the most simulated tests and the time left at this pace, on one terminal line (never into a pipe, where it would be noise). */
function showProgress(done: number, total: number, seconds: number): void {
	if (!process.stderr.isTTY) return;
	const left = done > 0 ? (seconds * (total - done)) / done : 0;
	process.stderr.write(`\rplan-test: ${done} of at most ${total} simulated tests · ${seconds.toFixed(0)} s · about ${left.toFixed(0)} s left at this pace   `);
}
