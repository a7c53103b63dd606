/**
 * `merge` trusts nothing in its parts (issue 17, item 3): every file a shard
 * read is checked by digest, each part's own content by its digest, and the
 * command a part records may never choose where merge writes. Parts that
 * differ only in --workers merge, since workers never change results.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-merge-'));
const experiment = join(dir, 'experiment.json');
const scenario = join(dir, 'small-six-stage.json');
const args = ['compare', experiment, '--replications', '2'];
const part = (name: string) => join(dir, `${name}.json`);
const withoutWallTime = (text: string) => text.replace(/"wallSeconds":[0-9.e+-]+/g, '"wallSeconds":0');

/** Rewrites a part's body and gives it a fresh digest, as someone who knows the format could. */
function forge(path: string, edit: (value: Record<string, unknown>) => void): void {
	const value = JSON.parse(readFileSync(path, 'utf8'));
	delete value.digest;
	edit(value);
	const body = JSON.stringify(value);
	writeFileSync(path, `${body.slice(0, -1)},"digest":"${createHash('sha256').update(body).digest('hex')}"}\n`);
}

describe('merge checks what its parts claim', () => {
	beforeAll(async () => {
		copyFileSync('tests/fixtures/small-experiment.json', experiment);
		copyFileSync('tests/fixtures/small-six-stage.json', scenario);
		const runs = await Promise.all([
			sim(...args, '--shard', '1/2', '--workers', '1', '--out', part('one')),
			sim(...args, '--shard', '2/2', '--workers', '2', '--out', part('two'))
		]);
		for (const run of runs) expect(run.code, run.stderr).toBe(0);
	}, 60_000);

	it('merges parts that ran with different --workers into the one-machine result', async () => {
		const merged = await sim('merge', part('one'), part('two'));
		expect(merged.code, merged.stderr).toBe(0);
		const single = await sim(...args);
		expect(withoutWallTime(merged.stdout)).toBe(withoutWallTime(single.stdout));
	});

	it('refuses a part whose payload changed by one character', async () => {
		const text = readFileSync(part('two'), 'utf8');
		// One character inside a base64 array of the outputs: still valid JSON, different numbers.
		const at = text.indexOf('"outputs":{') + /"[A-Za-z0-9+/]{100}/.exec(text.slice(text.indexOf('"outputs":{')))!.index + 50;
		const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
		writeFileSync(part('flipped'), flipped);
		const merged = await sim('merge', part('one'), part('flipped'));
		expect(merged.code).toBe(2);
		expect(merged.stderr).toContain(`${part('flipped')} is damaged or was edited: its content does not match its digest`);
	});

	it('never writes where a part says, even with a forged digest', async () => {
		const target = join(dir, 'written-by-a-part.txt');
		copyFileSync(part('two'), part('forged'));
		forge(part('forged'), (v) => (v.argv = [...(v.argv as string[]), '--out', target]));
		copyFileSync(part('one'), part('forged-one'));
		forge(part('forged-one'), (v) => (v.argv = [...(v.argv as string[]), '--out', target]));
		const merged = await sim('merge', part('forged-one'), part('forged'));
		expect(merged.code).toBe(2);
		expect(merged.stderr).toMatch(/records a command no shard runs \(it has --out\)/);
		expect(existsSync(target)).toBe(false);
	});

	it('refuses when the base scenario the experiment names changed after the shards ran', async () => {
		const original = readFileSync(scenario, 'utf8');
		try {
			const edited = JSON.parse(original);
			edited.population.initial += 1;
			writeFileSync(scenario, JSON.stringify(edited));
			const merged = await sim('merge', part('one'), part('two'));
			expect(merged.code).toBe(2);
			expect(merged.stderr).toContain(`${scenario} has changed since the shards ran`);
		} finally {
			writeFileSync(scenario, original);
		}
	});

	it('refuses parts made from different base scenarios, even when the experiment file is the same', async () => {
		const original = readFileSync(scenario, 'utf8');
		try {
			const edited = JSON.parse(original);
			edited.population.initial += 1;
			writeFileSync(scenario, JSON.stringify(edited));
			expect((await sim(...args, '--shard', '2/2', '--out', part('two-edited'))).code).toBe(0);
		} finally {
			writeFileSync(scenario, original);
		}
		const merged = await sim('merge', part('one'), part('two-edited'));
		expect(merged.code).toBe(2);
		expect(merged.stderr).toMatch(/comes from a different run than .* \(inputs differs\)/);
	});
});
