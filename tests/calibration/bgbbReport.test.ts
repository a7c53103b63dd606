/**
 * The BG/BB report the calibration cell and `calibrate --model bgbb` show:
 * the count distribution against its own closed-form mean, the frequency
 * check on the published donations table, and on a log drawn from known
 * parameters, the tracking curve and the holdout check against what happened.
 */
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BGBB, bgbbExpected } from '../../src/lib/calibration/bgbb';
import { bgbbCountProbabilities, bgbbReport, bgbbScoresCsv, readBgbbData } from '../../src/lib/calibration/bgbbReport';
import { parseRecencyFrequencyTable } from '../../src/lib/calibration/occasions';
import { fitModel } from '../../src/lib/calibration/purchaseModel';
import { seededSampler } from '../helpers/sampling';

const donations = readFileSync(new URL('../fixtures/donations-rf.csv', import.meta.url), 'utf8');
const table = bgbbReport(readBgbbData(donations, { kind: 'table' }));

describe('BG/BB report on the donations table', () => {
	it('P(X(n) = x) sums to 1 and its mean is E[X(n)] of equation 7', () => {
		for (const n of [1, 2, 6, 11, 30]) {
			const p = bgbbCountProbabilities(table.fit.params, n);
			expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
			expect(p.reduce((sum, q, x) => sum + x * q, 0)).toBeCloseTo(bgbbExpected(table.fit.params, n), 10);
		}
	});

	it('gives the published fit with AIC and BIC, and customers by repeat donations against the model', () => {
		expect(table.fit.params.alpha).toBeCloseTo(1.204, 3);
		expect(table.fit.logLikelihood).toBeCloseTo(-33225.6, 1);
		expect(table.fit.aic).toBeCloseTo(8 + 2 * 33225.6, 0);
		expect(table.fit.bic).toBeCloseTo(4 * Math.log(11104) + 2 * 33225.6, 0);
		// The table's own counts: 3,464 donors never gave again, 1,203 gave in all six years.
		expect(table.frequency.map((g) => g.actual)).toEqual([3464, 1091 + 277 + 129 + 78 + 119 + 129, 613 + 255 + 155 + 173 + 234, 322 + 181 + 225 + 357, 240 + 284 + 512, 335 + 728, 1203]);
		expect(table.frequency.reduce((s, g) => s + g.expected, 0)).toBeCloseTo(11104, 6);
		// The fit follows the shape: every group within 6% of the donors (FHS 2010, figure 3 shows the same closeness).
		for (const g of table.frequency) expect(Math.abs(g.expected - g.actual)).toBeLessThan(0.06 * 11104);
		expect(table.tracking).toBeNull();
		expect(table.holdout).toBeNull();
	});

	it('scores each row of a table: P(alive) and expected purchases, as the CLI writes them', () => {
		const csv = Papa.parse<Record<string, string>>(bgbbScoresCsv(readBgbbData(donations, { kind: 'table' }).histories, table.fit.params, 5, 0), { header: true, skipEmptyLines: true });
		expect(csv.meta.fields).toEqual(['x', 't_x', 'n', 'customers', 'p_alive', 'expected_purchases']);
		expect(csv.data).toHaveLength(22);
		const top = csv.data.find((r) => r.x === '6')!;
		expect(Number(top.p_alive)).toBeCloseTo(BGBB.probabilityAlive(table.fit.params, 6, 6, 6), 12);
		expect(Number(top.expected_purchases)).toBeCloseTo(BGBB.conditionalExpectedPurchases(table.fit.params, 6, 6, 6, 5), 12);
	});
});

