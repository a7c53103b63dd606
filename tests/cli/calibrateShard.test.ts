/**
 * calibrate --shard: the optimiser's starts (four for BG/NBD, two for
 * Gamma-Gamma) are the work of a calibration and independent of each other,
 * so shards run slices of them and merge finishes the fit from their optima:
 * byte for byte what one machine prints and writes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../helpers/cli';

const CALIBRATE = ['calibrate', 'tests/fixtures/cdnow_sample.csv', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'];


describe('npm run sim -- calibrate --shard', () => {
	const dir = mkdtempSync(join(tmpdir(), 'lifecycle-calibrate-shards-'));
	const part = (i: number) => join(dir, `part-${i}.json`);
	beforeAll(async () => {
		// Three shards for six starts, run side by side as a batch engine would.
		const runs = await Promise.all([1, 2, 3].map((i) => sim(...CALIBRATE, '--shard', `${i}/3`, '--out', part(i))));
		for (const run of runs) expect(run.code, run.stderr).toBe(0);
	}, 60_000);

	it('merges into exactly the report and the calibrated scenario one machine gives', async () => {
		const one = await sim(...CALIBRATE, '--out', join(dir, 'one-scenario.json'));
		const merged = await sim('merge', part(3), part(1), part(2), '--out', join(dir, 'merged-scenario.json'));
		expect(merged.code, merged.stderr).toBe(0);
		expect(merged.stdout).toBe(one.stdout);
		expect(readFileSync(join(dir, 'merged-scenario.json'), 'utf8')).toBe(readFileSync(join(dir, 'one-scenario.json'), 'utf8'));
		// And the merged fit is the published one, not merely a consistent one.
		expect(JSON.parse(merged.stdout).params.r).toBeCloseTo(0.243, 3);
	});

	it('each shard holds only its slice of the starts', () => {
		const fits = [1, 2, 3].map((i) => Object.keys(JSON.parse(JSON.parse(readFileSync(part(i), 'utf8')).fits)));
		expect(fits).toEqual([
			['0', '3'],
			['1', '4'],
			['2', '5']
		]);
	});

	it('refuses a merge with a shard missing, naming it', async () => {
		const merged = await sim('merge', part(1), part(3));
		expect(merged.code).toBe(2);
		expect(merged.stderr).toMatch(/shard 2\/3 missing/);
	});

	it('refuses a damaged part, naming the file', async () => {
		const damaged = join(dir, 'damaged.json');
		const value = JSON.parse(readFileSync(part(2), 'utf8'));
		writeFileSync(damaged, JSON.stringify({ ...value, fits: value.fits.slice(0, 40) }));
		const merged = await sim('merge', part(1), damaged, part(3));
		expect(merged.code).toBe(2);
		// The part's digest no longer matches: caught before its fits are read.
		expect(merged.stderr).toContain(`${damaged} is damaged or was edited: its content does not match its digest`);
	});

	it('writes per-customer scores where merge is told, the same bytes as one machine; a shard refuses --scores', async () => {
		const refused = await sim(...CALIBRATE, '--shard', '1/3', '--scores', join(dir, 'shard-scores.csv'), '--out', join(dir, 'unused.json'));
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/--shard does not take --scores: give --scores .* to merge/);
		const [one, merged] = await Promise.all([
			sim(...CALIBRATE, '--scores', join(dir, 'one-scores.csv'), '--horizon', '39'),
			sim('merge', part(1), part(2), part(3), '--scores', join(dir, 'merged-scores.csv'), '--horizon', '39')
		]);
		expect(merged.code, merged.stderr).toBe(0);
		expect(merged.stdout).toBe(one.stdout);
		expect(readFileSync(join(dir, 'merged-scores.csv'), 'utf8')).toBe(readFileSync(join(dir, 'one-scores.csv'), 'utf8'));
	});
});
