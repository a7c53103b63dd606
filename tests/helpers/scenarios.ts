/** Small scenarios for tests, built in code so each test shows what it sets. */
import type { ScenarioInput } from '../../src/lib/engine/scenario/schema';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { readFileSync } from 'node:fs';

const labels = (en: string) => ({ en, 'zh-CN': en });

/** A funnel with no purchases that matter: three prospect stages, a first-purchase stage and churn. */
export function funnelScenario(initial: number, horizonDays = 120): ScenarioInput {
	return {
		schema: 'lifecycle-lab/scenario@1',
		name: 'funnel-only',
		labels: labels('Funnel only'),
		horizonDays,
		seed: 7,
		dormancyDays: 3650,
		population: { initial, initialStages: { aware: 0.7, interested: 0.2, considering: 0.1 } },
		stages: [
			{ id: 'aware', kind: 'prospect', labels: labels('Aware'), transitions: [{ to: 'interested', dailyProbability: 0.05 }, { to: 'churned', dailyProbability: 0.02 }] },
			{ id: 'interested', kind: 'prospect', labels: labels('Interested'), transitions: [{ to: 'considering', dailyProbability: 0.08 }, { to: 'aware', dailyProbability: 0.01 }, { to: 'churned', dailyProbability: 0.03 }] },
			{ id: 'considering', kind: 'prospect', labels: labels('Considering'), transitions: [{ to: 'buyer', dailyProbability: 0.1 }, { to: 'churned', dailyProbability: 0.05 }] },
			{ id: 'buyer', kind: 'customer', enterAtPurchase: 1, labels: labels('First purchase') },
			{ id: 'repeat', kind: 'customer', enterAtPurchase: 2, labels: labels('Repeat') },
			{ id: 'churned', kind: 'churned', labels: labels('Churned') }
		],
		// Purchases so rare (mean rate 1e-8 a day) that buyers stay where they are.
		segments: [segment('all', 1, { r: 0.01, alphaDays: 1e6 })],
		economics: { currency: 'CNY', grossMargin: 0.3 }
	};
}

/** A cohort that all make their first purchase at time 0, then buy and drop out as BG/NBD says. */
export function purchaseCohortScenario(initial: number, params: { r: number; alphaDays: number; a: number; b: number }, horizonDays: number): ScenarioInput {
	return {
		schema: 'lifecycle-lab/scenario@1',
		name: 'purchase-cohort',
		labels: labels('Purchase-only cohort'),
		horizonDays,
		seed: 11,
		dormancyDays: 60,
		population: { initial, initialStages: { buyer: 1 } },
		stages: [
			{ id: 'lead', kind: 'prospect', labels: labels('Lead') },
			{ id: 'buyer', kind: 'customer', enterAtPurchase: 1, labels: labels('First purchase') },
			{ id: 'repeat', kind: 'customer', enterAtPurchase: 2, labels: labels('Repeat') },
			{ id: 'dormant', kind: 'lapsed', labels: labels('Dormant') },
			{ id: 'churned', kind: 'churned', labels: labels('Churned') }
		],
		segments: [{ ...segment('all', 1, { r: params.r, alphaDays: params.alphaDays }), dropout: { a: params.a, b: params.b } }],
		economics: { currency: 'USD', grossMargin: 0.25 }
	};
}

export function segment(id: string, share: number, purchaseRate: { r: number; alphaDays: number }) {
	return {
		id,
		labels: labels(id),
		share,
		purchaseRate,
		dropout: { a: 1.2, b: 3 },
		spend: { model: 'gammaGamma' as const, p: 6, q: 4, gamma: 60 }
	};
}

/** A built-in scenario from scenarios/, validated. */
export function builtIn(name: string, patch: (raw: ScenarioInput) => void = () => {}) {
	const raw = JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'));
	patch(raw);
	return parseScenario(raw);
}
