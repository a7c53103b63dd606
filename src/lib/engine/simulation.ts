/**
 * The event loop. Each agent holds the time of its next event, drawn from
 * competing exponential risks (funnel moves, purchases, invitations) or a
 * deadline (dormancy, a policy's timer), and is filed in the calendar under
 * that day. A day visits only the agents with an event that day; daily series
 * are accumulated from the events, stage counts are kept as running totals.
 */
import { Calendar } from './calendar';
import {
	CUSTOMER,
	DROPOUT_MBGNBD,
	DROPOUT_PARETO_NBD,
	LAPSED,
	PROSPECT,
	SPEND_GAMMA_GAMMA,
	type Model
} from './model';
import { SERIES_ROW, TOTAL_AGENTS, TOTAL_AGENT_DAYS, TOTAL_EVENTS, createOutput, type RunOutput } from './output';
import { expectedAgents, maxAgents, shardCapacity } from './memory';
import {
	ALIVE,
	DEADLINE_NEXT,
	NO_CHANNEL,
	Population,
	CHANNEL, DEADLINE_DRAWS, DROPOUT_TRAIT, FIRST_PURCHASE_TIME, FLAGS, ID_HIGH, ID_LOW, LAST_PURCHASE_TIME, NEXT_TIME, PURCHASES, PURCHASE_RATE, RANDOM_DRAWS, RANDOM_RATE, RANDOM_TIME, SPEND_RATE } from './population';
import { RISK_DROPOUT, RISK_INVITE, RISK_INVITE_CONVERSION, RISK_KINDS, RISK_PURCHASE, type Policy, type SimulationPart, type SimulationView } from './policies/policy';
import { ORIGIN_CHANNEL, ORIGIN_REFERRAL, channelKey, identityFromPrefix, identityHigh, identityLow, identityPrefix, initialIdentityHigh, initialIdentityLow } from './identity';
import { categorical, createStream, exponential, keyStream, keySubstream, normal, standardGamma, streamSeed, uniform, beta, type RandomStream } from './random';

export type { SimulationPart } from './policies/policy';

const MAX_RISKS = 40;
/** Agents whose records are read ahead at once (see touchRecords): a few hundred cache lines, which stay in the first-level cache until used. */
const TOUCH_BATCH = 64;
/** A guard, not a limit a real scenario reaches: rates are bounded, so this many events in one day means a stuck deadline. */
const MAX_EVENTS_PER_AGENT_DAY = 100_000;

export class Simulation implements SimulationView {
	readonly population: Population;
	readonly output: RunOutput;
	/** Share of channel inflows and daily costs that falls to this shard. */
	readonly shardShare: number;
	/** The current agent's stream: keyed to (agent, draw counter) before each of its events. */
	readonly rng: RandomStream = new Int32Array(4);
	/** Key of this run's agent streams. */
	private readonly streamKey: RandomStream;
	/** Stream for arrivals: the day-0 people's stages and segments, then each channel's day (keyed by keyArrivals). */
	readonly arrivalRng: RandomStream;
	/** Key of the channels' arrival streams. */
	private readonly arrivalKey: RandomStream;
	/** The identity hashes of (channel, day) of the last arrival, high and low word (identityPrefix). */
	private readonly arrivalPrefix = new Int32Array(2);
	private prefixChannel = -1;
	private prefixDay = -1;
	/** Channel keys by channel index (hashes of the ids), for arrival identities and streams. */
	private readonly channelKeys: Int32Array;
	/** The day being simulated (the next one, between steps). */
	day = 0;
	/** Time of the event being handled, in days; policies read it to know whether their window is open. */
	now = 0;
	/** People per stage right now. */
	readonly stageCounts: Int32Array;
	private readonly calendar: Calendar;
	private readonly days: number;
	private readonly rates = new Float64Array(MAX_RISKS);
	/** Sum of the ceilings of the rates computeRates last filled (their sum when nothing thins). */
	private ceilingTotal = 0;
	/** Sum of the rates computeRates last filled. */
	private rateTotal = 0;
	/**
	 * The factor the last *Factor() call computed, and its ceiling (rateCeiling,
	 * or the factor itself when nothing thins). Kept in fields, not returned:
	 * a number returned from a call the compiler does not inline is boxed on the heap, on every event.
	 */
	private factor = 1;
	private ceilingFactor = 1;
	/** The sum touchRecords read (of no use but to keep its reads). */
	private touched = 0;
	/** True when a policy draws at a ceiling and thins (rateCeiling). */
	private readonly thinning: boolean;
	private readonly activeDelta: Int32Array;
	private activeCustomers = 0;
	/** Policies that scale each kind of risk, by RISK_KINDS index. */
	private readonly rateModifiers: Policy[][];
	private readonly rateAdders: Policy[];
	private readonly orderAdjusters: Policy[];
	private readonly referralPolicies: Policy[];
	private readonly invitePolicies: Policy[];
	private readonly deadlinePolicies: Policy[];
	/** The deadline policies that may act on someone who has not bought yet (see Policy.buyersOnly). */
	private readonly prospectDeadlinePolicies: Policy[];
	private readonly dayPolicies: Policy[];
	private readonly orderPolicies: Policy[];
	private readonly firstPurchasePolicies: Policy[];
	private readonly stageChangePolicies: Policy[];
	private readonly activeWindow: number;
	private readonly repurchaseWindow: number;
	private readonly ltvHorizon: number;
	private readonly periodDays: number;
	private readonly dormancyDays: number;

