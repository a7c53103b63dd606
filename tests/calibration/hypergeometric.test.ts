import { describe, expect, it } from 'vitest';
import { expectedRepeatPurchases } from '../../src/lib/calibration/bgnbd';
import { hyp2f1 } from '../../src/lib/calibration/hypergeometric';
import { logGamma } from '../../src/lib/engine/random';
import { expectedRepeatPurchasesByIntegral } from '../oracles/bgnbdIntegral';

describe('Gauss hypergeometric 2F1 matches known closed forms', () => {
	const cases: [string, number, number][] = [
		['2F1(1,1;2;z) = −ln(1−z)/z at z = 0.5', hyp2f1(1, 1, 2, 0.5), 2 * Math.LN2],
		['2F1(1,1;2;z) = −ln(1−z)/z at z = 0.99', hyp2f1(1, 1, 2, 0.99), -Math.log(0.01) / 0.99],
		['2F1(a,b;b;z) = (1−z)^−a at a = 0.7, z = 0.9', hyp2f1(0.7, 2.3, 2.3, 0.9), Math.pow(0.1, -0.7)],
		['2F1(a,b;b;z) = (1−z)^−a at a = 0.7, z = 0.999 (branch near 1)', hyp2f1(0.7, 2.3, 2.3, 0.999) / Math.pow(0.001, -0.7), 1],
		['2F1(½,½;3/2;z²) = arcsin(z)/z at z = 0.99 (branch near 1)', hyp2f1(0.5, 0.5, 1.5, 0.9801), Math.asin(0.99) / 0.99],
		['2F1(½,½;3/2;z²) = arcsin(z)/z at z = 0.8', hyp2f1(0.5, 0.5, 1.5, 0.64), Math.asin(0.8) / 0.8],
		['2F1(½,1;3/2;−z²) = arctan(z)/z at z = 2 (Pfaff branch)', hyp2f1(0.5, 1, 1.5, -4), Math.atan(2) / 2],
		['2F1(a,b;c;0) = 1', hyp2f1(3.1, 0.2, 1.7, 0), 1]
	];
	for (const [name, actual, expected] of cases) {
		it(name, () => expect(actual).toBeCloseTo(expected, 12));
	}

	it('approaches Gauss’s sum Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) as z → 1 when c > a + b', () => {
		const [a, b, c] = [0.3, 0.8, 2.5];
		const gauss = Math.exp(logGamma(c) + logGamma(c - a - b) - logGamma(c - a) - logGamma(c - b));
		expect(hyp2f1(a, b, c, 0.999999)).toBeCloseTo(gauss, 5);
	});

	it('refuses z ≥ 1', () => expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/z < 1/));

	it('stays finite and right for large c near z = 1 (low-dropout BG/NBD fits have b above 170)', () => {
		// 2F1(a, b; b + 1; z) = b · z^(−b) · B_z(b, 1 − a): checked against the series summed without the 1 − z branch.
		const direct = (a: number, b: number, c: number, z: number) => {
			let term = 1, sum = 1;
			for (let n = 0; n < 200000 && Math.abs(term) > 1e-18 * sum; n++) sum += term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
			return sum;
		};
		expect(hyp2f1(0.5, 200, 201, 0.95) / direct(0.5, 200, 201, 0.95)).toBeCloseTo(1, 12);
		expect(hyp2f1(0.5, 200, 201, 0.95)).toBeCloseTo(4.285, 3);
		// Near 1 the connection formula takes over; the series, slow there but still summable, agrees.
		expect(hyp2f1(0.5, 200, 201, 0.995) / direct(0.5, 200, 201, 0.995)).toBeCloseTo(1, 6);
	});
});

describe('2F1 where the series is slow or its stopping rule was (issue 17, item 7)', () => {
	// Reference values from mpmath.hyp2f1 at 30 digits.
	const reference: [number, number, number, number, number][] = [
		[1.3, 2.3, 3.6, 0.999999, 43.415764948551415232],
		[1.3, 2.3, 3.6005, 0.99999, 35.156344165907714054],
		[0.7, 0.9, 1.6, 0.9999999, 10.910882934064852796],
		[5.5, 1.61, 6.5, 0.99999, 10065.06359408232805],
		[3, 1e8, 1e8 + 1.5, 0.5, 7.9999996400000234]
	];
	for (const [a, b, c, z, expected] of reference) {
		it(`2F1(${a}, ${b}; ${c}; ${z}) = ${expected} to 9 digits, c − a − b ${Math.abs(c - a - b - Math.round(c - a - b)) < 1e-4 ? 'at an integer' : 'away from integers'}`, () => {
			expect(hyp2f1(a, b, c, z) / expected).toBeCloseTo(1, 9);
		});
	}

	it('2F1(1, 1; 2; z) = −ln(1 − z)/z at z = 1 − 10⁻⁹, where c − a − b = 0 and the series would need billions of terms', () => {
		const z = 1 - 1e-9;
		expect(hyp2f1(1, 1, 2, z) / (-Math.log1p(-z) / z)).toBeCloseTo(1, 9);
	});
});

describe('log-gamma', () => {
	it('gives Γ(5) = 24, Γ(½) = √π and Γ(0.1) ≈ 9.51350769866873', () => {
		expect(Math.exp(logGamma(5))).toBeCloseTo(24, 10);
		expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
		expect(Math.exp(logGamma(0.1))).toBeCloseTo(9.51350769866873, 10);
	});
});

describe('BG/NBD expected repeat purchases E[X(t)]', () => {
	// CDNOW parameters (Fader, Hardie & Lee 2005) in weeks, and a second set with a > 1.
	const sets = [
		{ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
		{ r: 1.5, alpha: 40, a: 2.5, b: 4 }
	];
	it('is continuous through a = 1, where the closed form is 0/0', () => {
		const p = { r: 0.243, alpha: 4.414, b: 2.426 };
		const atOne = expectedRepeatPurchases({ ...p, a: 1 }, 39);
		expect(atOne).toBeCloseTo(expectedRepeatPurchasesByIntegral(p.r, p.alpha, 1, p.b, 39), 5);
	});

	for (const p of sets) {
		for (const t of [1, 10, 39, 78, 400]) {
			it(`closed form equals the numerical integral (r=${p.r}, α=${p.alpha}, a=${p.a}, b=${p.b}, t=${t})`, () => {
				const closed = expectedRepeatPurchases(p, t);
				const integral = expectedRepeatPurchasesByIntegral(p.r, p.alpha, p.a, p.b, t);
				expect(closed).toBeGreaterThan(0);
				expect(Math.abs(closed - integral) / integral).toBeLessThan(1e-6);
			});
		}
	}
});
