/**
 * The optimise experiment against problems whose answer is known on paper.
 *
 * The scenario: N customers who all bought on day 0, each buying at a fixed
 * rate λ a day and leaving for good after a purchase with a fixed chance p
 * (BG/NBD with the Gamma and Beta concentrated on λ and p), order value v on
 * average, margin m, horizon T. A limited-time discount runs from day S to the
 * horizon: purchase rate × M, discount share s on each order. The decision is
 * S, so the discount lasts D = T − S days.
 *
 * Leaving happens at rate λp (λMp during the discount), so a customer's
 * expected orders over a stretch of length t at hazard h starting alive are
 * (1/p)(1 − e^{−ht}). With a = λMp, b = λp and u = e^{−bT}, the expected gross
 * profit per customer (beyond the day-0 order) is
 *   GP(D) = (v/p) [ m(1 − u e^{bD}) + (m − s) u e^{bD} (1 − e^{−aD}) ]
 *         = (v/p) [ m − s u e^{bD} − (m − s) u e^{−(a−b)D} ],
 *   GP'(D) = (v/p) u [ −s b e^{bD} + (m − s)(a − b) e^{−(a−b)D} ],
 *   GP''(D) < 0: strictly concave, and GP' = 0 at
 *   D* = ln((m − s)(M − 1) / s) / (λ M p).
 * With λ = 0.05, p = 0.1, M = 3, m = 0.4, s = 0.1, T = 365:
 *   D* = ln 6 / 0.015 = 119.45 days, S* = 245.5.
 * The scenario format keeps some spread: λ ~ Gamma(r = 100, rate β = r/λ̄)
 * (CV 10%), p ~ Beta(1000, 9000) (CV 3%, neglected). Both λ-terms above are
 * exponentials in λ, and E[e^{−cλ}] = (1 + c/β)^{−r}, so the expected bracket
 * stays closed-form; its maximum is found on a 0.01-day grid: D* ≈ 119 days.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { optimise } from '../../src/lib/experiment/optimise/optimise';
import { optimiseSchema, type OptimiseSpecInput } from '../../src/lib/experiment/optimise/schema';
import { selectBest } from '../../src/lib/experiment/optimise/selection';
import { runJobsHere } from '../../src/lib/experiment/runVariants';
import seedrandom from 'seedrandom';
import { discountScenario, LATE_DISCOUNT } from '../helpers/lateDiscount';

const { LAMBDA, P, M, MARGIN, SHARE, T, R } = LATE_DISCOUNT;
const a = LAMBDA * M * P;
const b = LAMBDA * P;
const u = Math.exp(-b * T);
const BETA = R / LAMBDA;
/** E[e^{−cλ}] for λ ~ Gamma(R, rate BETA). */
const laplace = (c: number) => (1 + c / BETA) ** -R;
/** Expected gross profit per customer per unit of order value, times p (the bracket above, averaged over λ). */
const bracket = (D: number) => MARGIN - SHARE * laplace(P * (T - D)) - (MARGIN - SHARE) * laplace(P * T + (M - 1) * P * D);
const D_STAR = Array.from({ length: T * 100 }, (_, i) => i / 100).reduce((best, D) => (bracket(D) > bracket(best) ? D : best), 0);
/** With λ fixed at its mean: D* = ln((m − s)(M − 1)/s) / (λMp). */
const D_FIXED = Math.log(((MARGIN - SHARE) * (M - 1)) / SHARE) / a;

/** Expected GMV over the horizon, the day-0 order included: N × E[v] × (1 + E[orders after day 0]), E[v] = pγ/(q − 1) = 120 for the spend model below. */
const expectedGmv = (customers: number, D: number) => customers * 120 * (1 + (1 - laplace(P * T + (M - 1) * P * D)) / P);

const startDay = { parameter: '/policies/0/startDay', kind: 'integer' as const, low: 0, high: T - 1 };

