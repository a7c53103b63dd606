/** Reading an experiment file and the base scenario it names (a path relative to the experiment file, or inline). */
import { dirname, resolve } from 'node:path';
import { formatProblem } from '../lib/engine/scenario/validate';
import { ExperimentError, validateExperiment } from '../lib/experiment/experiment';
import type { Experiment } from '../lib/experiment/schema';
import { readInput } from './inputFiles';
import { UsageError } from './usageError';

function readJson(path: string, what: string): unknown {
	const text = readInput(path, what);
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
	}
}

/** The validated experiment and its base scenario as raw JSON (variants are validated when resolved). */
export function loadExperiment(path: string): { experiment: Experiment; baseRaw: unknown } {
	const result = validateExperiment(readJson(path, 'experiment file'));
	if (!result.ok) throw new UsageError(`${path}: invalid experiment\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
	const experiment = result.experiment;
	const baseRaw = typeof experiment.scenario === 'string' ? readJson(resolve(dirname(path), experiment.scenario), 'scenario file') : experiment.scenario;
	return { experiment, baseRaw };
}

/** Runs `resolve`, turning an ExperimentError into a UsageError that names the file. */
export function resolving<T>(path: string, resolveVariants: () => T): T {
	try {
		return resolveVariants();
	} catch (error) {
		if (error instanceof ExperimentError) throw new UsageError(`${path}: invalid experiment\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
		throw error;
	}
}
