/**
 * The compiled model: a validated scenario turned once into the flat tables
 * the event loop reads (stage kinds, transition rates, segment parameters),
 * so the hot loop never looks up an id or re-checks a value.
 */
import type { Scenario } from './scenario/schema';

export const PROSPECT = 0;
export const CUSTOMER = 1;
export const LAPSED = 2;
export const CHURNED = 3;
const KIND_CODE = { prospect: PROSPECT, customer: CUSTOMER, lapsed: LAPSED, churned: CHURNED } as const;

export const SPEND_GAMMA_GAMMA = 0;
export const SPEND_LOGNORMAL = 1;

/** How a segment's customers leave for good: after a repeat purchase (BG/NBD), also at the first one (MBG/NBD), or at an unseen time (Pareto/NBD). */
export const DROPOUT_BGNBD = 0;
export const DROPOUT_MBGNBD = 1;
export const DROPOUT_PARETO_NBD = 2;
const DROPOUT_CODE = { bgnbd: DROPOUT_BGNBD, mbgnbd: DROPOUT_MBGNBD, paretoNbd: DROPOUT_PARETO_NBD } as const;

/** Everything the engine needs from a scenario, as arrays indexed by stage, transition or segment. */
export interface Model {
	scenario: Scenario;
	horizonDays: number;
	stageIds: string[];
	stageKind: Uint8Array;
	/** Transitions of stage s are indices transitionStart[s] .. transitionStart[s + 1] − 1. */
	transitionStart: Int32Array;
	transitionTarget: Int32Array;
	/** Rate per day, −ln(1 − dailyProbability). */
	transitionHazard: Float64Array;
	entryStage: number;
	churnedStage: number;
	/** −1 when the scenario has no lapsed stage. */
	lapsedStage: number;
	/** Purchase count at which a customer stage is entered; 0 when entered otherwise. */
	stageEnterAt: Int32Array;
	stageInvites: Uint8Array;
	/** The ladder stage for a purchase count (index capped at the highest threshold). */
	stageForPurchases: Int32Array;
	segmentIds: string[];
	segmentShareCumulative: Float64Array;
	purchaseShape: Float64Array;
	purchaseAlphaDays: Float64Array;
	dropoutModel: Uint8Array;
	/** Beta(a, b) of the dropout chance (BG/NBD, MBG/NBD); 0 for Pareto/NBD. */
	dropoutA: Float64Array;
	dropoutB: Float64Array;
	/** Gamma(s, β) of the Pareto/NBD dropout rate, β in days; 0 for the other models. */
	lifetimeShape: Float64Array;
	lifetimeBetaDays: Float64Array;
	/** True when some segment is Pareto/NBD, whose deaths are deadlines: the others skip the check. */
	lifetimes: boolean;
	spendModel: Uint8Array;
	spendP: Float64Array;
	spendQ: Float64Array;
	spendGamma: Float64Array;
	spendMean: Float64Array;
	spendSigma: Float64Array;
	invitesPerDay: Float64Array;
	inviteConversion: Float64Array;
	initialStages: Int32Array;
	initialStageCumulative: Float64Array;
	grossMargin: number;
	/** −1 when the scenario has no referral channel. */
	referralChannel: number;
	channelIds: string[];
	channelStartStage: Int32Array;
}

