/** `calibrate --model all`, `--use`, `--scores` and the refusals, run as a user runs them. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'calibrate-models-'));
const CDNOW = 'tests/fixtures/cdnow_sample.csv';
const dates = ['--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'];

describe('npm run sim -- calibrate with several models and scores', () => {
	it('--model all compares the three models, uses the one named, and writes a score per customer', async () => {
		const scores = join(dir, 'scores.csv');
		const result = await sim('calibrate', CDNOW, ...dates, '--model', 'all', '--use', 'paretonbd', '--scores', scores, '--horizon', '39', '--discount-rate', '0.002');
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout);
		expect(report.models.map((m: { label: string }) => m.label)).toEqual(['BG/NBD', 'MBG/NBD', 'Pareto/NBD']);
		for (const m of report.models) expect(Object.keys(m)).toEqual(expect.arrayContaining(['params', 'standardErrors', 'logLikelihood', 'aic', 'bic', 'holdout']));
		expect(report.model).toBe('paretoNbd');
		expect(report.params.s).toBeCloseTo(0.606, 2);
		expect(result.stderr).toContain('21 rows repeat another row exactly');
		const table = Papa.parse<Record<string, string>>(readFileSync(scores, 'utf8'), { header: true, skipEmptyLines: true });
		expect(table.meta.fields).toEqual(['customer_id', 'x', 't_x', 'T', 'p_alive', 'expected_purchases', 'expected_spend', 'clv']);
		expect(table.data).toHaveLength(2357);
		const predicted = table.data.reduce((sum, row) => sum + Number(row.expected_purchases), 0);
		expect(predicted).toBeCloseTo(report.holdout.predictedRepeatPurchases, 4);
		for (const row of table.data) expect(Number(row.p_alive)).toBeGreaterThan(0);
	});

	it('--use paretonbd --out writes a scenario whose customers are Pareto/NBD, with the fitted s and β in days', async () => {
		const out = join(dir, 'pareto.json');
		const result = await sim('calibrate', CDNOW, ...dates, '--model', 'all', '--use', 'paretonbd', '--out', out);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout);
		const scenario = JSON.parse(readFileSync(out, 'utf8'));
		expect(scenario.segments[0].dropout).toEqual({ model: 'paretoNbd', s: report.params.s, betaDays: report.params.beta * 7 });
		expect(scenario.segments[0].purchaseRate.alphaDays).toBeCloseTo(report.params.alpha * 7, 10);
		expect(scenario.description.en).toContain('Pareto/NBD');
		const run = await sim('run', out, '--replications', '1', '--days', '30', '--population', '2000', '--workers', '1');
		expect(run.code, run.stderr).toBe(0);
	});

	it('--model bgbb fits the published donations table and scores each history', async () => {
		const scores = join(dir, 'bgbb.csv');
		const result = await sim('calibrate', 'tests/fixtures/donations-rf.csv', '--model', 'bgbb', '--scores', scores, '--horizon', '5');
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout);
		expect(report).toMatchObject({ model: 'bgbb', customers: 11104 });
		expect(report.params.alpha).toBeCloseTo(1.204, 3);
		expect(report.params.delta).toBeCloseTo(2.783, 2);
		const table = Papa.parse<Record<string, string>>(readFileSync(scores, 'utf8'), { header: true, skipEmptyLines: true });
		expect(table.meta.fields).toEqual(['x', 't_x', 'n', 'customers', 'p_alive', 'expected_purchases']);
		expect(table.data).toHaveLength(22);
		const bad = await sim('calibrate', CDNOW, '--model', 'bgbb');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/a recency\/frequency table needs columns frequency, recency and n/);
	});

	const zero = join(dir, 'zero.csv');
	const lines = readFileSync(CDNOW, 'utf8').trimEnd().split('\n');
	writeFileSync(zero, [lines[0], ...lines.slice(1).map((l) => l.replace(/[^,]*$/, '0'))].join('\n'));
	const bad: [string, string[], RegExp][] = [
		['an unknown model', ['calibrate', CDNOW, ...dates, '--model', 'bgbbx'], /--model must be one of bgnbd, mbgnbd, paretonbd, all, or bgbb \(discrete occasions\), got "bgbbx"/],
		['--use of a model not fitted', ['calibrate', CDNOW, ...dates, '--use', 'mbgnbd'], /--use mbgnbd is not among the models fitted/],
		['a log whose amounts are all 0', ['calibrate', zero, ...dates], /zero.csv: only 0 of 946 repeat customers spent a positive amount/],
		['--horizon without --scores', ['calibrate', CDNOW, ...dates, '--horizon', '10'], /--horizon and --discount-rate go with --scores/],
		['an unwritable --scores', ['calibrate', CDNOW, ...dates, '--scores', join(dir, 'no/such/dir/s.csv')], /cannot write --scores .*ENOENT/]
	];
	for (const [what, args, message] of bad) {
		it(`exits with code 2 and names ${what}`, async () => {
			const result = await sim(...args);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(message);
		});
	}
});
