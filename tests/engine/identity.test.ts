/**
 * Common random numbers customer by customer: a customer whom a variant does
 * not touch, and who descends (by referral) from no touched customer, lives
 * the same life in both runs, whoever else joined or did not.
 *
 * The test names customers by origin itself (day-0 number; channel, day and
 * ordinal of arrival; referrer and the referrer's event counter at the
 * invitation), so it does not rely on the engine's own identities.
 */
import { describe, expect, it } from 'vitest';
import { createShardSimulation } from '../../src/lib/engine/run';
import { RISK_INVITE_CONVERSION, RISK_PURCHASE, type Policy } from '../../src/lib/engine/policies/policy';
import type { Simulation } from '../../src/lib/engine/simulation';
import { builtIn } from '../helpers/scenarios';
import { ORIGIN_CHANNEL, ORIGIN_INITIAL, identityFromPrefix, identityHigh, identityLow, identityPrefix, initialIdentityHigh, initialIdentityLow } from '../../src/lib/engine/identity';

/** industry-average at a tenth of its size: 3,000 people on day 0, 150 ad prospects a day, a year, with referrals. */
const scenario = builtIn('industry-average', (raw) => {
	raw.population.initial = 3000;
	raw.channels![0].prospectsPerDay = 150;
	raw.seed = 2024;
});

/** Names every customer by origin and writes down each one's history (a measurement policy: changes nothing). */
class HistoryRecorder implements Policy {
	readonly id = 'history-recorder';
	readonly risks = [] as const;
	/** Origin label by position. */
	readonly labels: string[] = [];
	/** History by position: stage moves, orders and invitations with their times. */
	readonly histories: string[][] = [];

	attach(sim: Simulation): void {
		// Day-0 people are placed after attach, so they are named at the first beginDay.
		void sim;
	}

	private name(sim: Simulation, day: number): void {
		const pop = sim.population;
		const perChannel = new Map<number, number>();
		for (let a = this.labels.length; a < pop.size; a++) {
			if (this.labels[a] !== undefined) continue;
			if (day === 0 && a < sim.part.initialAgents) this.labels[a] = `day0:${a}`;
			else {
				const ordinal = perChannel.get(pop.channel(a)) ?? 0;
				perChannel.set(pop.channel(a), ordinal + 1);
				this.labels[a] = `channel${pop.channel(a)}:${day}:${ordinal}`;
			}
			this.histories[a] = [];
		}
	}

	beginDay(sim: Simulation, day: number): void {
		// Channels come before this policy, so today's arrivals are all in.
		this.name(sim, day);
	}

	onReferral(sim: Simulation, inviter: number, invitee: number): void {
		this.labels[invitee] = `${this.labels[inviter]}>${sim.population.randomDraws(inviter)}`;
		this.histories[invitee] = [];
	}

	onStageChange(_sim: Simulation, agent: number, from: number, to: number, time: number): void {
		this.histories[agent].push(`stage ${from}>${to} @${time}`);
	}

	onOrder(_sim: Simulation, agent: number, time: number, value: number): number {
		this.histories[agent].push(`order ${value} @${time}`);
		return 0;
	}

	onInvite(_sim: Simulation, agent: number, time: number): void {
		this.histories[agent].push(`invite @${time}`);
	}

	/** History by origin label. */
	byLabel(): Map<string, string> {
		return new Map(this.labels.map((label, a) => [label, this.histories[a].join('; ')]));
	}
}

function run(extra: Policy[] = []): HistoryRecorder {
	const recorder = new HistoryRecorder();
	createShardSimulation(scenario, { replication: 0, shard: 0 }, [...extra, recorder]).run();
	return recorder;
}

/** Labels whose history differs between the runs, among those neither touched nor descended from a touched customer. */
function untouchedDifferences(control: Map<string, string>, variant: Map<string, string>, touched: string[]): string[] {
	const affected = (label: string) => touched.some((t) => label === t || label.startsWith(`${t}>`));
	const differ: string[] = [];
	for (const [label, history] of control) {
		if (!affected(label) && variant.get(label) !== history) differ.push(label);
	}
	for (const label of variant.keys()) if (!affected(label) && !control.has(label)) differ.push(label);
	return differ;
}