	constructor(
		readonly model: Model,
		readonly policies: Policy[],
		readonly part: SimulationPart,
		/** Room to make for referrals: the population's first capacity is this times what its inflow brings. */
		expectedGrowth = 1
	) {
		const scenario = model.scenario;
		this.days = model.horizonDays;
		this.shardShare = 1 / part.shards;
		this.streamKey = createStream(streamSeed(part.seed, part.replication, part.shard, 'agents'));
		this.arrivalRng = createStream(streamSeed(part.seed, part.replication, part.shard, 'arrivals'));
		this.arrivalKey = createStream(streamSeed(part.seed, part.replication, part.shard, 'channels'));
		this.channelKeys = Int32Array.from(model.channelIds, channelKey);
		this.calendar = new Calendar(this.days);
		const expected = expectedAgents(model.scenario, part.initialAgents, part.shards);
		this.population = new Population(shardCapacity(model.scenario, part.initialAgents, part.shards, expectedGrowth));
		this.population.maxAgents = Math.max(maxAgents(expected), this.population.capacity);
		this.output = createOutput(this.days, model.stageIds.length, scenario.metrics.cohortPeriodDays);
		this.stageCounts = new Int32Array(model.stageIds.length);
		this.activeWindow = scenario.metrics.activeWindowDays;
		this.activeDelta = new Int32Array(this.days + this.activeWindow + 2);
		this.repurchaseWindow = scenario.metrics.repurchaseWindowDays;
		this.ltvHorizon = scenario.metrics.ltvHorizonDays;
		this.periodDays = scenario.metrics.cohortPeriodDays;
		this.dormancyDays = model.lapsedStage >= 0 ? scenario.dormancyDays : Infinity;
		this.rateModifiers = RISK_KINDS.map((kind) => policies.filter((p) => p.rateMultiplier && (!p.risks || p.risks.includes(kind))));
		this.rateAdders = policies.filter((p) => p.extraRate);
		this.thinning = policies.some((p) => p.rateCeiling);
		this.orderAdjusters = policies.filter((p) => p.adjustOrderValue);
		this.referralPolicies = policies.filter((p) => p.onReferral);
		this.invitePolicies = policies.filter((p) => p.onInvite);
		this.deadlinePolicies = policies.filter((p) => p.deadline);
		this.prospectDeadlinePolicies = this.deadlinePolicies.filter((p) => !p.buyersOnly);
		this.dayPolicies = policies.filter((p) => p.beginDay);
		this.orderPolicies = policies.filter((p) => p.onOrder);
		this.firstPurchasePolicies = policies.filter((p) => p.onFirstPurchase);
		this.stageChangePolicies = policies.filter((p) => p.onStageChange);
		for (const policy of policies) policy.attach?.(this);
		this.placeInitialPopulation();
	}

	/** True once every day of the horizon has been simulated. */
	get finished(): boolean {
		return this.day >= this.days;
	}

	/** Simulates one day. */
	step(): void {
		if (this.finished) return;
		const day = this.day;
		this.now = day;
		for (let i = 0; i < this.dayPolicies.length; i++) this.dayPolicies[i].beginDay!(this, day);
		const calendar = this.calendar;
		calendar.sortDay(day);
		// The bucket grows while it is read: people referred today are filed under today, after the sorted part.
		for (let i = 0; i < calendar.length(day); i++) {
			if (i % TOUCH_BATCH === 0) this.touchRecords(day, i, Math.min(i + TOUCH_BATCH, calendar.length(day)));
			this.processAgent(calendar.entry(day, i), day);
		}
		calendar.release(day);
		this.closeDay(day);
		this.day++;
	}

	/**
	 * Reads every cache line of the records (and stage and segment) of the
	 * day's agents `from` to `to` before their events are handled. The agents
	 * are a sparse few among many, so each record is a cache miss; these reads
	 * do not depend on one another, so the processor overlaps their misses,
	 * where the events would wait on them one at a time. A batch at a time:
	 * a whole day's records (a megabyte with policy columns) left the cache
	 * before their turn came.
	 */
	private touchRecords(day: number, from: number, to: number): void {
		const calendar = this.calendar;
		const pop = this.population;
		const f64 = pop.f64;
		const stride8 = pop.stride8;
		let sum = 0;
		for (let i = from; i < to; i++) {
			const agent = calendar.entry(day, i);
			const r = agent * stride8;
			for (let k = 0; k < stride8; k += 8) sum += f64[r + k];
			sum += f64[r + stride8 - 1] + pop.stage[agent] + pop.segment[agent];
		}
		// Kept, so the reads are not optimised away.
		this.touched = sum;
	}

