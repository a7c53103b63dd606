/**
 * Seeded Gamma and Beta draws for building synthetic data in tests, written
 * apart from the engine's samplers (Marsaglia & Tsang, Box–Muller) so that a
 * fit recovering known parameters checks the engine's draws independently.
 */
import seedrandom from 'seedrandom';

/** A seeded uniform stream with Gamma(shape, 1) and Beta(a, b) draws from it. */
export function seededSampler(seed: string) {
	const random = seedrandom(seed);
	const gamma = (shape: number): number => {
		if (shape < 1) return gamma(shape + 1) * Math.pow(random(), 1 / shape);
		const d = shape - 1 / 3,
			c = 1 / Math.sqrt(9 * d);
		for (;;) {
			let x: number, v: number;
			do {
				x = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
				v = 1 + c * x;
			} while (v <= 0);
			v = v * v * v;
			if (Math.log(random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
		}
	};
	const beta = (a: number, b: number) => {
		const g = gamma(a);
		return g / (g + gamma(b));
	};
	return { random, gamma, beta };
}
