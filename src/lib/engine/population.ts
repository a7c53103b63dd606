/**
 * The population: one fixed-size record per agent in a single buffer, grown
 * as channels and referrals add people, read and written through the
 * accessors below. Policies ask for their own per-agent numbers (points
 * balance, tier) through column(), before the first agent is added, without
 * touching this file.
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

/**
 * Record layout (the engine's hot loop indexes the views with these; other
 * code uses the accessors). An agent's numbers sit together in one record of `stride`
 * bytes (four 8-byte times, four 4-byte rates, five 4-byte integers, the
 * channel and flags bytes, then the policies' 8-byte columns), so an event
 * touches one or two cache lines instead of one per column: agents are
 * visited sparsely, a few thousand a day among hundreds of thousands.
 * Indices are in units of the view's element size.
 */
export const NEXT_TIME = 0;
export const RANDOM_TIME = 1;
export const LAST_PURCHASE_TIME = 2;
export const FIRST_PURCHASE_TIME = 3;
export const RANDOM_RATE = 8;
export const PURCHASE_RATE = 9;
export const DROPOUT_TRAIT = 10;
export const SPEND_RATE = 11;
export const PURCHASES = 12;
export const ID_HIGH = 13;
export const ID_LOW = 14;
export const RANDOM_DRAWS = 15;
export const DEADLINE_DRAWS = 16;
export const CHANNEL = 68;
export const FLAGS = 69;
/** Bytes of the engine's own record (68 used, 2 spare), before the policies' columns. */
const CORE_BYTES = 72;
/** Stage and segment stay columns of their own: the classroom draws from them, and a byte column keeps 64 agents to a cache line. */
const BYTE_COLUMN_BYTES = 2;

/** A per-agent number owned by a policy (points balance, tier): read and write it through the column, which follows the population as it grows. */
export class PolicyColumn {
	constructor(
		readonly name: string,
		private readonly population: Population,
		/** Index of the number in the record, in 8-byte units. */
		private readonly offset: number
	) {}

	get(agent: number): number {
		return this.population.f64[agent * this.population.stride8 + this.offset];
	}

	set(agent: number, value: number): void {
		this.population.f64[agent * this.population.stride8 + this.offset] = value;
	}

	/** Adds to the agent's number and returns the sum. */
	add(agent: number, amount: number): number {
		const i = agent * this.population.stride8 + this.offset;
		return (this.population.f64[i] += amount);
	}
}

export class Population {
	size = 0;
	capacity: number;
	/** The most people this population may hold: growth past it stops the run with a PopulationCapError. */
	maxAgents = Infinity;
	/** Policies' columns, in the order they were reserved. */
	readonly policyColumns: PolicyColumn[] = [];
	/** Bytes per record, and the same in 4- and 8-byte units. */
	stride = CORE_BYTES;
	stride4 = CORE_BYTES / 4;
	stride8 = CORE_BYTES / 8;
	/** Views of the records (replaced when the population grows: hold the population, never a view). */
	f64: Float64Array;
	f32: Float32Array;
	i32: Int32Array;
	u32: Uint32Array;
	u8: Uint8Array;
	/** Stage index per agent. */
	stage: Uint8Array;
	/** Segment index per agent. */
	segment: Uint8Array;

	/** Records allocated so far: none until the first agent, so the policies' columns are all reserved by then. */
	private allocated = 0;

	constructor(initialCapacity: number) {
		this.capacity = Math.max(16, initialCapacity);
		this.stage = new Uint8Array(this.capacity);
		this.segment = new Uint8Array(this.capacity);
		[this.f64, this.f32, this.i32, this.u32, this.u8] = views(new ArrayBuffer(0));
	}

	/** Bytes of per-agent state, for memory estimates. */
	bytesPerAgent(): number {
		return this.stride + BYTE_COLUMN_BYTES;
	}

	/** Adds one agent with default state and the given identity, and returns its index. */
	add(stage: number, segment: number, channel: number, idHigh: number, idLow: number): number {
		if (this.size === this.allocated) this.grow();
		const a = this.size++;
		const r8 = a * this.stride8;
		this.f64[r8 + NEXT_TIME] = Infinity;
		this.f64[r8 + RANDOM_TIME] = Infinity;
		this.f64[r8 + LAST_PURCHASE_TIME] = -1;
		this.f64[r8 + FIRST_PURCHASE_TIME] = -1;
		const r4 = a * this.stride4;
		this.i32[r4 + ID_HIGH] = idHigh;
		this.i32[r4 + ID_LOW] = idLow;
		this.u8[a * this.stride + CHANNEL] = channel;
		this.stage[a] = stage;
		this.segment[a] = segment;
		return a;
	}

	/** Reserves a per-agent number column for a policy (zero-filled), or returns the one already reserved under that name; only before the first agent. */
	column(name: string): PolicyColumn {
		const existing = this.policyColumns.find((c) => c.name === name);
		if (existing) return existing;
		if (this.size > 0) throw new Error(`policy column ${name} reserved after agents were added: reserve columns in attach()`);
		const column = new PolicyColumn(name, this, this.stride8);
		this.policyColumns.push(column);
		this.setStride(this.stride + 8);
		return column;
	}

	// Readers for policies, the classroom and tests (the event loop indexes the views itself).