	/** Simulates to the horizon and returns the output. */
	run(): RunOutput {
		while (!this.finished) this.step();
		return this.output;
	}

	/**
	 * Keys arrivalRng to a channel's day, so each channel-day draws its arrivals
	 * from a stream of its own: a variant that changes one channel leaves the others' arrivals alone.
	 */
	keyArrivals(channel: number, day: number): void {
		keySubstream(this.arrivalRng, this.arrivalKey, this.channelKeys[channel], day);
	}

	/** Adds the `ordinal`-th prospect of a channel's day, arriving at `time`; returns its index. */
	addArrival(stage: number, segment: number, channel: number, time: number, ordinal: number): number {
		const day = Math.floor(time);
		// A channel's arrivals of one day share (channel, day): hash that once, then each ordinal.
		if (channel !== this.prefixChannel || day !== this.prefixDay) {
			this.prefixChannel = channel;
			this.prefixDay = day;
			identityPrefix(ORIGIN_CHANNEL, this.channelKeys[channel], day, this.arrivalPrefix);
		}
		const prefix = this.arrivalPrefix;
		return this.addProspect(stage, segment, channel, time, identityFromPrefix(prefix[0], ordinal), identityFromPrefix(prefix[1], ordinal));
	}

	/** Adds a prospect with a given identity arriving at `time`; returns its index. */
	private addProspect(stage: number, segment: number, channel: number, time: number, idHigh: number, idLow: number): number {
		const a = this.population.add(stage, segment, channel, idHigh, idLow);
		this.stageCounts[stage]++;
		this.addToSeries(SERIES_ROW.prospectsAcquired, time, 1);
		this.now = time;
		this.drawNext(a, time, false);
		this.calendar.schedule(a, this.population.f64[a * this.population.stride8 + NEXT_TIME]);
		return a;
	}

	/** Draws the agent's next event anew from `time` (after a policy changed its rates). */
	redraw(agent: number, time: number): void {
		if (this.population.stage[agent] === this.model.churnedStage && !this.deadlinePolicies.length) return;
		// A day already processed has no bucket to file into; policies redraw at a day's start or at the agent's own event.
		if (time < this.day) throw new RangeError(`redraw of agent ${agent} at ${time}, before day ${this.day}`);
		this.now = time;
		this.drawNext(agent, time, false);
		this.calendar.schedule(agent, this.population.f64[agent * this.population.stride8 + NEXT_TIME]);
	}

	/**
	 * A fresh exponential for an agent whose stream is not the current one (a
	 * redraw, a new arrival): keyed only when a draw is needed, so a redraw that
	 * only rescales a pending time leaves the agent's draw counter, and its later life, alone.
	 */
	private exponentialFor(agent: number): number {
		// Word by word: four copies cost less than a call to set().
		const rng = this.rng;
		const s0 = rng[0];
		const s1 = rng[1];
		const s2 = rng[2];
		const s3 = rng[3];
		this.keyRandom(agent);
		const draw = exponential(rng);
		rng[0] = s0;
		rng[1] = s1;
		rng[2] = s2;
		rng[3] = s3;
		return draw;
	}

	/** Keys the stream to the agent's next random-event draw sequence. */
	private keyRandom(agent: number): void {
		const pop = this.population;
		keyStream(this.rng, this.streamKey, pop.i32[agent * pop.stride4 + ID_HIGH], pop.i32[agent * pop.stride4 + ID_LOW], pop.u32[agent * pop.stride4 + RANDOM_DRAWS]++);
	}

	/** Books a programme cost on the day of `time` (row: COST_ROW[kind]). */
	bookCost(row: number, time: number, amount: number): void {
		const day = Math.min(Math.floor(time), this.days - 1);
		this.output.costs[row * this.days + day] += amount;
		this.output.series[SERIES_ROW.programmeCost * this.days + day] += amount;
	}

	/** Books acquisition spend on the day of `time`. */
	bookAcquisition(time: number, amount: number): void {
		this.addToSeries(SERIES_ROW.acquisitionSpend, time, amount);
	}

	/** True for a customer who has bought and has not left for good (whatever stage they are in). */
	isLiveCustomer(agent: number): boolean {
		return (this.population.u8[agent * this.population.stride + FLAGS] & ALIVE) !== 0;
	}

	/** Moves an agent to another stage, keeping the counts and telling the policies. */
	setStage(agent: number, to: number, time: number): void {
		const pop = this.population;
		const from = pop.stage[agent];
		if (from === to) return;
		pop.stage[agent] = to;
		this.stageCounts[from]--;
		this.stageCounts[to]++;
		this.output.flows[from * this.stageCounts.length + to]++;
		for (let i = 0; i < this.stageChangePolicies.length; i++) this.stageChangePolicies[i].onStageChange!(this, agent, from, to, time);
	}

