/**
 * `npm run sim -- optimise`: the same seed gives the same search and report
 * whatever the worker count, and a run sharded over machines (the initial
 * design split, the rest on the merging machine) merges into exactly the
 * one-machine report.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../helpers/cli';
import { discountScenario } from '../helpers/lateDiscount';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-optimise-'));
const experiment = join(dir, 'experiment.json');
const noDesign = join(dir, 'no-design.json');

/** The report without its timing, which is the one thing allowed to differ. */
const untimed = (stdout: string) => {
	const report = JSON.parse(stdout);
	delete report.meta.wallSeconds;
	return report;
};

describe('npm run sim -- optimise', () => {
	beforeAll(() => {
		// Threads even for this small work (the CLI would run it inline), so one worker and two really differ.
		process.env.LIFECYCLE_LAB_THREADS = 'always';
		const base = { schema: 'lifecycle-lab/experiment@1', name: 'late-discount', scenario: discountScenario(400) };
		writeFileSync(noDesign, JSON.stringify(base));
		writeFileSync(
			experiment,
			JSON.stringify({
				...base,
				optimise: {
					decisions: [{ parameter: '/policies/0/startDay', kind: 'integer', low: 0, high: 364 }],
					objective: { metric: 'grossProfit' },
					constraints: [{ metric: 'gmv', atMost: 1e9 }],
					replications: 2,
					batchSize: 2,
					evaluations: 6,
					initialEvaluations: 4,
					selection: { candidates: 2, maxReplications: 6 }
				}
			})
		);
	});

	afterAll(() => {
		delete process.env.LIFECYCLE_LAB_THREADS;
	});

	it('gives the same search and result on one worker and on two', async () => {
		const [one, two] = await Promise.all([sim('optimise', experiment, '--workers', '1'), sim('optimise', experiment, '--workers', '2')]);
		expect(one.code, one.stderr).toBe(0);
		expect(two.code, two.stderr).toBe(0);
		const report = untimed(one.stdout);
		expect(untimed(two.stdout)).toEqual(report);
		expect(report.meta.evaluations).toBe(6);
		expect(report.history.map((h: { batch: number }) => h.batch)).toEqual([0, 0, 0, 0, 1, 1]);
		expect(report.best.values['/policies/0/startDay']).toBeTypeOf('number');
		expect(report.bestScenario.policies[0].startDay).toBe(report.best.values['/policies/0/startDay']);
	}, 120_000);

	it('runs its initial design as shards, and merge gives the one-machine report', async () => {
		const parts = [1, 2].map((i) => join(dir, `part-${i}.json`));
		const shards = await Promise.all(parts.map((out, i) => sim('optimise', experiment, '--workers', '1', '--shard', `${i + 1}/2`, '--out', out)));
		for (const s of shards) expect(s.code, s.stderr).toBe(0);
		const [merged, one] = await Promise.all([sim('merge', ...parts, '--workers', '1'), sim('optimise', experiment, '--workers', '1')]);
		expect(merged.code, merged.stderr).toBe(0);
		expect(untimed(merged.stdout)).toEqual(untimed(one.stdout));
	}, 120_000);

	it('says so when the experiment has no optimise design', async () => {
		const run = await sim('optimise', noDesign);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('has no "optimise" section');
	});
});
