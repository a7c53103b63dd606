/** Reading a scenario file from disk, with command-line overrides applied before validation. */
import type { Scenario } from '../lib/engine/scenario/schema';
import { formatProblem, validateScenario } from '../lib/engine/scenario/validate';
import { readInput } from './inputFiles';
import { UsageError } from './usageError';

export { UsageError } from './usageError';

export interface ScenarioOverrides {
	seed?: number;
	days?: number;
	population?: number;
}

/** Loads, overrides and validates a scenario; every problem becomes one UsageError message. */
export function loadScenario(path: string, overrides: ScenarioOverrides = {}): Scenario {
	const text = readInput(path, 'scenario file');
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
	}
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		const scenario = raw as Record<string, unknown>;
		if (overrides.seed !== undefined) scenario.seed = overrides.seed;
		if (overrides.days !== undefined) scenario.horizonDays = overrides.days;
		if (overrides.population !== undefined && scenario.population && typeof scenario.population === 'object') {
			(scenario.population as Record<string, unknown>).initial = overrides.population;
		}
	}
	const result = validateScenario(raw);
	if (!result.ok) {
		throw new UsageError(`${path}: invalid scenario\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
	}
	return result.scenario;
}
