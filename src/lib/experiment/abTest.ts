/**
 * What an A/B platform reports for one test: the difference and relative
 * lift with 95% intervals, the two-sided p-value and the chance to win.
 * Proportions use the two-proportion z-test (pooled under the null for the
 * p-value, unpooled for the interval); means use Welch's t-test.
 */
import type { ArmStatistics } from './armObserver';
import { tCdf, tQuantile975 } from './statistics';

export const Z_975 = 1.959963984540054;
export const Z_80 = 0.8416212335729143;

export interface TestResult {
	control: number;
	variant: number;
	diff: number;
	ci95: [number, number];
	/** variant / control − 1, null when the control is 0. */
	lift: number | null;
	pValue: number;
	/** P(variant's true value > control's), from the normal approximation to each arm's posterior. */
	chanceToWin: number;
}

/** Φ(z), the standard normal CDF (complementary error function, Numerical Recipes erfcc: error below 1.2e-7). */
export function normalCdf(z: number): number {
	const x = Math.abs(z) / Math.SQRT2;
	const t = 1 / (1 + 0.5 * x);
	const erfc =
		t *
		Math.exp(
			-x * x - 1.26551223 +
				t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
		);
	return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Two-proportion z-test of the variant against the control. */
export function proportionTest(control: ArmStatistics, variant: ArmStatistics): TestResult {
	const pA = control.sum / control.users;
	const pB = variant.sum / variant.users;
	const diff = pB - pA;
	const pooled = (control.sum + variant.sum) / (control.users + variant.users);
	const seNull = Math.sqrt(pooled * (1 - pooled) * (1 / control.users + 1 / variant.users));
	const se = Math.sqrt((pA * (1 - pA)) / control.users + (pB * (1 - pB)) / variant.users);
	const pValue = seNull > 0 ? 2 * (1 - normalCdf(Math.abs(diff) / seNull)) : 1;
	return result(pA, pB, diff, se, pValue);
}

/** Welch's t-test of the variant's mean against the control's. */
export function meanTest(control: ArmStatistics, variant: ArmStatistics): TestResult {
	const [mA, vA] = meanAndVariance(control);
	const [mB, vB] = meanAndVariance(variant);
	const a = vA / control.users;
	const b = vB / variant.users;
	const se = Math.sqrt(a + b);
	const diff = mB - mA;
	const df = (a + b) ** 2 / ((a * a) / (control.users - 1) + (b * b) / (variant.users - 1));
	const pValue = se > 0 ? 2 * (1 - tCdf(Math.abs(diff) / se, df)) : 1;
	// The interval uses t with Welch's df (rounded down: slightly wider), so it agrees with the p-value.
	return result(mA, mB, diff, se, pValue, tQuantile975(Math.max(1, Math.floor(df))));
}

function meanAndVariance(s: ArmStatistics): [number, number] {
	const mean = s.sum / s.users;
	return [mean, Math.max(0, (s.sumOfSquares - s.users * mean * mean) / (s.users - 1))];
}

function result(control: number, variant: number, diff: number, se: number, pValue: number, quantile = Z_975): TestResult {
	return {
		control,
		variant,
		diff,
		ci95: [diff - quantile * se, diff + quantile * se],
		lift: control !== 0 ? variant / control - 1 : null,
		pValue,
		chanceToWin: se > 0 ? normalCdf(diff / se) : diff > 0 ? 1 : diff < 0 ? 0 : 0.5
	};
}

/** Closed-form power of a two-sided two-proportion z-test with n users per arm. */
export function twoProportionPower(pA: number, pB: number, n: number, alphaZ = Z_975): number {
	const pBar = (pA + pB) / 2;
	const seNull = Math.sqrt((2 * pBar * (1 - pBar)) / n);
	const se = Math.sqrt((pA * (1 - pA) + pB * (1 - pB)) / n);
	return normalCdf((Math.abs(pB - pA) - alphaZ * seNull) / se);
}