/** Triples the funnel and purchase rates of a few day-0 people, for the whole year. */
class Boost implements Policy {
	readonly id = 'boost';
	readonly risks = ['transition', 'purchase'] as const;
	constructor(private readonly people: Set<number>) {}
	rateMultiplier(sim: Simulation, agent: number, risk: number): number {
		return this.people.has(agent) && agent < sim.part.initialAgents && (risk >= 0 || risk === RISK_PURCHASE) ? 3 : 1;
	}
}

/** Makes one customer's first invitation (from a given time on) convert for sure: one more referred friend. */
class OneMoreFriend implements Policy {
	readonly id = 'one-more-friend';
	readonly risks = ['inviteConversion'] as const;
	private done = false;
	constructor(
		private readonly recorder: HistoryRecorder,
		private readonly inviter: string
	) {}
	rateMultiplier(sim: Simulation, agent: number, risk: number): number {
		return !this.done && risk === RISK_INVITE_CONVERSION && this.recorder.labels[agent] === this.inviter ? 1e9 : 1;
	}
	onReferral(_sim: Simulation, inviter: number): void {
		if (this.recorder.labels[inviter] === this.inviter) this.done = true;
	}
}

describe('common random numbers hold customer by customer', () => {
	const control = run();
	const controlHistories = control.byLabel();

	it('names every customer once (the test oracle itself)', () => {
		expect(new Set(control.labels).size).toBe(control.labels.length);
		expect(control.labels.length).toBeGreaterThan(10_000);
		expect(control.labels.some((l) => l.includes('>'))).toBe(true);
	});

	it('leaves untouched customers alone when a variant changes a few day-0 people', () => {
		const people = [3, 17, 29, 101, 257];
		const variant = run([new Boost(new Set(people))]);
		const touched = people.map((a) => `day0:${a}`);
		const histories = variant.byLabel();
		// The variant really changed the touched people's lives.
		expect(touched.filter((t) => histories.get(t) !== controlHistories.get(t)).length).toBeGreaterThan(0);
		expect(untouchedDifferences(controlHistories, histories, touched)).toEqual([]);
	});

	it('leaves untouched customers alone when a variant adds one referred friend early in the year', () => {
		// The customer whose first invitation came earliest among those who brought nobody in control.
		const labels = [...controlHistories.keys()];
		const parents = new Set(labels.filter((l) => l.includes('>')).map((l) => l.slice(0, l.lastIndexOf('>'))));
		const first = labels
			.filter((label) => !parents.has(label))
			.map((label) => ({ label, time: Number(/invite @([\d.e-]+)/.exec(controlHistories.get(label)!)?.[1] ?? Infinity) }))
			.sort((a, b) => a.time - b.time)[0];
		expect(first.time).toBeLessThan(120);
		const variantRecorder = new HistoryRecorder();
		createShardSimulation(scenario, { replication: 0, shard: 0 }, [new OneMoreFriend(variantRecorder, first.label), variantRecorder]).run();
		const histories = variantRecorder.byLabel();
		const friends = [...histories.keys()].filter((l) => l.startsWith(`${first.label}>`) && !controlHistories.has(l));
		expect(friends.length).toBeGreaterThanOrEqual(1);
		expect(untouchedDifferences(controlHistories, histories, [first.label])).toEqual([]);
	});
});

describe('identity shortcuts', () => {
	it('give the same identities as the full hash', () => {
		const out = new Int32Array(2);
		for (const [a, b] of [[0, 0], [-123456789, 364], [0x7fffffff, 1]]) {
			identityPrefix(ORIGIN_CHANNEL, a, b, out);
			for (const c of [0, 1, 77, 65535]) {
				expect(identityFromPrefix(out[0], c)).toBe(identityHigh(ORIGIN_CHANNEL, a, b, c));
				expect(identityFromPrefix(out[1], c)).toBe(identityLow(ORIGIN_CHANNEL, a, b, c));
			}
		}
		for (const i of [0, 1, 16383, 999_999]) {
			expect(initialIdentityHigh(i)).toBe(identityHigh(ORIGIN_INITIAL, i, 0, 0));
			expect(initialIdentityLow(i)).toBe(identityLow(ORIGIN_INITIAL, i, 0, 0));
		}
	});
});
