/**
 * Work is checked before it is planned (issue 17, item 6): sizes and memory
 * before any task list is built, and an unknown --metric or an unwritable
 * --out before the run, so a mistake costs nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-guards-'));

/** Runs the CLI with a small heap: work planned before the memory check would exhaust it and crash. */
function simInSmallHeap(...args: string[]): Promise<{ code: number; stderr: string }> {
	return new Promise((resolve) => {
		const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=256' };
		execFile(process.execPath, ['src/cli/launch.mjs', 'main', ...args], { cwd: root, env, maxBuffer: 64 << 20 }, (error, _stdout, stderr) =>
			resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr })
		);
	});
}

const small = JSON.parse(readFileSync(join(root, 'tests/fixtures/small-six-stage.json'), 'utf8'));

/** An experiment far too big for this machine: the memory check refuses it, so a problem reported first was checked first. */
function hugeExperiment(): string {
	const path = join(dir, 'huge-experiment.json');
	writeFileSync(
		path,
		JSON.stringify({
			schema: 'lifecycle-lab/experiment@1',
			name: 'huge',
			scenario: { ...small, horizonDays: 3650, population: { ...small.population, initial: 100000000 } },
			replications: 10000,
			metrics: ['gmv'],
			sensitivity: [{ parameter: '/economics/grossMargin', low: 0.3, high: 0.4 }]
		})
	);
	return path;
}

describe('checked before the work is planned', () => {
	it('refuses 100 million people for 3,650 days and 10,000 replications with the figure, in a 256 MB heap', async () => {
		const result = await simInSmallHeap('run', 'tests/fixtures/small-six-stage.json', '--population', '100000000', '--days', '3650', '--replications', '10000');
		expect(result.stderr).toMatch(/^error: this run needs about [\d.]+ GB .* more than the [\d.]+ GB available/);
		expect(result.code).toBe(2);
	});

	it('an unknown --metric is the first thing said, before a run too big to fit is even planned', async () => {
		const result = await sim('sensitivity', hugeExperiment(), '--metric', 'profit');
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^error: --metric must be one of .*, got "profit"/);
	});

	it('an --out in a folder that does not exist is refused before anything else', async () => {
		const out = join(dir, 'no-such-folder', 'report.json');
		const result = await sim('sensitivity', hugeExperiment(), '--out', out);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(new RegExp(`^error: cannot write --out ${out}: ENOENT`));
		const folder = await sim('run', 'tests/fixtures/small-six-stage.json', '--population', '100000000', '--out', dir);
		expect(folder.stderr).toMatch(/^error: cannot write --out .*: it is a folder/);
	});
});