	/** Adds to a daily series, by its row, on the day of `time`: the engine's and the policies' calls name rows as constants, with no lookup by name. */
	addToSeries(row: number, time: number, amount: number): void {
		const day = Math.min(Math.floor(time), this.days - 1);
		this.output.series[row * this.days + day] += amount;
	}

	private placeInitialPopulation(): void {
		const model = this.model;
		const n = this.part.initialAgents;
		const stages = new Uint8Array(n);
		const segments = new Uint8Array(n);
		drawInitialPeople(this.arrivalRng, model, stages, segments);
		const inert = this.inertStages();
		const pop = this.population;
		for (let i = 0; i < n; i++) {
			const stage = stages[i];
			const a = pop.add(stage, segments[i], NO_CHANNEL, initialIdentityHigh(i), initialIdentityLow(i));
			this.stageCounts[stage]++;
			if (inert[stage]) {
				// What drawNext would leave: no random event, no deadline (both at infinity, the deadline counted as next), nothing filed.
				pop.u8[a * pop.stride + FLAGS] |= DEADLINE_NEXT;
			} else if (stage === model.entryStage) {
				// Starting as a first-time buyer means buying at time 0.
				this.keyRandom(a);
				this.firstPurchase(a, 0);
				this.drawNext(a, 0);
			} else {
				this.drawNext(a, 0, false);
			}
			this.calendar.schedule(a, pop.f64[a * pop.stride8 + NEXT_TIME]);
		}
	}

	/**
	 * Stages (1 by index) where someone who has not bought has nothing to draw:
	 * no move out, no purchases, no policy timer for prospects. Placing a
	 * person there is then only writing the record (an idle million costs about its allocation).
	 */
	private inertStages(): Uint8Array {
		const model = this.model;
		const inert = new Uint8Array(model.stageIds.length);
		if (this.prospectDeadlinePolicies.length > 0) return inert;
		for (let s = 0; s < inert.length; s++) {
			const kind = model.stageKind[s];
			const moves = model.transitionStart[s + 1] > model.transitionStart[s];
			inert[s] = !moves && kind !== CUSTOMER && kind !== LAPSED && s !== model.entryStage ? 1 : 0;
		}
		return inert;
	}

	private processAgent(agent: number, day: number): void {
		const pop = this.population;
		const end = day + 1;
		let t = pop.f64[agent * pop.stride8 + NEXT_TIME];
		// A stale entry: the agent was redrawn to another day since it was filed here.
		if (!(t >= day && t < end)) return;
		let events = 0;
		let handled = 0;
		do {
			this.now = t;
			// Deadlines draw from a sequence of their own, so a policy's timers never shift the agent's random events.
			if (pop.u8[agent * pop.stride + FLAGS] & DEADLINE_NEXT) {
				keyStream(this.rng, this.streamKey, pop.i32[agent * pop.stride4 + ID_HIGH], pop.i32[agent * pop.stride4 + ID_LOW], ~(pop.u32[agent * pop.stride4 + DEADLINE_DRAWS]++));
				this.fireDeadline(agent, t);
				events++;
			} else {
				this.keyRandom(agent);
				if (this.fireRandomEvent(agent, t)) events++;
			}
			if (++handled > MAX_EVENTS_PER_AGENT_DAY) {
				throw new Error(`agent ${agent} had over ${MAX_EVENTS_PER_AGENT_DAY} events on day ${day}: a policy deadline does not move forward`);
			}
			t = pop.f64[agent * pop.stride8 + NEXT_TIME];
		} while (t < end);
		this.output.series[SERIES_ROW.events * this.days + day] += events;
		this.calendar.schedule(agent, t);
	}

	/**
	 * Sets the agent's next event time (the caller files it). A pending random
	 * event survives a rate change: its residual time, exponential by
	 * memorylessness, is rescaled by old rate / new rate (as in Gibson & Bruck's
	 * next-reaction method), so a policy that changes nothing for an agent
	 * draws no random number for it and leaves its stream untouched.
	 */
	private drawNext(agent: number, time: number, keyed = true): void {
		this.computeRates(agent);
		this.drawAtRates(agent, time, keyed);
	}

	/** drawNext at the rates computeRates last filled, when they are the agent's still (nothing about it has changed since, at the same time). */
	private drawAtRates(agent: number, time: number, keyed = true): void {
		const pop = this.population;
		// Drawn at the ceiling: equal to the rates unless a policy thins (see fireRandomEvent).
		const total = this.ceilingTotal;
		const pending = pop.f64[agent * pop.stride8 + RANDOM_TIME];
		const oldRate = pop.f32[agent * pop.stride4 + RANDOM_RATE];
		const stored = Math.fround(total);
		let next: number;
		if (total <= 0) next = Infinity;
		else if (oldRate > 0 && pending >= time && pending < Infinity) {
			next = oldRate === stored ? pending : time + ((pending - time) * oldRate) / stored;
		} else next = time + (keyed ? exponential(this.rng) : this.exponentialFor(agent)) / stored;
		pop.f64[agent * pop.stride8 + RANDOM_TIME] = next;
		pop.f32[agent * pop.stride4 + RANDOM_RATE] = total > 0 ? stored : 0;
		const deadline = this.deadline(agent);
		if (deadline <= next) {
			next = Math.max(deadline, time);
			pop.u8[agent * pop.stride + FLAGS] |= DEADLINE_NEXT;
		} else {
			pop.u8[agent * pop.stride + FLAGS] &= ~DEADLINE_NEXT;
		}
		pop.f64[agent * pop.stride8 + NEXT_TIME] = next;
	}