/** Compiles a validated scenario; the scenario object is kept, not copied. */
export function compileModel(scenario: Scenario): Model {
	const stages = scenario.stages;
	const index = new Map(stages.map((s, i) => [s.id, i]));
	const stageKind = Uint8Array.from(stages, (s) => KIND_CODE[s.kind]);
	const transitionStart = new Int32Array(stages.length + 1);
	const targets: number[] = [];
	const hazards: number[] = [];
	stages.forEach((s, i) => {
		transitionStart[i] = targets.length;
		for (const t of s.transitions) {
			targets.push(index.get(t.to)!);
			hazards.push(-Math.log1p(-t.dailyProbability));
		}
	});
	transitionStart[stages.length] = targets.length;

	const stageEnterAt = Int32Array.from(stages, (s) => s.enterAtPurchase ?? 0);
	const maxThreshold = Math.max(...stageEnterAt);
	const stageForPurchases = new Int32Array(maxThreshold + 1).fill(-1);
	for (let count = 1; count <= maxThreshold; count++) {
		let best = -1;
		stageEnterAt.forEach((at, s) => {
			if (at > 0 && at <= count && (best < 0 || at > stageEnterAt[best])) best = s;
		});
		stageForPurchases[count] = best;
	}

	const segs = scenario.segments;
	const perSegment = (f: (s: (typeof segs)[number]) => number) => Float64Array.from(segs, f);
	const initialEntries = Object.entries(scenario.population.initialStages).filter(([, share]) => share > 0);

	return {
		scenario,
		horizonDays: scenario.horizonDays,
		stageIds: stages.map((s) => s.id),
		stageKind,
		transitionStart,
		transitionTarget: Int32Array.from(targets),
		transitionHazard: Float64Array.from(hazards),
		entryStage: stages.findIndex((s) => s.kind === 'customer' && s.enterAtPurchase === 1),
		churnedStage: stages.findIndex((s) => s.kind === 'churned'),
		lapsedStage: stages.findIndex((s) => s.kind === 'lapsed'),
		stageEnterAt,
		stageInvites: Uint8Array.from(stages, (s) => (s.invites ? 1 : 0)),
		stageForPurchases,
		segmentIds: segs.map((s) => s.id),
		segmentShareCumulative: cumulative(segs.map((s) => s.share)),
		purchaseShape: perSegment((s) => s.purchaseRate.r),
		purchaseAlphaDays: perSegment((s) => s.purchaseRate.alphaDays),
		dropoutModel: Uint8Array.from(segs, (s) => DROPOUT_CODE[s.dropout.model ?? 'bgnbd']),
		dropoutA: perSegment((s) => (s.dropout.model === 'paretoNbd' ? 0 : s.dropout.a)),
		dropoutB: perSegment((s) => (s.dropout.model === 'paretoNbd' ? 0 : s.dropout.b)),
		lifetimeShape: perSegment((s) => (s.dropout.model === 'paretoNbd' ? s.dropout.s : 0)),
		lifetimeBetaDays: perSegment((s) => (s.dropout.model === 'paretoNbd' ? s.dropout.betaDays : 0)),
		lifetimes: segs.some((s) => s.dropout.model === 'paretoNbd'),
		spendModel: Uint8Array.from(segs, (s) => (s.spend.model === 'gammaGamma' ? SPEND_GAMMA_GAMMA : SPEND_LOGNORMAL)),
		spendP: perSegment((s) => (s.spend.model === 'gammaGamma' ? s.spend.p : 0)),
		spendQ: perSegment((s) => (s.spend.model === 'gammaGamma' ? s.spend.q : 0)),
		spendGamma: perSegment((s) => (s.spend.model === 'gammaGamma' ? s.spend.gamma : 0)),
		spendMean: perSegment((s) => (s.spend.model === 'lognormal' ? s.spend.meanOrderValue : (s.spend.p * s.spend.gamma) / (s.spend.q - 1))),
		spendSigma: perSegment((s) => (s.spend.model === 'lognormal' ? s.spend.sigma : 0)),
		invitesPerDay: perSegment((s) => s.referral.invitesPerYear / 365),
		inviteConversion: perSegment((s) => s.referral.conversion),
		initialStages: Int32Array.from(initialEntries, ([id]) => index.get(id)!),
		initialStageCumulative: cumulative(initialEntries.map(([, share]) => share)),
		grossMargin: scenario.economics.grossMargin,
		referralChannel: scenario.channels.findIndex((c) => c.kind === 'referral'),
		channelIds: scenario.channels.map((c) => c.id),
		channelStartStage: Int32Array.from(scenario.channels, (c) => index.get(c.startStage)!)
	};
}

/** Running sums, for categorical draws. */
export function cumulative(weights: number[]): Float64Array {
	const out = new Float64Array(weights.length);
	let sum = 0;
	weights.forEach((w, i) => (out[i] = sum += w));
	return out;
}
