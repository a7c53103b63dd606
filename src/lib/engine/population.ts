/**
 * The population as a structure of typed arrays, one entry per agent, grown
 * as channels and referrals add people. Policies may ask for
 * their own per-agent columns (points balance, tier) without touching this file.
 */
import { BYTES_PER_AGENT } from './memory';

/** Agent flags. */
export const ALIVE = 1;
/** The agent's next event is a deadline (dormancy or a policy timer), not a random event. */
export const DEADLINE_NEXT = 2;

/** No channel: the agent was present on day 0. */
export const NO_CHANNEL = 255;

/** Thrown when a population would grow past its cap; the message gives the figure. */
export class PopulationCapError extends Error {
	constructor(readonly maxAgents: number) {
		super(
			`the population grew past ${maxAgents.toLocaleString('en')} people in one shard (about ${((maxAgents * BYTES_PER_AGENT) / 2 ** 30).toFixed(1)} GB), ` +
				`far beyond what its inflow brings: referrals are multiplying it; lower the invitations per year, their conversion or the referral programme's multipliers, or shorten the horizon`
		);
		this.name = 'PopulationCapError';
	}
}

export class Population {
	size = 0;
	capacity: number;
	/** The most people this population may hold: growth past it stops the run with a PopulationCapError. */
	maxAgents = Infinity;
	/** Time of the agent's next event, in days; Infinity when none is due. */
	nextTime: Float64Array;
	/** Time of the next random event (competing exponentials), which a deadline may precede. */
	randomTime: Float64Array;
	/** Total rate randomTime was drawn with (single precision is plenty to rescale by); 0 when no draw is pending. */
	randomRate: Float32Array;
	/** Time of the last purchase; −1 before the first. */
	lastPurchaseTime: Float64Array;
	/** Latent purchase rate λ per day (BG/NBD). */
	purchaseRate: Float32Array;
	/** Latent chance of leaving after a repeat purchase (BG/NBD). */
	dropoutProbability: Float32Array;
	/** ν of the Gamma-Gamma spend model: order values are Gamma(p, ν). */
	spendRate: Float32Array;
	purchases: Int32Array;
	/** Draw sequences used by the agent's random events and by its deadlines: the counters of its own streams. */
	randomDraws: Uint32Array;
	deadlineDraws: Uint32Array;
	/** Time of the first purchase; −1 before it. */
	firstPurchaseTime: Float64Array;
	/** Last cohort period in which the agent was counted active (for the retention triangle). */
	lastCohortPeriod: Int16Array;
	stage: Uint8Array;
	segment: Uint8Array;
	channel: Uint8Array;
	flags: Uint8Array;
	/** Per-agent number columns owned by policies, by handle (see column()). */
	extra: Float64Array[] = [];
	private columnNames: string[] = [];

	constructor(initialCapacity: number) {
		this.capacity = Math.max(16, initialCapacity);
		const n = this.capacity;
		this.nextTime = new Float64Array(n);
		this.randomTime = new Float64Array(n);
		this.randomRate = new Float32Array(n);
		this.lastPurchaseTime = new Float64Array(n);
		this.purchaseRate = new Float32Array(n);
		this.dropoutProbability = new Float32Array(n);
		this.spendRate = new Float32Array(n);
		this.purchases = new Int32Array(n);
		this.randomDraws = new Uint32Array(n);
		this.deadlineDraws = new Uint32Array(n);
		this.firstPurchaseTime = new Float64Array(n);
		this.lastCohortPeriod = new Int16Array(n);
		this.stage = new Uint8Array(n);
		this.segment = new Uint8Array(n);
		this.channel = new Uint8Array(n);
		this.flags = new Uint8Array(n);
	}

	/** Bytes of per-agent state, for memory estimates. */
	bytesPerAgent(): number {
		return 8 * 4 + 4 * 7 + 2 + 4 + 8 * this.extra.length;
	}

	/** Adds one agent with default state and returns its index. */
	add(stage: number, segment: number, channel: number): number {
		if (this.size === this.capacity) this.grow();
		const a = this.size++;
		this.nextTime[a] = Infinity;
		this.lastPurchaseTime[a] = -1;
		this.firstPurchaseTime[a] = -1;
		this.randomTime[a] = Infinity;
		this.randomRate[a] = 0;
		this.lastCohortPeriod[a] = -1;
		this.stage[a] = stage;
		this.segment[a] = segment;
		this.channel[a] = channel;
		return a;
	}

	/**
	 * Reserves a per-agent number column for a policy (zero-filled) and returns
	 * its handle: read it as `population.extra[handle][agent]`, never keep the
	 * array itself, since growing the population replaces it.
	 */
	column(name: string): number {
		const existing = this.columnNames.indexOf(name);
		if (existing >= 0) return existing;
		this.columnNames.push(name);
		return this.extra.push(new Float64Array(this.capacity)) - 1;
	}

	private grow(): void {
		// Checked here, not per person: growing is rare, and this is where memory is taken.
		if (this.capacity >= this.maxAgents) throw new PopulationCapError(this.maxAgents);
		// Grow by half: arrivals beyond the estimate are usually few, and memory per agent matters at a million.
		const n = Math.min(Math.ceil(this.capacity * 1.5), Math.max(this.maxAgents, this.capacity + 1));
		this.nextTime = resize(this.nextTime, n);
		this.randomTime = resize(this.randomTime, n);
		this.randomRate = resize(this.randomRate, n);
		this.lastPurchaseTime = resize(this.lastPurchaseTime, n);
		this.purchaseRate = resize(this.purchaseRate, n);
		this.dropoutProbability = resize(this.dropoutProbability, n);
		this.spendRate = resize(this.spendRate, n);
		this.purchases = resize(this.purchases, n);
		this.randomDraws = resize(this.randomDraws, n);
		this.deadlineDraws = resize(this.deadlineDraws, n);
		this.firstPurchaseTime = resize(this.firstPurchaseTime, n);
		this.lastCohortPeriod = resize(this.lastCohortPeriod, n);
		this.stage = resize(this.stage, n);
		this.segment = resize(this.segment, n);
		this.channel = resize(this.channel, n);
		this.flags = resize(this.flags, n);
		this.extra = this.extra.map((col) => resize(col, n));
		this.capacity = n;
	}
}

type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint8Array;

function resize<T extends TypedArray>(array: T, length: number): T {
	const out = new (array.constructor as new (n: number) => T)(length);
	out.set(array);
	return out;
}
