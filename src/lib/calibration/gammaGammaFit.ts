/**
 * Maximum-likelihood Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM
 * and CLV"; Colombo & Jiang 1999) on repeat customers' mean transaction
 * values: a transaction is Gamma(p, ν), ν ~ Gamma(q, γ) across customers.
 * Spends are divided by their mean before fitting (γ scales with them, p and
 * q do not), so amounts of 10⁻²² or 10¹² fit as well as amounts of 10; data
 * the model cannot fit (no positive spend, every mean spend the same) is
 * refused with the reason before any work. The model assumes spend and
 * frequency independent: their correlation is reported beside the fit.
 */
import { logGamma } from '../engine/random';
import { maxCount } from './bgnbdFit';
import { nelderMead, newtonPolish } from './optimize';
import { spendRows, type SpendRows } from './sufficientStatistics';
import type { CustomerSummary } from './summary';

export interface GammaGammaParams {
	p: number;
	q: number;
	gamma: number;
}

/** Too few repeat customers with a positive spend to fit three parameters. */
const FEWEST_SPENDERS = 5;

/**
 * Log-likelihood of the mean spends m of customers with x > 0 repeat
 * transactions. The terms in x alone are computed once per repeat count.
 * An optimiser passes `most` (the largest count), found once per fit.
 */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, x: ArrayLike<number>, m: ArrayLike<number>, most = maxCount(x), weight?: ArrayLike<number>): number {
	const head = new Float64Array(most + 1);
	const tail = new Float64Array(most + 1);
	for (let k = 1; k <= most; k++) {
		const px = p * k;
		head[k] = logGamma(px + q) - logGamma(px) - logGamma(q) + q * Math.log(gamma);
		tail[k] = px * Math.log(k);
	}
	let total = 0;
	for (let i = 0; i < x.length; i++) {
		if (!(x[i] > 0 && m[i] > 0)) continue;
		const px = p * x[i];
		total += (weight ? weight[i] : 1) * (head[x[i]] + (px - 1) * Math.log(m[i]) + tail[x[i]] - (px + q) * Math.log(gamma + m[i] * x[i]));
	}
	return total;
}

/** Starts of the optimiser, in log-parameters (p, q, γ), γ on the scale of the mean spend (1 after scaling). */
export const GAMMA_GAMMA_STARTS = [
	[1, 1, 1],
	[Math.log(5), Math.log(3), Math.log(10)]
];

/** One start's optimum in log-parameters (γ on the scaled spends). */
export interface GammaGammaStartResult {
	logs: number[];
	negativeLogLikelihood: number;
}

/** The spends' weighted mean: the unit spends are measured in while fitting. */
function spendScale(rows: SpendRows): number {
	let total = 0;
	let n = 0;
	for (let i = 0; i < rows.m.length; i++) {
		const w = rows.weight ? rows.weight[i] : 1;
		total += w * rows.m[i];
		n += w;
	}
	return total / n;
}

/** Refuses spends the model cannot fit, with the reason; called before the long work. */
export function checkSpend(s: CustomerSummary): void {
	const rows = spendRows(s);
	const repeaters = Array.from(s.x).filter((x) => x > 0).length;
	if (rows.customers < FEWEST_SPENDERS) {
		throw new Error(`only ${rows.customers} of ${repeaters} repeat customers spent a positive amount in the calibration period: the Gamma-Gamma spend model needs at least ${FEWEST_SPENDERS} (are the amounts all 0, or in another column?)`);
	}
	const first = rows.m[0];
	if (rows.m.every((m) => Math.abs(m / first - 1) < 1e-9)) {
		throw new Error(`every repeat customer's mean spend is ${first}: the Gamma-Gamma spend model needs spend that varies between customers`);
	}
}

function scaledNegative(rows: SpendRows, scale: number): (logs: number[]) => number {
	const most = maxCount(rows.x);
	const m = Float64Array.from(rows.m, (v) => v / scale);
	return (logs: number[]) => {
		if (logs.some((v) => !(Math.abs(v) <= 20))) return Infinity;
		const ll = gammaGammaLogLikelihood({ p: Math.exp(logs[0]), q: Math.exp(logs[1]), gamma: Math.exp(logs[2]) }, rows.x, m, most, rows.weight);
		return Number.isFinite(ll) ? -ll : Infinity;
	};
}

/** Nelder–Mead from one start on the scaled spends (independent of the others, so a sharded calibration can run it apart). */
export function optimiseGammaGammaStart(s: CustomerSummary | SpendRows, start: number[]): GammaGammaStartResult {
	const rows = 'meanRepeatSpend' in s ? spendRows(s) : s;
	const negative = scaledNegative(rows, spendScale(rows));
	const m = nelderMead(negative, start);
	const polished = newtonPolish(negative, m.point, m.value);
	return { logs: polished.point, negativeLogLikelihood: polished.value };
}

/** The Gamma-Gamma fit: parameters in the spends' own unit, log-likelihood, customers fitted, and the spend–frequency correlation. */
export interface GammaGammaFit {
	params: GammaGammaParams;
	logLikelihood: number;
	customers: number;
	/** Pearson correlation of repeat count and mean spend over the customers fitted: the model assumes about 0. */
	spendFrequencyCorrelation: number;
}

/** The fit from every start's optimum: the best one, γ and the log-likelihood carried back to the spends' unit. */
export function gammaGammaFitFromStarts(s: CustomerSummary | SpendRows, runs: GammaGammaStartResult[]): GammaGammaFit {
	const rows = 'meanRepeatSpend' in s ? spendRows(s) : s;
	const best = runs.reduce((x, y) => (y.negativeLogLikelihood < x.negativeLogLikelihood ? y : x));
	const scale = spendScale(rows);
	const customers = rows.weight ? Array.from(rows.weight).reduce((a, b) => a + b, 0) : rows.x.length;
	// Each customer's density of m carries a 1/scale from the change of unit.
	return {
		params: { p: Math.exp(best.logs[0]), q: Math.exp(best.logs[1]), gamma: Math.exp(best.logs[2]) * scale },
		logLikelihood: -best.negativeLogLikelihood - customers * Math.log(scale),
		customers,
		spendFrequencyCorrelation: correlation(rows)
	};
}

/** Weighted Pearson correlation of x and m. */
function correlation(rows: SpendRows): number {
	let n = 0, sx = 0, sm = 0;
	for (let i = 0; i < rows.x.length; i++) {
		const w = rows.weight ? rows.weight[i] : 1;
		n += w;
		sx += w * rows.x[i];
		sm += w * rows.m[i];
	}
	const [mx, mm] = [sx / n, sm / n];
	let cxx = 0, cmm = 0, cxm = 0;
	for (let i = 0; i < rows.x.length; i++) {
		const w = rows.weight ? rows.weight[i] : 1;
		const [dx, dm] = [rows.x[i] - mx, rows.m[i] - mm];
		cxx += w * dx * dx;
		cmm += w * dm * dm;
		cxm += w * dx * dm;
	}
	return cxx > 0 && cmm > 0 ? cxm / Math.sqrt(cxx * cmm) : 0;
}

/** Fits the Gamma-Gamma model to the repeat customers of a summary (over unique rows). */
export function fitGammaGamma(s: CustomerSummary): GammaGammaFit {
	checkSpend(s);
	return gammaGammaFitFromStarts(s, GAMMA_GAMMA_STARTS.map((start) => optimiseGammaGammaStart(s, start)));
}
