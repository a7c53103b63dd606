/**
 * How the command line starts and talks: usage for --help on every command,
 * small runs on the calling thread giving what threads give, and progress on
 * stderr only when stderr is a terminal.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lifecycle-startup-'));
const withoutWallTime = (text: string) => text.replace(/"wallSeconds":[0-9.e+-]+/, '"wallSeconds":0');

describe('the command line starts', () => {
	it('prints usage for --help on every command, never a stack trace', async () => {
		const commands = ['run', 'compare', 'sweep', 'sensitivity', 'optimise', 'plan-test', 'calibrate', 'fit-simulation', 'merge'];
		const results = await Promise.all(commands.map((command) => sim(command, '--help')));
		for (const result of results) {
			expect(result.code).toBe(0);
			expect(result.stdout).toMatch(/^usage: npm run sim -- <command>/);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		}
	});

	it('prints the benchmark usage for bench --help, and exit code 2 with usage for a bad option', async () => {
		const bench = (...args: string[]) =>
			exec(process.execPath, ['src/cli/launch.mjs', 'bench', ...args], { cwd: root }).then(
				({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
				(e: { code: number; stdout: string; stderr: string }) => e
			);
		const [help, bad] = await Promise.all([bench('--help'), bench('--sped')]);
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/^usage: npm run bench/);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/--sped/);
		expect(bad.stderr).not.toMatch(/\n\s+at /);
	});

	it('gives a small run on the calling thread the same bytes as on worker threads', async () => {
		const args = ['run', 'scenarios/industry-average.json', '--population', '300', '--days', '90', '--replications', '3', '--seed', '11'];
		const inline = await sim(...args);
		const { stdout: threads } = await exec(process.execPath, ['src/cli/launch.mjs', 'main', ...args, '--workers', '2'], {
			cwd: root,
			maxBuffer: 64 << 20,
			env: { ...process.env, LIFECYCLE_LAB_THREADS: 'always' }
		});
		expect(inline.code).toBe(0);
		expect(JSON.parse(inline.stdout).meta.events).toBeGreaterThan(0);
		expect(withoutWallTime(inline.stdout)).toBe(withoutWallTime(threads));
	});
});

describe('progress on stderr', () => {
	// Enough work for several of the pool's 100 ms slices; the first line, which normally waits a second, is asked for at once.
	const long = ['run', 'scenarios/six-stage.json', '--population', '300000', '--days', '365', '--workers', '1'];

	it('is shown on a terminal (a pseudo-terminal from script(1)) and cleared at the end', async () => {
		const out = join(dir, 'tty.json');
		const command = [process.execPath, 'src/cli/launch.mjs', 'main', ...long, '--out', out].join(' ');
		const { stdout: terminal } = await exec('script', ['-qec', command, '/dev/null'], {
			cwd: root,
			maxBuffer: 16 << 20,
			env: { ...process.env, LIFECYCLE_LAB_PROGRESS_AFTER_MS: '0' }
		});
		expect(terminal).toMatch(/\r0\/\d+ runs · \d+% · (\d+ s left|estimating)/);
		expect(terminal).toMatch(/\r\x1b\[K/);
		expect(JSON.parse(readFileSync(out, 'utf8')).meta.population).toBe(300000);
	});

	it('stays silent when stderr is not a terminal', async () => {
		const result = await exec(process.execPath, ['src/cli/launch.mjs', 'main', ...long, '--out', join(dir, 'pipe.json')], {
			cwd: root,
			env: { ...process.env, LIFECYCLE_LAB_PROGRESS_AFTER_MS: '0' }
		}).then(({ stderr }) => ({ code: 0, stderr }));
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
	});
});
