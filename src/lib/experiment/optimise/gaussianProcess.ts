/**
 * A small Gaussian-process surrogate: Matérn 5/2 kernel on the unit cube,
 * each observation's own noise (its replications' variance of the mean) plus
 * a nugget, the length scale and nugget chosen from a grid by marginal
 * likelihood (deterministic, no optimiser to start). With at most a few
 * hundred evaluations a Cholesky solve is all it needs.
 */
import type { UnitPoint } from './space';

const LENGTH_SCALES = [0.06, 0.1, 0.15, 0.22, 0.32, 0.45, 0.65, 0.9, 1.3, 2];
const NUGGETS = [1e-6, 1e-3, 1e-2, 0.05, 0.2];

function matern52(a: UnitPoint, b: UnitPoint, lengthScale: number): number {
	let d2 = 0;
	for (let i = 0; i < a.length; i++) d2 += (a[i] - b[i]) ** 2;
	const r = (Math.sqrt(5 * d2) / lengthScale);
	return (1 + r + (r * r) / 3) * Math.exp(-r);
}

/** Lower Cholesky factor of a symmetric positive-definite matrix (row-major n × n), or null if it is not. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
	const l = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j <= i; j++) {
			let s = a[i * n + j];
			for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
			if (i === j) {
				if (!(s > 0)) return null;
				l[i * n + i] = Math.sqrt(s);
			} else l[i * n + j] = s / l[j * n + j];
		}
	}
	return l;
}

/** Solves L x = b (forward substitution). */
function forward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
	const x = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		let s = b[i];
		for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
		x[i] = s / l[i * n + i];
	}
	return x;
}

/** Solves Lᵀ x = b (back substitution). */
function backward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
	const x = new Float64Array(n);
	for (let i = n - 1; i >= 0; i--) {
		let s = b[i];
		for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
		x[i] = s / l[i * n + i];
	}
	return x;
}

/** A posterior prediction of the mean response (not of one noisy evaluation). */
export interface Prediction {
	mean: number;
	sd: number;
}

export class GaussianProcess {
	private constructor(
		private readonly x: UnitPoint[],
		private readonly z: number[],
		private readonly noise: number[],
		private readonly centre: number,
		private readonly scale: number,
		readonly lengthScale: number,
		readonly nugget: number,
		private readonly factor: Float64Array,
		private readonly alpha: Float64Array
	) {}

	/** Fits a surrogate to observed means `y` at `x`, each with the variance `noise` of its mean. */
	static fit(x: UnitPoint[], y: number[], noise: number[]): GaussianProcess {
		const centre = y.reduce((s, v) => s + v, 0) / y.length;
		const spread = Math.sqrt(y.reduce((s, v) => s + (v - centre) ** 2, 0) / Math.max(1, y.length - 1));
		const scale = spread > 0 ? spread : Math.max(1, Math.abs(centre));
		const z = y.map((v) => (v - centre) / scale);
		const scaledNoise = noise.map((v) => (Number.isFinite(v) ? v : 0) / scale ** 2);
		let best: GaussianProcess | null = null;
		let bestLikelihood = -Infinity;
		for (const lengthScale of LENGTH_SCALES) {
			for (const nugget of NUGGETS) {
				const gp = GaussianProcess.build(x, z, scaledNoise, centre, scale, lengthScale, nugget);
				const likelihood = gp?.logMarginalLikelihood() ?? -Infinity;
				if (gp && likelihood > bestLikelihood) [best, bestLikelihood] = [gp, likelihood];
			}
		}
		if (!best) throw new Error('the surrogate could not be fitted (the evaluations are degenerate)');
		return best;
	}

	private static build(x: UnitPoint[], z: number[], noise: number[], centre: number, scale: number, lengthScale: number, nugget: number): GaussianProcess | null {
		const n = x.length;
		const k = new Float64Array(n * n);
		for (let i = 0; i < n; i++) {
			for (let j = 0; j <= i; j++) k[i * n + j] = k[j * n + i] = matern52(x[i], x[j], lengthScale);
			k[i * n + i] += noise[i] + nugget;
		}
		const factor = cholesky(k, n);
		if (!factor) return null;
		const alpha = backward(factor, n, forward(factor, n, z));
		return new GaussianProcess(x, z, noise, centre, scale, lengthScale, nugget, factor, alpha);
	}

	private logMarginalLikelihood(): number {
		const n = this.x.length;
		let fit = 0;
		let logDet = 0;
		for (let i = 0; i < n; i++) {
			fit += this.z[i] * this.alpha[i];
			logDet += Math.log(this.factor[i * n + i]);
		}
		return -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
	}

	/** The posterior of the mean response at a point. */
	predict(point: UnitPoint): Prediction {
		const n = this.x.length;
		const k = this.x.map((xi) => matern52(xi, point, this.lengthScale));
		let mean = 0;
		for (let i = 0; i < n; i++) mean += k[i] * this.alpha[i];
		const v = forward(this.factor, n, k);
		let variance = 1;
		for (let i = 0; i < n; i++) variance -= v[i] * v[i];
		return { mean: this.centre + this.scale * mean, sd: this.scale * Math.sqrt(Math.max(variance, 1e-12)) };
	}

	/** The same surrogate (same length scale and nugget) with one more observation: a batch's pending points believed at their predicted mean. */
	withObservation(point: UnitPoint, y: number, noise = 0): GaussianProcess {
		const gp = GaussianProcess.build([...this.x, point], [...this.z, (y - this.centre) / this.scale], [...this.noise, noise / this.scale ** 2], this.centre, this.scale, this.lengthScale, this.nugget);
		return gp ?? this;
	}
}
