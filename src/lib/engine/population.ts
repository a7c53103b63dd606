/**
 * The population as a structure of typed arrays, one entry per agent, grown
 * as channels and referrals add people. The columns are declared once
 * (COLUMNS: name and typed-array type); allocation, growth and bytes per
 * agent follow from that declaration. Policies ask for their own per-agent
 * columns (points balance, tier) through column(), without touching this file.
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

/** Every per-agent column the engine keeps, with its typed-array type. */
const COLUMNS = {
	/** Time of the agent's next event, in days; Infinity when none is due. */
	nextTime: Float64Array,
	/** Time of the next random event (competing exponentials), which a deadline may precede. */
	randomTime: Float64Array,
	/** Time of the last purchase; −1 before the first. */
	lastPurchaseTime: Float64Array,
	/** Time of the first purchase; −1 before it. */
	firstPurchaseTime: Float64Array,
	/** Total rate randomTime was drawn with (single precision is plenty to rescale by); 0 when no draw is pending. */
	randomRate: Float32Array,
	/** Latent purchase rate λ per day (BG/NBD). */
	purchaseRate: Float32Array,
	/**
	 * The latent dropout trait, by the segment's model: the chance of leaving at a
	 * purchase (BG/NBD, MBG/NBD), or the time of death in days (Pareto/NBD).
	 * One column for both keeps an agent's record small.
	 */
	dropoutTrait: Float32Array,
	/** ν of the Gamma-Gamma spend model: order values are Gamma(p, ν). */
	spendRate: Float32Array,
	purchases: Int32Array,
	/** The agent's identity, 64 bits fixed by origin (see identity.ts): its random streams are keyed by it, never by position. */
	idHigh: Int32Array,
	idLow: Int32Array,
	/** Draw sequences used by the agent's random events and by its deadlines: the counters of its own streams. */
	randomDraws: Uint32Array,
	deadlineDraws: Uint32Array,
	stage: Uint8Array,
	segment: Uint8Array,
	channel: Uint8Array,
	flags: Uint8Array
} as const;

type ColumnName = keyof typeof COLUMNS;
type Columns = { -readonly [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]> };
type TypedArray = Columns[ColumnName] | Float64Array;

const COLUMN_NAMES = Object.keys(COLUMNS) as ColumnName[];

/** Bytes per agent of the declared columns. */
const DECLARED_BYTES = COLUMN_NAMES.reduce((sum, name) => sum + COLUMNS[name].BYTES_PER_ELEMENT, 0);

/** A per-agent number column owned by a policy: read and write `values[agent]`, and keep the handle, never the array (growth replaces it). */
export interface PolicyColumn {
	readonly name: string;
	values: Float64Array;
}

/** The column a policy holds before attach (empty: reading it is a bug that shows as undefined). */
export const NO_COLUMN: PolicyColumn = { name: '', values: new Float64Array(0) };

// The declared columns become fields of the class (one hidden class for every population).
export interface Population extends Columns {}

export class Population {
	size = 0;
	capacity: number;
	/** The most people this population may hold: growth past it stops the run with a PopulationCapError. */
	maxAgents = Infinity;
	/** Policies' columns, in the order they were reserved. */
	readonly policyColumns: PolicyColumn[] = [];

	constructor(initialCapacity: number) {
		this.capacity = Math.max(16, initialCapacity);
		const columns = this as unknown as Record<ColumnName, TypedArray>;
		for (const name of COLUMN_NAMES) columns[name] = new COLUMNS[name](this.capacity);
	}

	/** Bytes of per-agent state, for memory estimates. */
	bytesPerAgent(): number {
		return DECLARED_BYTES + Float64Array.BYTES_PER_ELEMENT * this.policyColumns.length;
	}

	/** Adds one agent with default state and the given identity, and returns its index. */
	add(stage: number, segment: number, channel: number, idHigh: number, idLow: number): number {
		if (this.size === this.capacity) this.grow();
		const a = this.size++;
		this.nextTime[a] = Infinity;
		this.lastPurchaseTime[a] = -1;
		this.firstPurchaseTime[a] = -1;
		this.randomTime[a] = Infinity;
		this.randomRate[a] = 0;
		this.idHigh[a] = idHigh;
		this.idLow[a] = idLow;
		this.stage[a] = stage;
		this.segment[a] = segment;
		this.channel[a] = channel;
		return a;
	}

	/** Reserves a per-agent number column for a policy (zero-filled), or returns the one already reserved under that name. */
	column(name: string): PolicyColumn {
		const existing = this.policyColumns.find((c) => c.name === name);
		if (existing) return existing;
		const column = { name, values: new Float64Array(this.capacity) };
		this.policyColumns.push(column);
		return column;
	}

	private grow(): void {
		// Checked here, not per person: growing is rare, and this is where memory is taken.
		if (this.capacity >= this.maxAgents) throw new PopulationCapError(this.maxAgents);
		// Grow by half: arrivals beyond the estimate are usually few, and memory per agent matters at a million.
		const n = Math.min(Math.ceil(this.capacity * 1.5), Math.max(this.maxAgents, this.capacity + 1));
		const columns = this as unknown as Record<ColumnName, TypedArray>;
		for (const name of COLUMN_NAMES) columns[name] = resize(columns[name], n);
		for (const column of this.policyColumns) column.values = resize(column.values, n);
		this.capacity = n;
	}
}

function resize<T extends TypedArray>(array: T, length: number): T {
	const out = new (array.constructor as new (n: number) => T)(length);
	out.set(array as never);
	return out;
}
