import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-cli-'));

const small = ['--days', '60', '--population', '20000'];

describe('npm run sim -- run', () => {
	it('writes the report with meta, daily bands, KPIs and cohorts', async () => {
		const out = join(dir, 'report.json');
		const result = await sim('run', 'scenarios/six-stage.json', ...small, '--replications', '3', '--seed', '5', '--out', out);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const report = JSON.parse(readFileSync(out, 'utf8'));
		expect(report.meta).toMatchObject({ scenario: 'six-stage', seed: 5, replications: 3, days: 60, population: 20000 });
		expect(report.meta.agentDays).toBeGreaterThan(3 * 60 * 20000);
		expect(report.meta.events).toBeGreaterThan(0);
		expect(report.daily.day).toHaveLength(60);
		for (const band of Object.values(report.daily.stages) as { mean: number[]; p05: number[]; p95: number[] }[]) {
			expect(band.mean).toHaveLength(60);
			band.mean.forEach((m, d) => expect(band.p05[d] <= m && m <= band.p95[d]).toBe(true));
		}
		for (const name of ['newCustomers', 'activeCustomers', 'repurchaseRate', 'gmv', 'grossProfit', 'totalCost', 'acquisitionSpend', 'roi', 'ltv', 'cac', 'ltvToCac']) {
			expect(report.kpis).toHaveProperty(name);
		}
		const { mean, ci95 } = report.kpis.gmv;
		expect(ci95[0]).toBeLessThan(mean);
		expect(ci95[1]).toBeGreaterThan(mean);
		expect(report.cohorts.retention[0][0]).toBe(1);
	});

	it('is byte-identical for the same seed, whatever --workers says (wall time aside)', async () => {
		const [a, b] = await Promise.all([
			sim('run', 'scenarios/five-stage.json', ...small, '--replications', '2', '--workers', '1'),
			sim('run', 'scenarios/five-stage.json', ...small, '--replications', '2', '--workers', '2')
		]);
		const withoutWallTime = (text: string) => text.replace(/"wallSeconds":[0-9.e+-]+/, '"wallSeconds":0');
		expect(a.code).toBe(0);
		expect(withoutWallTime(a.stdout)).toBe(withoutWallTime(b.stdout));
	});

	it('writes the daily series as CSV', async () => {
		const result = await sim('run', 'scenarios/six-stage.json', ...small, '--format', 'csv');
		const lines = result.stdout.trim().split('\n');
		expect(lines).toHaveLength(61);
		expect(lines[0].split(',').slice(0, 3)).toEqual(['day', 'stage_aware', 'stage_interested']);
		expect(lines[0]).toContain('gmv');
		expect(lines[1].split(',')).toHaveLength(lines[0].split(',').length);
	});

	const bad: [string, string[], RegExp][] = [
		['an unknown option', ['run', 'scenarios/six-stage.json', '--replicas', '3'], /--replicas/],
		['a non-numeric replication count', ['run', 'scenarios/six-stage.json', '--replications', 'ten'], /--replications must be a whole number from 1 to 10000, got "ten"/],
		['an unknown format', ['run', 'scenarios/six-stage.json', '--format', 'xml'], /--format must be json or csv, got "xml"/],
		['a missing file', ['run', 'scenarios/nope.json'], /cannot read scenario file scenarios\/nope.json: ENOENT/],
		['an unknown command', ['fly', 'scenarios/six-stage.json'], /unknown command "fly"/],
		['a horizon out of bounds', ['run', 'scenarios/six-stage.json', '--days', '99999'], /--days must be a whole number from 1 to 3650/],
		['a run that would not fit in memory', ['run', 'scenarios/six-stage.json', '--population', '100000000', '--replications', '1000'], /this run needs about [\d.]+ GB .* more than the [\d.]+ GB available/]
	];
	for (const [what, args, message] of bad) {
		it(`exits with code 2 and names ${what}`, async () => {
			const result = await sim(...args);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(message);
			expect(result.stdout).toBe('');
		});
	}

	it('exits with code 2 and lists every problem of an invalid scenario file', async () => {
		const scenario = JSON.parse(readFileSync(join(root, 'scenarios/six-stage.json'), 'utf8'));
		scenario.stages[2].transitions[0].dailyProbability = 1.4;
		scenario.economics.grossMargin = 2;
		const file = join(dir, 'bad.json');
		writeFileSync(file, JSON.stringify(scenario));
		const result = await sim('run', file);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('stages[2].transitions[0].dailyProbability: must be less than 1, got 1.4');
		expect(result.stderr).toContain('economics.grossMargin: must be at most 1, got 2');
		expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
	});

	it('exits with code 2 for a file that is not JSON', async () => {
		const file = join(dir, 'broken.json');
		writeFileSync(file, '{ "schema": ');
		const result = await sim('run', file);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/broken.json is not valid JSON/);
	});
});