describe('optimise', () => {
	it('finds the start of a late discount that maximises gross profit, derived on paper, within 25 days in 16 evaluations', async () => {
		expect(D_FIXED).toBeCloseTo(119.45, 1);
		expect(Math.abs(D_STAR - D_FIXED)).toBeLessThan(3);
		const spec = optimiseSchema.parse({
			decisions: [startDay],
			objective: { metric: 'grossProfit', goal: 'maximise' },
			replications: 3,
			batchSize: 4,
			evaluations: 16,
			selection: { candidates: 3, probability: 0.9, maxReplications: 12 }
		} satisfies OptimiseSpecInput);
		const report = await optimise(spec, parseScenario(discountScenario(3000)), runJobsHere);
		const S = report.best!.values['/policies/0/startDay'] as number;
		expect(report.meta.evaluations).toBe(16);
		expect(Math.abs(S - (T - D_STAR))).toBeLessThanOrEqual(25);
		// The true profit there is within 0.2% of the best possible.
		expect(bracket(T - S) / bracket(D_STAR)).toBeGreaterThan(0.998);
		expect(report.runnerUp).not.toBeNull();
		expect(report.selection?.probabilityBest).not.toBeNull();
	});

	it('keeps to a GMV cap that binds: the answer sits at the cap, within its interval', async () => {
		// Profit rises with D up to D* ≈ 120 days, so a cap at the GMV of a 60-day discount binds: the answer is D ≈ 60 (S ≈ 305).
		const customers = 3000;
		const cap = expectedGmv(customers, 60);
		const spec = optimiseSchema.parse({
			decisions: [startDay],
			objective: { metric: 'grossProfit' },
			constraints: [{ metric: 'gmv', atMost: cap }],
			replications: 3,
			evaluations: 16,
			selection: { maxReplications: 12 }
		} satisfies OptimiseSpecInput);
		const report = await optimise(spec, parseScenario(discountScenario(customers)), runJobsHere);
		const best = report.best!;
		const S = best.values['/policies/0/startDay'] as number;
		expect(report.bindingConstraint).toBe('gmv');
		expect(best.constraints[0].estimate.ci95![0]).toBeLessThanOrEqual(cap);
		// Its true GMV (on paper) is under the cap, give or take the half-width of the interval the run could see.
		const [low, high] = best.constraints[0].estimate.ci95!;
		expect(expectedGmv(customers, T - S)).toBeLessThanOrEqual(cap + (high - low) / 2);
		// It binds: the answer's GMV is at the cap, within the interval's half-width.
		expect(Math.abs(best.kpis.gmv.mean! - cap)).toBeLessThanOrEqual((high - low) / 2);
		expect(Math.abs(T - S - 60)).toBeLessThanOrEqual(30);
		expect(report.frontier.length).toBeGreaterThan(1);
	});

	it('ranking and selection picks the better of two near-equal settings with the promised probability over 200 seeded trials', async () => {
		// True means 100.5 (best), 100 (the decoy) and 97; each replication has sd 2, so four replications (sd of a mean 1)
		// cannot tell the first two apart. The indifference amount is the true gap, 0.5: Kim–Nelson then promises P ≥ 0.9.
		const means = [100.5, 100, 97];
		const trials = 200;
		let correct = 0;
		let replications = 0;
		for (let trial = 0; trial < trials; trial++) {
			const random = seedrandom(`decoy/${trial}`);
			const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
			const draw = (id: number, n: number) => Array.from({ length: n }, () => means[id] + 2 * normal());
			const result = await selectBest(
				new Map(means.map((_, id) => [id, draw(id, 4)])),
				async (ids, from, to) => ids.map((id) => draw(id, to - from)),
				{ probability: 0.9, indifference: 0.5, maxReplications: 5000 }
			);
			expect(result.separated).toBe(true);
			if (result.best === 0) correct++;
			replications += [...result.values.values()].reduce((s, v) => s + v.length, 0);
		}
		// 0.9 less two binomial standard errors (0.021): a procedure that kept its promise fails this about 2% of the time at worst.
		expect(correct / trials).toBeGreaterThanOrEqual(0.9 - 2 * Math.sqrt((0.9 * 0.1) / trials));
	});

	it('ranking and selection that runs out of replications says so, and still reports the probability the best is best', async () => {
		const random = seedrandom('budget');
		const draw = (mean: number, n: number) => Array.from({ length: n }, () => mean + 2 * (random() - 0.5));
		const result = await selectBest(
			new Map([[0, draw(10.01, 5)], [1, draw(10, 5)]]),
			async (ids, from, to) => ids.map((id) => draw(id === 0 ? 10.01 : 10, to - from)),
			{ probability: 0.95, indifference: 0.001, maxReplications: 20 }
		);
		expect(result.budgetSpent).toBe(true);
		expect(result.separated).toBe(false);
		expect(result.values.get(0)!.length).toBe(20);
		expect(result.probabilityBest).toBeGreaterThan(0);
		expect(result.probabilityBest).toBeLessThan(0.95);
	});

	it('a cancel keeps the settings already evaluated and says the run stopped early', async () => {
		const spec = optimiseSchema.parse({ decisions: [startDay], objective: { metric: 'grossProfit' }, replications: 2, batchSize: 2, evaluations: 10, initialEvaluations: 4 });
		let calls = 0;
		// The pool rejects a cancelled batch with a CancelledError; here the second search batch is cancelled.
		const cancelling: typeof runJobsHere = async (jobs, options) => {
			if (++calls === 3) throw Object.assign(new Error('the run was cancelled'), { name: 'CancelledError' });
			return runJobsHere(jobs, options);
		};
		const report = await optimise(spec, parseScenario(discountScenario(300)), cancelling);
		expect(report.meta.stoppedEarly).toBe(true);
		expect(report.meta.evaluations).toBe(6);
		expect(report.history.map((h) => h.batch)).toEqual([0, 0, 0, 0, 1, 1]);
		expect(report.selection).toBeNull();
		expect(report.best).not.toBeNull();
	});
});