describe('BG/BB report on a log by occasion, drawn from known parameters', () => {
	const { random, beta } = seededSampler('bgbb-report');
	const truth = { alpha: 1.2, beta: 0.8, gamma: 0.7, delta: 2.8 };
	// 12,000 customers starting at occasions 0, 1 or 2, followed to occasion 12.
	const lines = ['member,issue'];
	for (let i = 0; i < 12000; i++) {
		const start = i % 3;
		const [p, theta] = [beta(truth.alpha, truth.beta), beta(truth.gamma, truth.delta)];
		lines.push(`m${i},${start}`);
		for (let t = start + 1; t <= 12; t++) {
			if (random() < theta) break;
			if (random() < p) lines.push(`m${i},${t}`);
		}
	}
	const text = lines.join('\n');
	const input = { kind: 'log' as const, id: 'member', occasion: 'issue', calibrationEnd: 8, holdoutEnd: 12 };
	const data = readBgbbData(text, input);
	const report = bgbbReport(data);

	it('fits the histories as a recency/frequency table of them does, and recovers the parameters', () => {
		const { rows } = data.histories;
		const asTable = ['frequency,recency,n,n_custs', ...Array.from(rows.x, (x, k) => `${x},${rows.tx[k]},${rows.T[k]},${rows.weight[k]}`)].join('\n');
		expect(fitModel(BGBB, parseRecencyFrequencyTable(asTable).rows).params).toEqual(report.fit.params);
		for (const k of BGBB.names) expect(Math.abs(report.fit.params[k] - truth[k as keyof typeof truth]), k).toBeLessThan(3 * report.fit.standardErrors[k]);
		expect(report.fit.customers).toBe(12000);
	});

	it('predicts the holdout within 5% of what happened, and each frequency group too', () => {
		const holdout = report.holdout!;
		const actual = text.split('\n').slice(1).filter((l) => Number(l.split(',')[1]) > 8).length;
		expect(holdout.actualRepeatPurchases).toBe(actual);
		expect(Math.abs(holdout.relativeError!)).toBeLessThan(0.05);
		expect(holdout.byFrequency.reduce((s, g) => s + g.customers, 0)).toBe(12000);
		for (const g of holdout.byFrequency.filter((g) => g.customers > 500)) expect(Math.abs(g.predictedMean - g.actualMean)).toBeLessThan(0.15 * Math.max(g.actualMean, 0.2));
	});

	it('tracks cumulative repeat purchases occasion by occasion: actual as counted, predicted Σ E[X(o − s)]', () => {
		const curve = report.tracking!;
		expect(curve.map((c) => c.week)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
		expect(curve.at(-1)!.actualCumulative).toBe(lines.length - 1 - 12000);
		expect(curve[8].predictedCumulative).toBeCloseTo(4000 * (bgbbExpected(report.fit.params, 8) + bgbbExpected(report.fit.params, 7) + bgbbExpected(report.fit.params, 6)), 6);
		for (const c of curve.slice(3)) expect(Math.abs(c.predictedCumulative / c.actualCumulative - 1)).toBeLessThan(0.05);
	});

	it('scores one row per customer whose expected purchases over the holdout add up to its forecast', () => {
		const csv = Papa.parse<Record<string, string>>(bgbbScoresCsv(data.histories, report.fit.params, 4, 0), { header: true, skipEmptyLines: true });
		expect(csv.meta.fields).toEqual(['customer_id', 'x', 't_x', 'n', 'p_alive', 'expected_purchases']);
		expect(csv.data).toHaveLength(12000);
		expect(new Set(csv.data.map((r) => r.customer_id)).size).toBe(12000);
		expect(csv.data.reduce((s, r) => s + Number(r.expected_purchases), 0)).toBeCloseTo(report.holdout!.predictedRepeatPurchases, 6);
		for (const r of csv.data) expect(Number(r.p_alive)).toBeGreaterThan(0);
	});

	it('leaves out customers who start after the calibration end, and names bad occasions', () => {
		const late = readBgbbData(text + '\nlate,10\nlate,11', input);
		expect(late.histories.rows.customers).toBe(12000);
		expect(() => readBgbbData(text, { ...input, holdoutEnd: 8 })).toThrow(/holdout end must be a whole occasion number after the calibration end \(8\), got 8/);
		expect(() => readBgbbData('member,issue\na,1\nb,two\n', input)).toThrow(/line 3: occasion must be a whole number/);
		expect(() => bgbbReport(readBgbbData('member,issue\na,1\nb,1\nb,2\n', { kind: 'log', id: 'member', occasion: 'issue' }))).toThrow(/2 customers, 1 of them buying again: too few to fit BG\/BB/);
	});
});
