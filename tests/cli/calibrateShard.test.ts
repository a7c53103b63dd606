/**
 * calibrate and --shard: the calibration is maximum likelihood on the log
 * (BG/NBD and Gamma-Gamma), with no simulation to split into shards, so a
 * shard run is refused with the reason rather than faked.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

describe('npm run sim -- calibrate --shard', () => {
	it('is refused with exit code 2 and the reason: there is no simulation to shard', async () => {
		const result = await promisify(execFile)(process.execPath, ['src/cli/launch.mjs', 'main', 'calibrate', 'tests/fixtures/cdnow_sample.csv', '--calibration-end', '1997-09-30', '--shard', '1/2'], { cwd: root }).catch((e) => e);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^error: calibrate does not take --shard: it fits by maximum likelihood and runs no simulation, so there is nothing to split/);
	});
});
