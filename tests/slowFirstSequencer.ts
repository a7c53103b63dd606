/**
 * Starts the slowest test files first, so that on two cores the suite does
 * not end with one long file running alone. Without a cache of earlier
 * durations (a fresh clone in CI) vitest runs larger files first, and a
 * short file with a long simulation in it (one calibration test takes a
 * minute) would start last. The list is measured (`npx vitest run
 * --reporter=json`), slowest first but for the file that builds the app; files not in it follow in vitest's order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
	// First, so that its beforeAll builds the app while the other worker runs tests: a browser file started later
	// waits for that build, and its worker would idle meanwhile.
	'tests/browser/notebook.test.ts',
	'tests/scenarios/reportedFigures.test.ts',
	'tests/browser/teaching.test.ts',
	'tests/browser/examples.test.ts',
	'tests/browser/faults.test.ts',
	'tests/cli/cli.test.ts',
	'tests/browser/ux.test.ts',
	'tests/engine/policies.test.ts',
	'tests/experiment/compare.test.ts',
	'tests/browser/csp.test.ts',
	'tests/browser/workbench.test.ts',
	'tests/browser/simulationFit.test.ts',
	'tests/browser/calibrationBgbb.test.ts',
	'tests/workers/nodePool.test.ts',
	'tests/calibration/fit.test.ts',
	'tests/browser/calibration.test.ts',
	'tests/engine/dropoutModels.test.ts'
];

function rank(spec: TestSpecification): number {
	const i = SLOWEST_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
	return i < 0 ? SLOWEST_FIRST.length : i;
}

export default class SlowFirstSequencer extends BaseSequencer {
	async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		// Array.prototype.sort is stable: unlisted files keep vitest's order.
		return sorted.sort((a, b) => rank(a) - rank(b));
	}
}
