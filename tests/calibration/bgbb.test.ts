/**
 * BG/BB for discrete occasions on the published donations table (Fader,
 * Hardie & Shang 2010: 11,104 donors, six yearly opportunities), from the
 * table and from a log of purchases by occasion; and a synthetic round trip.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BGBB, bgbbConditional, bgbbExpected, bgbbProbabilityAlive } from '../../src/lib/calibration/bgbb';
import { occasionHistories, parseRecencyFrequencyTable } from '../../src/lib/calibration/occasions';
import { fitModel } from '../../src/lib/calibration/purchaseModel';
import { seededSampler } from '../helpers/sampling';

const table = readFileSync(new URL('../fixtures/donations-rf.csv', import.meta.url), 'utf8');
const { rows } = parseRecencyFrequencyTable(table);
const fit = fitModel(BGBB, rows);

describe('BG/BB on the donations table', () => {
	it('reproduces the published α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, LL = −33,225.6 from every start', () => {
		const published = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
		for (const [k, v] of Object.entries(published)) expect(fit.params[k]).toBeCloseTo(v, 3);
		expect(fit.logLikelihood).toBeCloseTo(-33225.6, 1);
		expect(fit.customers).toBe(11104);
		for (const start of fit.starts) expect(start.logLikelihood).toBeCloseTo(fit.logLikelihood, 4);
		for (const k of BGBB.names) {
			for (const f of [0.99, 1.01]) expect(BGBB.logLikelihood({ ...fit.params, [k]: fit.params[k] * f }, rows)).toBeLessThan(fit.logLikelihood);
			expect(fit.standardErrors[k]).toBeGreaterThan(0);
		}
	});

	it('expects about the repeat donations the donors made over the six years', () => {
		const actual = Array.from(rows.x).reduce((sum, x, k) => sum + x * rows.weight[k], 0);
		expect(actual).toBe(24615);
		expect(Math.abs((11104 * bgbbExpected(fit.params, 6)) / actual - 1)).toBeLessThan(0.01);
	});

	it('a new customer’s conditional expectation is the unconditional E[X(n)] (equation 13 against equation 7)', () => {
		for (const m of [1, 3, 6]) expect(bgbbConditional(fit.params, 0, 0, 0, m)).toBeCloseTo(bgbbExpected(fit.params, m), 10);
		expect(bgbbProbabilityAlive(fit.params, 6, 6, 6)).toBeGreaterThan(bgbbProbabilityAlive(fit.params, 1, 1, 6));
	});

	it('a log of donations by occasion number fits exactly as the table does', () => {
		// Each donor as a log: the first gift at occasion 0, then x gifts ending at occasion t_x.
		const lines = ['donor,year'];
		let id = 0;
		for (let k = 0; k < rows.x.length; k++) {
			for (let c = 0; c < rows.weight[k]; c++) {
				id++;
				lines.push(`d${id},0`);
				for (let j = 0; j < rows.x[k]; j++) lines.push(`d${id},${rows.tx[k] - j}`);
			}
		}
		const fromLog = occasionHistories(lines.join('\n'), { id: 'donor', occasion: 'year' }, 6);
		expect(fromLog.customers!.ids).toHaveLength(11104);
		expect(fitModel(BGBB, fromLog.rows).params).toEqual(fit.params);
	});

	it('names a bad table row by its line', () => {
		expect(() => parseRecencyFrequencyTable('frequency,recency,n\n1,1,6\n3,2,6\n')).toThrow(/line 3: frequency 3, recency 2 and n 6 cannot all hold/);
		expect(() => parseRecencyFrequencyTable('frequency,recency,n\n1,x,6\n')).toThrow(/line 2: recency must be a whole number/);
		expect(() => parseRecencyFrequencyTable('x,when\n1,1\n')).toThrow(/needs columns frequency, recency and n/);
	});
});

describe('BG/BB synthetic round trip', () => {
	it('data drawn from known parameters fits them back within 3 standard errors', () => {
		const { random, beta } = seededSampler('bgbb');
		const truth = { alpha: 1.5, beta: 1, gamma: 0.8, delta: 3 };
		const n = 8;
		const histories: number[][] = [];
		for (let i = 0; i < 20000; i++) {
			const [p, theta] = [beta(truth.alpha, truth.beta), beta(truth.gamma, truth.delta)];
			let x = 0, tx = 0;
			for (let t = 1; t <= n; t++) {
				if (random() < theta) break;
				if (random() < p) [x, tx] = [x + 1, t];
			}
			histories.push([x, tx]);
		}
		const text = ['frequency,recency,n', ...histories.map(([x, tx]) => `${x},${tx},${n}`)].join('\n');
		const drawn = fitModel(BGBB, parseRecencyFrequencyTable(text).rows);
		for (const k of BGBB.names) expect(Math.abs(drawn.params[k] - truth[k as keyof typeof truth]), k).toBeLessThan(3 * drawn.standardErrors[k]);
	});
});