	/**
	 * Fills `rates` with the agent's current risks (its stage's transitions, then
	 * purchase and invitation for a live customer) and sets rateTotal to their sum
	 * and ceilingTotal to the sum of their ceilings (the same sum when no policy thins).
	 */
	private computeRates(agent: number): void {
		const model = this.model;
		const pop = this.population;
		const stage = pop.stage[agent];
		const kind = model.stageKind[stage];
		const rates = this.rates;
		const first = model.transitionStart[stage];
		const last = model.transitionStart[stage + 1];
		const scaled = this.rateModifiers[0].length > 0;
		let total = 0;
		let ceiling = 0;
		let n = 0;
		for (let j = first; j < last; j++) {
			const hazard = model.transitionHazard[j];
			// Unscaled, a transition's factor and ceiling are 1 (hazard × 1 is the hazard).
			if (scaled) this.transitionFactor(agent, j);
			const r = scaled ? hazard * this.factor : hazard;
			rates[n++] = r;
			total += r;
			ceiling += scaled ? hazard * this.ceilingFactor : hazard;
		}
		if ((kind === CUSTOMER || kind === LAPSED) && pop.u8[agent * pop.stride + FLAGS] & ALIVE) {
			const rate = pop.f32[agent * pop.stride4 + PURCHASE_RATE];
			this.purchaseFactor(agent);
			const purchase = rate * this.factor;
			const purchaseCeiling = rate * this.ceilingFactor;
			rates[n++] = purchase;
			total += purchase;
			const natural = model.stageInvites[stage] ? model.invitesPerDay[pop.segment[agent]] : 0;
			let extra = 0;
			for (let i = 0; i < this.rateAdders.length; i++) extra += this.rateAdders[i].extraRate!(this, agent, RISK_INVITE);
			const base = natural + extra;
			// No invitations to scale: base × any factor is 0.
			if (base !== 0) this.inviteFactor(agent);
			const invite = base === 0 ? 0 : base * this.factor;
			rates[n++] = invite;
			total += invite;
			ceiling += purchaseCeiling + (base === 0 ? 0 : base * this.ceilingFactor);
		}
		this.rateTotal = total;
		this.ceilingTotal = this.thinning ? ceiling : total;
	}

	// One function per kind of risk, each with its own call site: a site that
	// meets one to four policy classes calls them inline, while a site shared by
	// every kind meets them all and looks each call up. Each sets factor to the
	// product of its policies' factors and ceilingFactor to that of their
	// ceilings (rateCeiling, or the factor itself).

	private transitionFactor(agent: number, risk: number): void {
		const modifiers = this.rateModifiers[0];
		let m = 1;
		let c = 1;
		for (let i = 0; i < modifiers.length; i++) {
			const policy = modifiers[i];
			const f = policy.rateMultiplier!(this, agent, risk);
			m *= f;
			if (this.thinning) c *= policy.rateCeiling ? policy.rateCeiling(this, agent, risk) : f;
		}
		this.factor = m;
		this.ceilingFactor = this.thinning ? c : m;
	}

	private purchaseFactor(agent: number): void {
		const modifiers = this.rateModifiers[-RISK_PURCHASE];
		let m = 1;
		let c = 1;
		for (let i = 0; i < modifiers.length; i++) {
			const policy = modifiers[i];
			const f = policy.rateMultiplier!(this, agent, RISK_PURCHASE);
			m *= f;
			if (this.thinning) c *= policy.rateCeiling ? policy.rateCeiling(this, agent, RISK_PURCHASE) : f;
		}
		this.factor = m;
		this.ceilingFactor = this.thinning ? c : m;
	}

	private inviteFactor(agent: number): void {
		const modifiers = this.rateModifiers[-RISK_INVITE];
		let m = 1;
		let c = 1;
		for (let i = 0; i < modifiers.length; i++) {
			const policy = modifiers[i];
			const f = policy.rateMultiplier!(this, agent, RISK_INVITE);
			m *= f;
			if (this.thinning) c *= policy.rateCeiling ? policy.rateCeiling(this, agent, RISK_INVITE) : f;
		}
		this.factor = m;
		this.ceilingFactor = this.thinning ? c : m;
	}

	/** Sets factor to the factor on the agent's chance of leaving after a purchase. */
	private dropoutFactor(agent: number): void {
		const modifiers = this.rateModifiers[-RISK_DROPOUT];
		let m = 1;
		for (let i = 0; i < modifiers.length; i++) m *= modifiers[i].rateMultiplier!(this, agent, RISK_DROPOUT);
		this.factor = m;
	}

