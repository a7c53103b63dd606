/**
 * `fit-simulation <scenario.json> (--observed curve.csv | --observed-transactions log.csv)
 *   --param <pointer>[=low..high] [--param …] [--series S] [--period-days D] [--periods N] [--replications R] [--out fitted.json]`:
 * fits the named scenario values so the simulated series matches the observed
 * one (common random numbers, Nelder–Mead), prints the fit as JSON, and with
 * --out writes the scenario with the fitted values.
 */
import { readInput } from '../inputFiles';
import { basename } from 'node:path';
import { boundsProblem, defaultBounds, fitCandidates, fittedParameter } from '../../lib/calibration/fitCandidates';
import { fittedScenario } from '../../lib/calibration/fittedScenario';
import { OBSERVED_SERIES, ObservedCurveError, observedCounts, parseObservedCurve, type ObservedSeries } from '../../lib/calibration/observedCurve';
import { fitBySimulation, type FittedParameter } from '../../lib/calibration/simulationFit';
import { SERIES, type SeriesName } from '../../lib/engine/output';
import type { Scenario } from '../../lib/engine/scenario/schema';
import { formatProblem } from '../../lib/engine/scenario/validate';
import { getAtPointer, PointerError } from '../../lib/engine/scenario/jsonPointer';
import { onlyOptions, wholeNumber, writeOutput, type Options } from '../args';
import { loadScenario, UsageError } from '../scenarioFile';
import { loadTransactions } from '../transactionsFile';

function readText(what: string, path: string): string {
	return readInput(path, what);
}

/** The observed counts per period, from a `period,value` CSV or counted from a transaction log. */
async function readObserved(values: Options, series: SeriesName, periodDays: number): Promise<{ observed: number[]; source: string }> {
	if (values.observed && values['observed-transactions']) throw new UsageError('give --observed or --observed-transactions, not both');
	if (values.observed) {
		try {
			return { observed: parseObservedCurve(readText('observed file', values.observed)), source: basename(values.observed) };
		} catch (error) {
			if (error instanceof ObservedCurveError) throw new UsageError(`${values.observed}: ${error.message}`);
			throw error;
		}
	}
	const path = values['observed-transactions'];
	if (!path) throw new UsageError('--observed <period,value CSV> or --observed-transactions <transactions CSV> is required');
	if (!(OBSERVED_SERIES as readonly string[]).includes(series)) {
		throw new UsageError(`--series with --observed-transactions must be one of ${OBSERVED_SERIES.join(', ')}, got "${series}"`);
	}
	const log = await loadTransactions(path, values);
	const observed = observedCounts(log, series as ObservedSeries, periodDays);
	if (observed.length < 2) throw new UsageError(`${path}: the log covers ${observed.length} whole period(s) of ${periodDays} days; a fit needs at least 2`);
	return { observed, source: basename(path) };
}

/** One `--param <pointer>[=low..high]`: the pointer must name a number; bounds default by the kind of value. */
function parseParam(text: string, scenario: Scenario): FittedParameter {
	const match = /^(\/[^=]*)(?:=(.*))?$/.exec(text);
	if (!match) throw new UsageError(`--param ${text}: expected a JSON Pointer such as /stages/2/transitions/0/dailyProbability, optionally =low..high`);
	const [, pointer, range] = match;
	const option = `--param ${pointer}`;
	let value: unknown;
	try {
		value = getAtPointer(scenario, pointer);
	} catch (error) {
		if (error instanceof PointerError) throw new UsageError(`--param ${error.message}`);
		throw error;
	}
	if (typeof value !== 'number') throw new UsageError(`${option}: the scenario has ${value === undefined ? 'nothing' : `no number (found ${JSON.stringify(value).slice(0, 60)})`} at this pointer`);
	const known = fitCandidates(scenario).find((c) => c.pointer === pointer);
	let low: number, high: number;
	if (range === undefined) {
		if (!known) throw new UsageError(`${option}: no default bounds for this value; give them as ${pointer}=low..high`);
		[low, high] = defaultBounds(known.kind, value);
	} else {
		const bounds = range.split('..');
		[low, high] = bounds.length === 2 && bounds.every((b) => b.trim() !== '') ? bounds.map(Number) : [NaN, NaN];
		if (!Number.isFinite(low) || !Number.isFinite(high) || low >= high) throw new UsageError(`${option}: bounds must be low..high with low < high, got "${range}"`);
	}
	const parameter = fittedParameter(pointer, value, low, high, known?.integer);
	const problem = boundsProblem(scenario, parameter);
	if (problem) throw new UsageError(`${option}=${low}..${high}: the scenario is invalid within these bounds: ${formatProblem(problem)}`);
	return parameter;
}

export async function fitSimulationCommand(path: string, values: Options): Promise<void> {
	onlyOptions('fit-simulation', values, ['observed', 'observed-transactions', 'id-column', 'date-column', 'amount-column', 'param', 'series', 'period-days', 'periods', 'replications', 'out']);
	const series = (values.series ?? 'newCustomers') as SeriesName;
	if (!(SERIES as readonly string[]).includes(series)) throw new UsageError(`--series must be one of ${SERIES.join(', ')}, got "${series}"`);
	const periodDays = wholeNumber('--period-days', values['period-days'], 7, 1, 365);
	const replications = wholeNumber('--replications', values.replications, 4, 1, 1000);
	const scenario = loadScenario(path);
	if (!values.param?.length) throw new UsageError('at least one --param <pointer>[=low..high] is required');
	const parameters = values.param.map((text) => parseParam(text, scenario));
	const repeated = parameters.find((p, i) => parameters.findIndex((q) => q.pointer === p.pointer) !== i);
	if (repeated) throw new UsageError(`--param ${repeated.pointer} is given twice`);
	const periods = wholeNumber('--periods', values.periods, Infinity, 2, 3650);
	const { observed: all, source } = await readObserved(values, series, periodDays);
	const observed = all.slice(0, periods);
	if (observed.length * periodDays > 3650) throw new UsageError(`the observed curve spans ${observed.length * periodDays} days; a scenario simulates at most 3650`);
	if (observed.length <= parameters.length) throw new UsageError(`${observed.length} observed periods cannot fit ${parameters.length} values: give more periods than --param values`);
	const fit = fitBySimulation(scenario, parameters, { series, periodDays, observed }, replications);
	if (values.out) {
		const fitted = fittedScenario(scenario, fit, { observed: source, series, periodDays, replications });
		writeOutput(values.out, JSON.stringify(fitted, null, 2) + '\n');
	}
	const { values: fittedValues, standardErrors, chiSquare, degreesOfFreedom, simulated, evaluations } = fit;
	process.stdout.write(JSON.stringify({ values: fittedValues, standardErrors, chiSquare, degreesOfFreedom, observed, simulated, evaluations, series, periodDays, replications }) + '\n');
}
