/**
 * Sharded runs under a real batch scheduler: a one-node Slurm cluster
 * (tests/helpers/slurmCluster.ts) runs scripts/slurm/'s job arrays and merge
 * jobs as a user submits them, and the merged reports must be byte for byte
 * what one machine gives. Where the cluster cannot start (not root, Slurm not
 * installed) the test is skipped with the reason in its name, except in CI or
 * with LIFECYCLE_LAB_REQUIRE_SLURM set, where that is a failure: it never
 * passes without having run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';
import { slurmRequired, startSlurmCluster, whySlurmCannotStart, type SlurmCluster } from '../helpers/slurmCluster';

const COMPARE = ['compare', 'tests/fixtures/small-experiment.json', '--replications', '4'];
const SWEEP = ['sweep', 'tests/fixtures/small-experiment.json', '--replications', '2'];
const withoutWallTime = (text: string) => text.replace(/"wallSeconds":[0-9.e+-]+/, '"wallSeconds":0');
const reason = whySlurmCannotStart();

/** Submits a sharded command with scripts/slurm/submit; returns the array's and the merge's job ids. */
async function submit(cluster: SlurmCluster, shards: number, parts: string, out: string, args: string[]) {
	const printed = await promisify(execFile)('scripts/slurm/submit', [String(shards), parts, out, ...args], { cwd: root, env: cluster.env });
	const m = /shards: job (\d+) .*merge: job (\d+)/.exec(printed.stdout);
	if (!m) throw new Error(`submit printed no job ids: ${printed.stdout}${printed.stderr}`);
	return { array: m[1], merge: m[2] };
}

describe.runIf(!reason || slurmRequired)('sharded runs on a one-node Slurm cluster', () => {
	let cluster: SlurmCluster;
	let dir: string;
	let compare: { array: string; merge: string };
	let sweep: { array: string; merge: string };
	let failing: { array: string; merge: string };
	let single: { compare: string; sweep: string };

	beforeAll(async () => {
		if (reason) throw new Error(`Slurm is required here (CI or LIFECYCLE_LAB_REQUIRE_SLURM is set) but cannot start: ${reason}`);
		cluster = await startSlurmCluster();
		dir = cluster.dir;
		// Everything goes in at once, as a user would queue it; one machine's results meanwhile, for the comparison.
		const singles = Promise.all([sim(...COMPARE), sim(...SWEEP)]);
		compare = await submit(cluster, 2, join(dir, 'compare-parts'), join(dir, 'compare.json'), COMPARE);
		sweep = await submit(cluster, 2, join(dir, 'sweep-parts'), join(dir, 'sweep.json'), SWEEP);
		// A shard that fails: task 2 finds a folder where its part goes, so it exits non-zero
		// before writing; the array and merge are submitted with the scripts directly, as their headers show.
		const parts = join(dir, 'failing-parts');
		mkdirSync(join(parts, '2.json.tmp'), { recursive: true });
		const sbatch = (args: string[]) => cluster.client('sbatch', ['--parsable', ...args], root).then((id) => id.trim().split(';')[0]);
		const array = await sbatch(['--array=1-2', `--output=${parts}/shard-%a.out`, 'scripts/slurm/shard.sbatch', parts, '2', ...COMPARE]);
		const merge = await sbatch([`--dependency=afterany:${array}`, `--output=${parts}/merge.out`, 'scripts/slurm/merge.sbatch', parts, join(dir, 'failing.json')]);
		failing = { array, merge };
		const [c, s] = await singles;
		expect(c.code, c.stderr).toBe(0);
		expect(s.code, s.stderr).toBe(0);
		single = { compare: c.stdout, sweep: s.stdout };
		await cluster.waitFor([compare.array, compare.merge, sweep.array, sweep.merge, failing.array, failing.merge]);
	}, 90_000);

	afterAll(async () => cluster?.stop(), 30_000);

	const log = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '(no log)');

	it('a job array of compare shards and its merge job give byte for byte the single-machine comparison', async () => {
		const state = await cluster.job(compare.merge);
		expect(state.JobState, log(join(dir, 'compare-parts/logs/merge.out'))).toBe('COMPLETED');
		expect(withoutWallTime(readFileSync(join(dir, 'compare.json'), 'utf8'))).toBe(withoutWallTime(single.compare));
	});

	it('a job array of sweep shards and its merge job give byte for byte the single-machine sweep', async () => {
		const state = await cluster.job(sweep.merge);
		expect(state.JobState, log(join(dir, 'sweep-parts/logs/merge.out'))).toBe('COMPLETED');
		expect(withoutWallTime(readFileSync(join(dir, 'sweep.json'), 'utf8'))).toBe(withoutWallTime(single.sweep));
	});

	it('when one shard fails, the merge job refuses and names the missing part', async () => {
		const task = await cluster.job(`${failing.array}_2`);
		expect(task.JobState).toBe('FAILED');
		expect((await cluster.job(`${failing.array}_1`)).JobState).toBe('COMPLETED');
		const merge = await cluster.job(failing.merge);
		const out = log(join(dir, 'failing-parts/merge.out'));
		expect(merge.JobState, out).toBe('FAILED');
		expect(merge.ExitCode).toBe('2:0');
		expect(out).toMatch(/shard 2\/2 missing/);
		expect(existsSync(join(dir, 'failing.json'))).toBe(false);
	});

	it('a requeued shard writes the same part, byte for byte', async () => {
		const part = join(dir, 'compare-parts/2.json');
		const first = join(dir, 'first-2.json');
		// Moved aside, so the part found afterwards can only be the requeued task's.
		renameSync(part, first);
		await cluster.client('scontrol', ['requeue', `${compare.array}_2`]);
		// Slurm holds a requeued job back for two minutes (its BeginTime); a user waits, the test moves it to now.
		await cluster.client('scontrol', ['update', `JobId=${compare.array}_2`, 'StartTime=now']);
		const deadline = Date.now() + 60_000;
		let task = await cluster.job(`${compare.array}_2`);
		while (!(Number(task.Restarts) >= 1 && ['COMPLETED', 'FAILED'].includes(task.JobState)) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 300));
			task = await cluster.job(`${compare.array}_2`);
		}
		expect(task.Restarts).toBe('1');
		expect(task.JobState, log(join(dir, 'compare-parts/logs/shard-2.out'))).toBe('COMPLETED');
		expect(readFileSync(part).equals(readFileSync(first)), 'the requeued part differs from the first').toBe(true);
	});
});

// Says why where the cluster cannot start and nothing requires it; a skip, never a pass.
if (reason && !slurmRequired) {
	describe('sharded runs on a one-node Slurm cluster', () => {
		it.skip(`not run here: ${reason} (set LIFECYCLE_LAB_REQUIRE_SLURM to make this a failure)`, () => {});
	});
}