	/** Time of the last purchase; −1 before the first. */
	lastPurchaseTime(a: number): number {
		return this.f64[a * this.stride8 + LAST_PURCHASE_TIME];
	}
	/** Time of the first purchase; −1 before it. */
	firstPurchaseTime(a: number): number {
		return this.f64[a * this.stride8 + FIRST_PURCHASE_TIME];
	}
	/** Latent purchase rate λ per day (BG/NBD). */
	purchaseRate(a: number): number {
		return this.f32[a * this.stride4 + PURCHASE_RATE];
	}
	/** The latent dropout trait, by the segment's model: the chance of leaving at a purchase (BG/NBD, MBG/NBD), or the time of death in days (Pareto/NBD). */
	dropoutTrait(a: number): number {
		return this.f32[a * this.stride4 + DROPOUT_TRAIT];
	}
	/** Draw sequences used so far by the agent's random events and by its deadlines: the counters of its own streams. */
	randomDraws(a: number): number {
		return this.u32[a * this.stride4 + RANDOM_DRAWS];
	}
	/** Channel the agent arrived through (NO_CHANNEL for day-0 people). */
	channel(a: number): number {
		return this.u8[a * this.stride + CHANNEL];
	}
	/** ALIVE and DEADLINE_NEXT. */
	flags(a: number): number {
		return this.u8[a * this.stride + FLAGS];
	}

	private setStride(bytes: number): void {
		this.stride = bytes;
		this.stride4 = bytes / 4;
		this.stride8 = bytes / 8;
	}

	/**
	 * Hands the records to the next population of this thread (see takeRecords).
	 * Only for a population no one reads again: a finished run's, whose outputs are kept apart.
	 */
	release(): void {
		if (this.allocated === 0) return;
		spareRecords(this.u8.buffer as ArrayBuffer);
		this.allocated = 0;
		this.size = 0;
		[this.f64, this.f32, this.i32, this.u32, this.u8] = views(new ArrayBuffer(0));
	}

	/** Allocates the records at first use, and grows them (and the byte columns) when full. */
	private grow(): void {
		if (this.allocated === 0) {
			this.allocated = this.capacity;
			[this.f64, this.f32, this.i32, this.u32, this.u8] = views(takeRecords(this.capacity * this.stride), this.capacity * this.stride);
			return;
		}
		// Checked here, not per person: growing is rare, and this is where memory is taken.
		if (this.capacity >= this.maxAgents) throw new PopulationCapError(this.maxAgents);
		// Grow by a quarter: the first capacity is sized close (shardCapacity), arrivals beyond it are few, and memory per agent matters at a million.
		const n = Math.min(Math.ceil(this.capacity * 1.25), Math.max(this.maxAgents, this.capacity + 1));
		const buffer = takeRecords(n * this.stride);
		new Uint8Array(buffer).set(this.u8);
		spareRecords(this.u8.buffer as ArrayBuffer);
		[this.f64, this.f32, this.i32, this.u32, this.u8] = views(buffer, n * this.stride);
		this.stage = grown(this.stage, n);
		this.segment = grown(this.segment, n);
		this.capacity = this.allocated = n;
	}
}

/** The column a policy holds before attach (empty: reading it is a bug). */
export const NO_COLUMN = new PolicyColumn('', new Population(0), 0);

/** Views of the first `bytes` bytes of a records buffer (a reused buffer may be longer). */
function views(buffer: ArrayBuffer, bytes = buffer.byteLength): [Float64Array, Float32Array, Int32Array, Uint32Array, Uint8Array] {
	return [new Float64Array(buffer, 0, bytes / 8), new Float32Array(buffer, 0, bytes / 4), new Int32Array(buffer, 0, bytes / 4), new Uint32Array(buffer, 0, bytes / 4), new Uint8Array(buffer, 0, bytes)];
}

/**
 * Record buffers let go by finished or grown populations, for the next ones
 * in this thread. Fresh memory costs the system a page fault per 4 KiB at
 * first touch (here about 9 µs each: a sixth of a points-ladder run's time);
 * a reused buffer costs only clearing. At most two, and none very large, are kept.
 */
const spares: ArrayBuffer[] = [];
/** Two: a shard's records and its referral pilot's, or the records a growth replaced. */
const MAX_SPARES = 2;
/** Kept idle between runs, so bounded: a larger run pays its page faults (a small share of its time) instead. */
const MAX_SPARE_BYTES = 128 * 2 ** 20;

function spareRecords(buffer: ArrayBuffer): void {
	if (buffer.byteLength === 0 || buffer.byteLength > MAX_SPARE_BYTES) return;
	spares.push(buffer);
	// The smallest go first: a large buffer serves any need.
	if (spares.length > MAX_SPARES) {
		spares.sort((a, b) => a.byteLength - b.byteLength);
		spares.shift();
	}
}

/** A zeroed buffer of at least `bytes` bytes: the smallest spare that fits (cleared), else a new one. */
function takeRecords(bytes: number): ArrayBuffer {
	let best = -1;
	for (let i = 0; i < spares.length; i++) {
		if (spares[i].byteLength >= bytes && (best < 0 || spares[i].byteLength < spares[best].byteLength)) best = i;
	}
	// None fits: they are smaller runs' sizes, let go. One more than twice the need (a small pilot's) would hold memory the run does not use.
	if (best < 0) spares.length = 0;
	if (best < 0 || spares[best].byteLength > 2 * bytes + 65536) return new ArrayBuffer(bytes);
	const buffer = spares.splice(best, 1)[0];
	new Uint8Array(buffer, 0, bytes).fill(0);
	return buffer;
}

/** Lets the spare buffers go (for memory measurements, which must not count them). */
export function dropSpareRecords(): void {
	spares.length = 0;
}

function grown(column: Uint8Array, length: number): Uint8Array {
	const out = new Uint8Array(length);
	out.set(column);
	return out;
}