	/** Sets factor to the factor on the chance that the agent's invitation brings a prospect. */
	private conversionFactor(agent: number): void {
		const modifiers = this.rateModifiers[-RISK_INVITE_CONVERSION];
		let m = 1;
		for (let i = 0; i < modifiers.length; i++) m *= modifiers[i].rateMultiplier!(this, agent, RISK_INVITE_CONVERSION);
		this.factor = m;
	}

	private deadline(agent: number): number {
		const pop = this.population;
		let deadline = Infinity;
		if (this.model.stageKind[pop.stage[agent]] === CUSTOMER && pop.u8[agent * pop.stride + FLAGS] & ALIVE) {
			deadline = pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME] + this.dormancyDays;
		}
		// A Pareto/NBD customer dies between purchases, unseen: its death time is a deadline.
		if (this.model.lifetimes && pop.u8[agent * pop.stride + FLAGS] & ALIVE && this.model.dropoutModel[pop.segment[agent]] === DROPOUT_PARETO_NBD) {
			deadline = Math.min(deadline, pop.f32[agent * pop.stride4 + DROPOUT_TRAIT]);
		}
		const policies = this.deadlinePoliciesFor(agent);
		for (let i = 0; i < policies.length; i++) {
			const d = policies[i].deadline!(this, agent);
			if (d < deadline) deadline = d;
		}
		return deadline;
	}

	/** The deadline policies that may act on the agent: someone who has not bought yet has none of the buyers-only ones. */
	private deadlinePoliciesFor(agent: number): Policy[] {
		const pop = this.population;
		return pop.f64[agent * pop.stride8 + FIRST_PURCHASE_TIME] >= 0 ? this.deadlinePolicies : this.prospectDeadlinePolicies;
	}

	private fireDeadline(agent: number, time: number): void {
		const pop = this.population;
		const model = this.model;
		// Death first: a Pareto/NBD customer who has died does not lapse; activity ends with life.
		if (model.lifetimes && pop.u8[agent * pop.stride + FLAGS] & ALIVE && model.dropoutModel[pop.segment[agent]] === DROPOUT_PARETO_NBD && time >= pop.f32[agent * pop.stride4 + DROPOUT_TRAIT]) {
			this.markActive(Math.floor(time), pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME], false);
			this.leave(agent, time);
		}
		if (
			model.stageKind[pop.stage[agent]] === CUSTOMER &&
			pop.u8[agent * pop.stride + FLAGS] & ALIVE &&
			time >= pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME] + this.dormancyDays
		) {
			this.setStage(agent, model.lapsedStage, time);
		}
		const policies = this.deadlinePoliciesFor(agent);
		for (let i = 0; i < policies.length; i++) {
			const policy = policies[i];
			if (policy.deadline!(this, agent) <= time) policy.onDeadline?.(this, agent, time);
		}
		this.drawNext(agent, time);
	}

	/**
	 * Fires the agent's random event; false when it was thinned away. A policy
	 * whose factor changes with the date alone (a festival) has the event drawn
	 * at its ceiling and kept with probability rate / ceiling (Lewis & Shedler's
	 * thinning), so its dates need no redraw of every customer.
	 */
	private fireRandomEvent(agent: number, time: number): boolean {
		const model = this.model;
		const pop = this.population;
		// This draw is used up: the next one is fresh.
		pop.f32[agent * pop.stride4 + RANDOM_RATE] = 0;
		this.computeRates(agent);
		const total = this.rateTotal;
		let pick = uniform(this.rng) * this.ceilingTotal;
		if (pick >= total) {
			// Thinned away: nothing changed, so the rates just computed stand.
			this.drawAtRates(agent, time);
			return false;
		}
		const stage = pop.stage[agent];
		const first = model.transitionStart[stage];
		const transitions = model.transitionStart[stage + 1] - first;
		let risk = 0;
		// Which risk fired: each with probability rate / total (competing exponentials).
		while (risk < transitions && pick >= this.rates[risk]) pick -= this.rates[risk++];
		if (risk < transitions) {
			this.move(agent, model.transitionTarget[first + risk], time);
		} else if (pick < this.rates[transitions] || this.rates[transitions + 1] === 0) {
			this.repeatPurchase(agent, time);
		} else if (this.invite(agent, time)) {
			this.drawAtRates(agent, time);
			return true;
		}
		this.drawNext(agent, time);
		return true;
	}

	private move(agent: number, to: number, time: number): void {
		if (to === this.model.entryStage && this.model.stageKind[this.population.stage[agent]] === PROSPECT) {
			this.setStage(agent, to, time);
			this.firstPurchase(agent, time);
		} else {
			this.setStage(agent, to, time);
		}
	}

	/** A prospect buys for the first time: draw its latent traits (purchase rate, dropout, spend) and book the order. */
	private firstPurchase(agent: number, time: number): void {
		const model = this.model;
		const pop = this.population;
		const rng = this.rng;
		const seg = pop.segment[agent];
		const day = Math.floor(time);
		pop.f32[agent * pop.stride4 + PURCHASE_RATE] = standardGamma(rng, model.purchaseShape[seg]) / model.purchaseAlphaDays[seg];
		const dropoutModel = model.dropoutModel[seg];
		if (dropoutModel === DROPOUT_PARETO_NBD) {
			// The lifetime is Exponential(μ), μ ~ Gamma(s, β): the customer dies at a time of its own, whatever it buys.
			const mu = standardGamma(rng, model.lifetimeShape[seg]) / model.lifetimeBetaDays[seg];
			pop.f32[agent * pop.stride4 + DROPOUT_TRAIT] = time + exponential(rng) / mu;
		} else {
			pop.f32[agent * pop.stride4 + DROPOUT_TRAIT] = beta(rng, model.dropoutA[seg], model.dropoutB[seg]);
		}
		pop.f32[agent * pop.stride4 + SPEND_RATE] = model.spendModel[seg] === SPEND_GAMMA_GAMMA ? standardGamma(rng, model.spendQ[seg]) / model.spendGamma[seg] : 0;
		// MBG/NBD: the customer may leave right at the first purchase, with the chance it has after each repeat one.
		let leaves = false;
		if (dropoutModel === DROPOUT_MBGNBD) {
			this.dropoutFactor(agent);
			leaves = uniform(rng) < Math.min(1, pop.f32[agent * pop.stride4 + DROPOUT_TRAIT] * this.factor);
		}
		pop.u8[agent * pop.stride + FLAGS] |= ALIVE;
		pop.f64[agent * pop.stride8 + FIRST_PURCHASE_TIME] = time;
		this.output.cohortSizes[Math.floor(day / this.periodDays)]++;
		this.addToSeries(SERIES_ROW.newCustomers, time, 1);
		if (pop.u8[agent * pop.stride + CHANNEL] === model.referralChannel) this.addToSeries(SERIES_ROW.referredCustomers, time, 1);
		this.bookOrder(agent, time);
		this.markActive(day, pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME], !leaves);
		pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME] = time;
		for (let i = 0; i < this.firstPurchasePolicies.length; i++) this.firstPurchasePolicies[i].onFirstPurchase!(this, agent, time);
		if (leaves) this.leave(agent, time);
	}

	/** A live customer buys again; afterwards it may leave for good (BG/NBD, MBG/NBD; a Pareto/NBD customer leaves at its death time instead). */
	private repeatPurchase(agent: number, time: number): void {
		const model = this.model;
		const pop = this.population;
		const day = Math.floor(time);
		this.bookOrder(agent, time);
		let survives = true;
		if (model.dropoutModel[pop.segment[agent]] !== DROPOUT_PARETO_NBD) {
			this.dropoutFactor(agent);
			const dropout = Math.min(1, pop.f32[agent * pop.stride4 + DROPOUT_TRAIT] * this.factor);
			survives = uniform(this.rng) >= dropout;
		}
		this.markActive(day, pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME], survives);
		pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME] = time;
		if (!survives) {
			this.leave(agent, time);
			return;
		}
		const stage = pop.stage[agent];
		const ladder = model.stageForPurchases;
		const target = ladder[Math.min(pop.i32[agent * pop.stride4 + PURCHASES], ladder.length - 1)];
		if (model.stageKind[stage] === LAPSED || (model.stageEnterAt[stage] > 0 && model.stageEnterAt[target] > model.stageEnterAt[stage])) {
			this.setStage(agent, target, time);
		}
	}

	/** The customer leaves for good (latent churn, which no business sees): it buys and invites no more. */
	private leave(agent: number, time: number): void {
		this.population.u8[agent * this.population.stride + FLAGS] &= ~ALIVE;
		this.addToSeries(SERIES_ROW.latentChurn, time, 1);
		this.setStage(agent, this.model.churnedStage, time);
	}

	/** Books an order: value, discount, gross profit, cohort activity, repurchase and LTV bookkeeping. */
	private bookOrder(agent: number, time: number): void {
		const model = this.model;
		const pop = this.population;
		const out = this.output;
		const seg = pop.segment[agent];
		const day = Math.floor(time);
		let value =
			model.spendModel[seg] === SPEND_GAMMA_GAMMA
				? standardGamma(this.rng, model.spendP[seg]) / pop.f32[agent * pop.stride4 + SPEND_RATE]
				: model.spendMean[seg] * Math.exp(model.spendSigma[seg] * normal(this.rng) - 0.5 * model.spendSigma[seg] * model.spendSigma[seg]);
		for (let i = 0; i < this.orderAdjusters.length; i++) value = this.orderAdjusters[i].adjustOrderValue!(this, agent, time, value);
		let discount = 0;
		for (let i = 0; i < this.orderPolicies.length; i++) discount += this.orderPolicies[i].onOrder!(this, agent, time, value);
		const grossProfit = value * model.grossMargin - discount;
		this.addToSeries(SERIES_ROW.purchases, time, 1);
		this.addToSeries(SERIES_ROW.gmv, time, value);
		this.addToSeries(SERIES_ROW.discounts, time, discount);
		this.addToSeries(SERIES_ROW.grossProfit, time, grossProfit);
		const count = ++pop.i32[agent * pop.stride4 + PURCHASES];
		const firstTime = pop.f64[agent * pop.stride8 + FIRST_PURCHASE_TIME];
		const firstDay = Math.floor(firstTime);
		const period = Math.floor(day / this.periodDays);
		// The previous order's period (lastPurchaseTime is still the previous order's time here; −1 before the first).
		const previousPeriod = Math.floor(Math.floor(pop.f64[agent * pop.stride8 + LAST_PURCHASE_TIME]) / this.periodDays);
		if (previousPeriod !== period) {
			const cohort = Math.floor(firstDay / this.periodDays);
			out.cohortActive[cohort * out.cohortPeriods + period]++;
		}
		// Windows are measured in continuous time from the first purchase: (t1, t1 + H].
		if (time - firstTime < this.ltvHorizon) out.ltvGrossProfit[firstDay] += grossProfit;
		if (count >= 2) {
			this.addToSeries(SERIES_ROW.repeatPurchases, time, 1);
			if (pop.u8[agent * pop.stride + CHANNEL] === model.referralChannel) this.addToSeries(SERIES_ROW.referredRepeatPurchases, time, 1);
			if (count === 2 && time - firstTime <= this.repurchaseWindow) out.repeatWithinWindow[firstDay]++;
		}
	}

	/**
	 * Keeps the active-customer count as a difference array: a purchase on `day`
	 * makes a live customer active for activeWindow days, or ends activity at
	 * once when the customer leaves for good right after it.
	 */
	private markActive(day: number, previousPurchaseTime: number, survives: boolean): void {
		const delta = this.activeDelta;
		const end = survives ? day + this.activeWindow : day;
		if (previousPurchaseTime >= 0) {
			const previousEnd = Math.floor(previousPurchaseTime) + this.activeWindow;
			if (previousEnd > day) {
				delta[previousEnd]++;
				delta[end]--;
				return;
			}
		}
		if (survives) {
			delta[day]++;
			delta[end]--;
		}
	}

	/** The agent invites a friend; true when that changed nothing (no one came, no policy heard of it), so the agent's rates stand. */
	private invite(agent: number, time: number): boolean {
		const model = this.model;
		const seg = this.population.segment[agent];
		this.addToSeries(SERIES_ROW.invites, time, 1);
		for (let i = 0; i < this.invitePolicies.length; i++) this.invitePolicies[i].onInvite!(this, agent, time);
		this.conversionFactor(agent);
		const conversion = Math.min(1, model.inviteConversion[seg] * this.factor);
		if (uniform(this.rng) >= conversion) return this.invitePolicies.length === 0;
		this.addToSeries(SERIES_ROW.referredProspects, time, 1);
		// The invitation was the inviter's current random event: its draw counter names the friend.
		const pop = this.population;
		const counter = pop.u32[agent * pop.stride4 + RANDOM_DRAWS];
		const idHigh = identityHigh(ORIGIN_REFERRAL, pop.i32[agent * pop.stride4 + ID_HIGH], pop.i32[agent * pop.stride4 + ID_LOW], counter);
		const idLow = identityLow(ORIGIN_REFERRAL, pop.i32[agent * pop.stride4 + ID_HIGH], pop.i32[agent * pop.stride4 + ID_LOW], counter);
		const invitee = this.addProspect(model.channelStartStage[model.referralChannel], seg, model.referralChannel, time, idHigh, idLow);
		this.now = time;
		for (let i = 0; i < this.referralPolicies.length; i++) this.referralPolicies[i].onReferral!(this, agent, invitee, time);
		return false;
	}

	private closeDay(day: number): void {
		const out = this.output;
		const days = this.days;
		for (let s = 0; s < this.stageCounts.length; s++) out.stages[s * days + day] = this.stageCounts[s];
		this.activeCustomers += this.activeDelta[day];
		out.series[SERIES_ROW.activeCustomers * days + day] = this.activeCustomers;
		const size = this.population.size;
		out.series[SERIES_ROW.population * days + day] = size;
		out.totals[TOTAL_AGENT_DAYS] += size;
		out.totals[TOTAL_EVENTS] += out.series[SERIES_ROW.events * days + day];
		out.totals[TOTAL_AGENTS] = size;
	}
}

/**
 * The day-0 people's stages and segments, drawn in the same order as one
 * person at a time would draw them, in a loop small enough for the draws to
 * be inlined (in the placing loop, each draw's number was boxed on the heap).
 */
function drawInitialPeople(rng: RandomStream, model: Model, stages: Uint8Array, segments: Uint8Array): void {
	for (let i = 0; i < stages.length; i++) {
		stages[i] = model.initialStages[categorical(rng, model.initialStageCumulative)];
		segments[i] = categorical(rng, model.segmentShareCumulative);
	}
}
