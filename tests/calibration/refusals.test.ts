/**
 * Calibration refuses data a model cannot fit, with the reason and before
 * the long work (issue 17, item 7), and fits odd but fittable data (tiny or
 * huge amounts) as well as ordinary data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/lib/calibration/calibrate';
import { fitGammaGamma } from '../../src/lib/calibration/gammaGammaFit';
import { fitFromStarts } from '../../src/lib/calibration/purchaseModel';
import { BGNBD } from '../../src/lib/calibration/bgnbdFit';
import { summarise } from '../../src/lib/calibration/summary';
import { parseDay, parseTransactions } from '../../src/lib/calibration/transactions';

const mapping = { id: 'customer_id', date: 'date', amount: 'amount' };
const csv = readFileSync(new URL('../fixtures/cdnow_sample.csv', import.meta.url), 'utf8');
const [header, ...lines] = csv.trimEnd().split('\n');
const end = parseDay('1997-09-30') as number;
/** The CDNOW sample with each row's amount (the last column) replaced. */
const withAmounts = (amount: (old: string, i: number) => string) => parseTransactions([header, ...lines.map((l, i) => l.replace(/[^,]*$/, (old) => amount(old, i)))].join('\n'), mapping);

describe('data a model cannot fit is refused with the reason, before any optimiser runs', () => {
	it('every amount 0: no Gamma-Gamma fit and no scenario "fitted by maximum likelihood"', () => {
		const started = performance.now();
		expect(() => calibrate(withAmounts(() => '0'), end, null, 'week')).toThrow(/only 0 of 946 repeat customers spent a positive amount .* the Gamma-Gamma spend model needs at least 5 \(are the amounts all 0/);
		// Refused from the summaries alone (a fit of the sample takes seconds).
		expect(performance.now() - started).toBeLessThan(2000);
	});

	it('every amount the same (10⁻²²): spend that does not vary is refused', () => {
		expect(() => calibrate(withAmounts(() => '0.0000000000000000000001'), end, null, 'week')).toThrow(/every amount in the log is 1e-22: the amounts carry no spend to fit/);
	});

	it('every purchase on one day: no repeat purchases, so purchase rate and dropout cannot be told apart', () => {
		const oneDay = parseTransactions([header, ...lines.map((l) => l.replace(/,\d{4}-\d{2}-\d{2},/, ',1997-03-01,'))].join('\n'), mapping);
		expect(() => calibrate(oneDay, parseDay('1997-12-31') as number, null, 'week')).toThrow(/only 0 of 2357 customers bought again by 1997-12-31; every first purchase is on 1997-03-01: .* no model is fitted/);
	});

	it('an amount of 10³⁰⁰ is a bad row named by its line, not a number that overflows the spend sums', () => {
		const log = withAmounts((old, i) => (i === 4 ? '1' + '0'.repeat(300) : old));
		expect(log.badRows).toEqual([{ line: 6, reason: expect.stringMatching(/^amount 1000.* is above 10\^12/) }]);
	});

	it('a log with no curvature in some direction gives NaN standard errors instead of failing on a singular matrix', () => {
		const s = summarise(parseTransactions(csv, mapping), end, null, 7);
		const flat = { start: { r: 1, alpha: 1, a: 1, b: 1 }, params: { r: 1, alpha: 1, a: 1, b: 1 }, logLikelihood: 0, converged: true, logs: [0, 0, 0, 0] };
		const rows = { x: s.x, tx: s.tx, T: s.T };
		const fit = fitFromStarts({ ...BGNBD, logLikelihood: () => 0 }, rows, [flat]);
		expect(Object.values(fit.standardErrors).every(Number.isNaN)).toBe(true);
	});
});

describe('amounts in any unit fit alike', () => {
	const plain = fitGammaGamma(summarise(parseTransactions(csv, mapping), end, null, 7));

	for (const [name, factor, text] of [
		['10⁻²⁰ of a unit', 1e-20, (v: number) => (v * 1e-20).toFixed(40).replace(/0+$/, '')],
		['10⁹ times', 1e9, (v: number) => String(Math.round(v * 100) * 1e7)]
	] as const) {
		it(`amounts ${name}: the same p and q, γ scaled by the same factor`, () => {
			const scaled = fitGammaGamma(summarise(withAmounts((old) => text(Number(old))), end, null, 7));
			expect(scaled.params.p / plain.params.p).toBeCloseTo(1, 5);
			expect(scaled.params.q / plain.params.q).toBeCloseTo(1, 5);
			expect(scaled.params.gamma / (plain.params.gamma * factor)).toBeCloseTo(1, 5);
		});
	}

	it('reports the spend–frequency correlation the model assumes away', () => {
		expect(plain.spendFrequencyCorrelation).toBeGreaterThan(0);
		expect(plain.spendFrequencyCorrelation).toBeLessThan(0.3);
	});
});
