/** The late-discount scenario of tests/experiment/optimise.test.ts (its profit optimum is derived there on paper), for the optimise tests. */
import type { ScenarioInput } from '../../src/lib/engine/scenario/schema';

const labels = (en: string) => ({ en, 'zh-CN': en });

/** Purchase rate λ (a day), dropout chance p, discount rate multiplier M, margin m, discount share s, horizon T, Gamma shape r of λ. */
export const LATE_DISCOUNT = { LAMBDA: 0.05, P: 0.1, M: 3, MARGIN: 0.4, SHARE: 0.1, T: 365, R: 100 };

/** N customers who all bought on day 0, a limited-time discount from day 300 (policy 0) to the horizon. */
export function discountScenario(customers: number, seed = 5): ScenarioInput {
	const { LAMBDA, M, MARGIN, SHARE, T, R } = LATE_DISCOUNT;
	return {
		schema: 'lifecycle-lab/scenario@1',
		name: 'late-discount',
		labels: labels('Late discount'),
		horizonDays: T,
		seed,
		dormancyDays: 3650,
		population: { initial: customers, initialStages: { buyer: 1 } },
		stages: [
			{ id: 'lead', kind: 'prospect', labels: labels('Lead') },
			{ id: 'buyer', kind: 'customer', enterAtPurchase: 1, labels: labels('Buyer') },
			{ id: 'churned', kind: 'churned', labels: labels('Churned') }
		],
		segments: [
			{
				id: 'all',
				labels: labels('all'),
				share: 1,
				purchaseRate: { r: R, alphaDays: R / LAMBDA },
				// p ~ Beta(1000, 9000): mean 0.1, CV 3%.
				dropout: { a: 1000, b: 9000 },
				spend: { model: 'gammaGamma', p: 6, q: 4, gamma: 60 }
			}
		],
		economics: { currency: 'CNY', grossMargin: MARGIN },
		policies: [{ type: 'limitedTimeDiscount', id: 'late_discount', startDay: 300, discountShare: SHARE, purchaseRateMultiplier: M }]
	};
}

