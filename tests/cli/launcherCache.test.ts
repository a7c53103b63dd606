/**
 * The command line runs a bundle kept between starts. A start must run the
 * sources as they are: an edited source gives a new bundle, a source touched
 * without a change keeps the one there is. Checked on a copy of the project,
 * so the real project's bundle cache is left alone.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/cli';

const exec = promisify(execFile);
const copy = mkdtempSync(join(tmpdir(), 'lifecycle-launcher-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** The sources and lockfile copied; each package linked, so the copy's own node_modules/.cache starts empty. */
function copyProject() {
	cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true });
	cpSync(join(root, 'package-lock.json'), join(copy, 'package-lock.json'));
	cpSync(join(root, 'package.json'), join(copy, 'package.json'));
	mkdirSync(join(copy, 'node_modules'));
	for (const name of readdirSync(join(root, 'node_modules'))) {
		if (name !== '.cache') symlinkSync(join(root, 'node_modules', name), join(copy, 'node_modules', name));
	}
}

const bundles = () => readdirSync(join(copy, 'node_modules/.cache/lifecycle-lab-cli')).filter((name) => name.startsWith('bundle-')).sort();
const help = () => exec(process.execPath, ['src/cli/launch.mjs', 'main', '--help'], { cwd: copy }).then(({ stdout }) => stdout);

describe('the command-line bundle', () => {
	it('is rebuilt when a source changes and kept when a source is only touched', { timeout: 120_000 }, async () => {
		copyProject();
		expect(await help()).toMatch(/^usage: npm run sim/);
		const first = bundles();
		expect(first).toHaveLength(1);

		const usage = join(copy, 'src/cli/usageError.ts');
		const later = new Date(Date.now() + 60_000);
		utimesSync(usage, later, later);
		await help();
		expect(bundles()).toEqual(first);

		appendFileSync(usage, '\n// an edit\n');
		await help();
		const after = bundles();
		expect(after).toHaveLength(2);
		expect(after).toEqual(expect.arrayContaining(first));
	});
});
