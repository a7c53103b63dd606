/**
 * Output through a real pipe whose reader is slow to start: the command must
 * not exit before standard output has drained (a pipe holds 64 KiB; the rest
 * used to be lost with exit code 0).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lifecycle-pipe-'));
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI into `sh` pipe whose reader sleeps before reading; returns the bytes read and the CLI's exit code. */
async function throughPipe(args: string[]): Promise<{ text: string; code: number }> {
	const out = join(dir, `piped-${args[0]}-${Math.random().toString(36).slice(2)}.txt`);
	const cli = [process.execPath, 'src/cli/launch.mjs', 'main', ...args].map(quote).join(' ');
	// The reader starts late, so the pipe is full when the command finishes its work.
	const script = `${cli} 2>/dev/null | (sleep 1; cat > ${quote(out)}); echo "\${PIPESTATUS[0]}"`;
	const { stdout } = await exec('bash', ['-c', script], { cwd: root });
	return { text: readFileSync(out, 'utf8'), code: Number(stdout.trim()) };
}

const withoutWallTime = (text: string) => text.replace(/"wallSeconds":[0-9.e+-]+/g, '"wallSeconds":0');

describe('output through a pipe', () => {
	it('run writes all of a multi-megabyte report into a slow pipe', async () => {
		const args = ['run', 'tests/fixtures/small-six-stage.json', '--days', '3650', '--population', '300', '--replications', '2'];
		const piped = await throughPipe(args);
		expect(piped.code).toBe(0);
		expect(piped.text.length).toBeGreaterThan(1 << 20);
		const file = join(dir, 'run.json');
		expect((await sim(...args, '--out', file)).code).toBe(0);
		expect(withoutWallTime(piped.text)).toBe(withoutWallTime(readFileSync(file, 'utf8')));
	});

	it('compare and merge write all of their output into a slow pipe', async () => {
		const args = ['compare', 'tests/fixtures/small-experiment.json', '--replications', '2'];
		const piped = await throughPipe(args);
		expect(piped.code).toBe(0);
		expect(piped.text.length).toBeGreaterThan(1 << 16);
		expect(() => JSON.parse(piped.text)).not.toThrow();
		const parts = [1, 2].map((i) => join(dir, `compare-part-${i}.json`));
		for (const [i, part] of parts.entries()) expect((await sim(...args, '--shard', `${i + 1}/2`, '--out', part)).code).toBe(0);
		const merged = await throughPipe(['merge', ...parts]);
		expect(merged.code).toBe(0);
		expect(withoutWallTime(merged.text)).toBe(withoutWallTime(piped.text));
	});
});
