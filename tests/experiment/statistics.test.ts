import { describe, expect, it } from 'vitest';
import { normalCdf, proportionTest, twoProportionPower } from '../../src/lib/experiment/abTest';
import { incompleteBeta, ratioEstimate, replicationsFor, tCdf, tQuantile975 } from '../../src/lib/experiment/statistics';

describe('distribution functions against known values', () => {
	it('Student t CDF: t(10) at 2.228 is 0.975, t(1) is the Cauchy, t(∞) the normal', () => {
		expect(tCdf(2.228, 10)).toBeCloseTo(0.975, 4);
		expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
		expect(tCdf(1, 1)).toBeCloseTo(0.75, 10); // Cauchy: 1/2 + atan(1)/π
		expect(tCdf(-2.5, 1)).toBeCloseTo(0.5 + Math.atan(-2.5) / Math.PI, 10);
		expect(tCdf(1.959963984540054, 1e6)).toBeCloseTo(0.975, 5);
	});
	it('agrees with the t quantile table for every tabulated df', () => {
		for (let df = 1; df <= 30; df++) expect(tCdf(tQuantile975(df), df)).toBeCloseTo(0.975, 3);
	});
	it('incomplete beta: I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
		expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
		expect(incompleteBeta(0.6, 2.5, 1)).toBeCloseTo(Math.pow(0.6, 2.5), 12);
	});
	it('normal CDF: Φ(1.96) = 0.975, Φ(−1) = 0.158655', () => {
		expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
		expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
	});
});

describe('interval helpers', () => {
	it('a ratio of identical paired values is exactly 1 with no width', () => {
		const x = [3, 4, 5, 6];
		expect(ratioEstimate(x, x)).toEqual({ mean: 1, ci95: [1, 1] });
	});
	it('replications needed scale with the square of the precision wanted', () => {
		const values = [10, 12, 9, 11, 13, 8, 10, 12];
		const n1 = replicationsFor(values, 0.2)!;
		const n2 = replicationsFor(values, 0.1)!;
		expect(n2 / n1).toBeGreaterThan(3.5);
		expect(n2 / n1).toBeLessThan(4.5);
	});
});

describe('the two-proportion test', () => {
	it('gives the textbook p-value for 120/1000 against 150/1000', () => {
		// pooled p = 0.135, SE = sqrt(0.135 · 0.865 · 2/1000) = 0.015283, z = 1.963, two-sided p = 0.0497
		const result = proportionTest({ users: 1000, sum: 120, sumOfSquares: 120 }, { users: 1000, sum: 150, sumOfSquares: 150 });
		expect(result.pValue).toBeCloseTo(0.0497, 3);
		expect(result.lift).toBeCloseTo(0.25, 12);
		expect(result.chanceToWin).toBeGreaterThan(0.97);
	});
	it('closed-form power: 0.10 vs 0.12 with 3,841 per arm is about 80%', () => {
		expect(twoProportionPower(0.1, 0.12, 3841)).toBeCloseTo(0.8, 2);
	});
});