describe('npm run sim -- compare, sweep, sensitivity, plan-test', () => {
	const experiment = 'tests/fixtures/small-experiment.json';

	it('compare writes variants and paired comparisons', async () => {
		const result = await sim('compare', experiment, '--replications', '4');
		expect(result.stderr).toBe('');
		const report = JSON.parse(result.stdout);
		expect(report.variants.map((v: { name: string }) => v.name)).toEqual(['control', 'win-back']);
		expect(report.variants[1].kpis.gmv.ci95).toHaveLength(2);
		expect(report.comparisons).toHaveLength(3);
		const gmv = report.comparisons.find((c: { metric: string }) => c.metric === 'gmv');
		expect(gmv).toMatchObject({ variant: 'win-back', control: 'control' });
		expect(Object.keys(gmv)).toEqual(expect.arrayContaining(['diff', 'relativeLift', 'probabilityBetter', 'excludesZero']));
		expect(report.meta.replications).toBe(4);
	});

	it('sweep writes one cell per grid point', async () => {
		const report = JSON.parse((await sim('sweep', experiment, '--replications', '2')).stdout);
		expect(report.cells.map((c: { values: Record<string, number> }) => c.values['/economics/grossMargin'])).toEqual([0.3, 0.4]);
	});

	it('sensitivity ranks parameters for the chosen metric', async () => {
		const report = JSON.parse((await sim('sensitivity', experiment, '--replications', '2', '--metric', 'grossProfit')).stdout);
		expect(report.metric).toBe('grossProfit');
		expect(report.parameters[0].parameter).toBe('/economics/grossMargin');
		expect(report.parameters[1].swing).toBe(0);
	});

	it('plan-test reports power at an arm size', async () => {
		const result = await sim('plan-test', experiment, '--metric', 'repurchase', '--days', '30', '--arm-size', '500', '--tests', '40');
		expect(result.stderr).toBe('');
		const report = JSON.parse(result.stdout);
		expect(report.meta).toMatchObject({ control: 'control', variant: 'win-back', metric: 'repurchase', days: 30, tests: 40 });
		// The simulated power is a share of 40 tests: binomially close to the normal-approximation power from the same means.
		const { power, closedFormPower } = report.power;
		expect(Math.abs(power - closedFormPower)).toBeLessThan(3 * Math.sqrt((closedFormPower * (1 - closedFormPower)) / 40) + 1 / 40);
		expect(report.power.armSize).toBe(500);
	});

	const bad: [string, string[], RegExp][] = [
		['an unknown metric', ['plan-test', experiment, '--metric', 'happiness'], /--metric must be one of conversion, repurchase, gmvPerUser, retention, got "happiness"/],
		['an option the command does not take', ['compare', experiment, '--format', 'csv'], /compare does not take --format/],
		['a missing experiment file', ['sweep', 'tests/fixtures/no-sweep.json'], /cannot read experiment file tests\/fixtures\/no-sweep.json/]
	];
	for (const [what, args, message] of bad) {
		it(`exits with code 2 and names ${what}`, async () => {
			const result = await sim(...args);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(message);
		});
	}

	it('exits with code 2 naming the variant and field of a bad patch', async () => {
		const file = join(dir, 'bad-experiment.json');
		const e = JSON.parse(readFileSync(join(root, experiment), 'utf8'));
		e.scenario = join(root, 'tests/fixtures/small-six-stage.json');
		e.variants[1].patch = { horizonDays: 0 };
		writeFileSync(file, JSON.stringify(e));
		const result = await sim('compare', file);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('horizonDays: must be at least 1, got 0 (in variants[1] "win-back")');
	});
});

describe('npm run sim -- calibrate', () => {
	it('fits the CDNOW sample and writes a calibrated scenario that validates', async () => {
		const out = join(dir, 'calibrated.json');
		const result = await sim('calibrate', 'tests/fixtures/cdnow_sample.csv', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', out);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout);
		expect(report).toMatchObject({ model: 'bgnbd', timeUnit: 'week', customers: 2357 });
		expect(report.params.r).toBeCloseTo(0.243, 3);
		expect(Object.keys(report.standardErrors)).toEqual(['r', 'alpha', 'a', 'b']);
		expect(report.spend.p).toBeCloseTo(6.25, 1);
		expect(report.holdout.weekly).toHaveLength(78);
		const scenario = JSON.parse(readFileSync(out, 'utf8'));
		expect(scenario.segments[0].purchaseRate.alphaDays).toBeCloseTo(report.params.alpha * 7, 6);
		const run = await sim('run', out, '--days', '30', '--population', '2000');
		expect(run.code).toBe(0);
	});

	const bad: [string, string[], RegExp][] = [
		['a missing --calibration-end', ['calibrate', 'tests/fixtures/cdnow_sample.csv'], /--calibration-end YYYY-MM-DD is required/],
		['a date that does not exist', ['calibrate', 'tests/fixtures/cdnow_sample.csv', '--calibration-end', '1997-02-30'], /--calibration-end: date "1997-02-30" does not exist/],
		['a missing column', ['calibrate', 'tests/fixtures/cdnow_sample.csv', '--calibration-end', '1997-09-30', '--id-column', 'client'], /no column "client" \(id\)/],
		['a bad time unit', ['calibrate', 'tests/fixtures/cdnow_sample.csv', '--calibration-end', '1997-09-30', '--time-unit', 'month'], /--time-unit must be day or week, got "month"/]
	];
	for (const [what, args, message] of bad) {
		it(`exits with code 2 and names ${what}`, async () => {
			const result = await sim(...args);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(message);
		});
	}
});

describe('sharded runs for batch engines', () => {
	const withoutWallTime = (text: string) => text.replace(/"wallSeconds":[0-9.e+-]+/, '"wallSeconds":0');

	async function sharded(args: string[], shards: number): Promise<string[]> {
		const parts = Array.from({ length: shards }, (_, i) => join(dir, `${args[0]}-part-${i + 1}.json`));
		const results = await Promise.all(parts.map((part, i) => sim(...args, '--shard', `${i + 1}/${shards}`, '--out', part)));
		for (const r of results) expect(r.stderr).toBe('');
		return parts;
	}

	it('run --shard i/n then merge gives byte for byte what one machine gives', async () => {
		const args = ['run', 'tests/fixtures/small-six-stage.json', '--replications', '3', '--population', '40000'];
		const parts = await sharded(args, 3);
		const merged = await sim('merge', ...parts);
		const single = await sim(...args);
		expect(merged.code).toBe(0);
		expect(withoutWallTime(merged.stdout)).toBe(withoutWallTime(single.stdout));
	});

	it('compare --shard i/n then merge gives byte for byte the single-machine comparison', async () => {
		const args = ['compare', 'tests/fixtures/small-experiment.json', '--replications', '3'];
		const parts = await sharded(args, 2);
		const merged = await sim('merge', parts[1], parts[0]);
		const single = await sim(...args);
		expect(withoutWallTime(merged.stdout)).toBe(withoutWallTime(single.stdout));
	});

	it('refuses to merge an incomplete or doubled set of parts', async () => {
		const parts = await sharded(['sweep', 'tests/fixtures/small-experiment.json', '--replications', '2'], 3);
		const missing = await sim('merge', parts[0], parts[2]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toMatch(/shard 2\/3 missing/);
		const doubled = await sim('merge', parts[0], parts[0], parts[1]);
		expect(doubled.stderr).toMatch(/are both shard 1\/3/);
		const bad = await sim('run', 'tests/fixtures/small-six-stage.json', '--shard', '4/3');
		expect(bad.stderr).toMatch(/--shard must be i\/n with 1 ≤ i ≤ n, got "4\/3"/);
	});
});

