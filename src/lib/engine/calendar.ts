/**
 * The event calendar: one bucket of agent indices per day. An agent is filed
 * under the day of its next event; when its event is redrawn it is filed
 * again and the old entry goes stale (the loop skips entries whose agent's
 * next time no longer falls on that day), so nothing is ever searched or removed.
 */

const EMPTY = new Int32Array(0);
/**
 * Buckets of processed days, kept for reuse by this thread's calendars: a
 * day's bucket then grows without allocating, the collector has nothing to
 * free, and a new run (the next shard) starts in memory already mapped.
 * Bucket lengths are 64 times a power of two; spares are kept by that power.
 */
const spareBySize: Int32Array[][] = [];
/** Enough for every day of a long horizon; a run's buckets beyond it are left to the collector. */
const MAX_SPARE_BUCKETS = 4096;
let spareCount = 0;

function keepSpare(bucket: Int32Array): void {
	if (bucket === EMPTY || spareCount >= MAX_SPARE_BUCKETS) return;
	const size = Math.log2(bucket.length / 64);
	if (!Number.isInteger(size)) return;
	while (spareBySize.length <= size) spareBySize.push([]);
	spareBySize[size].push(bucket);
	spareCount++;
}

/** The largest spare longer than n, or null. */
function takeSpare(n: number): Int32Array | null {
	for (let size = spareBySize.length - 1; size >= 0 && 64 << size > n; size--) {
		const bucket = spareBySize[size].pop();
		if (bucket) {
			spareCount--;
			return bucket;
		}
	}
	return null;
}

/** Days with fewer entries are sorted by comparison; more, by radix (see radixSort). */
const RADIX_MIN = 256;
const RADIX_BITS = 11;
const RADIX_MASK = (1 << RADIX_BITS) - 1;

export class Calendar {
	private buckets: Int32Array[];
	private lengths: Int32Array;
	/** The radix sort's second array and digit counts, kept across days. */
	private scratch = EMPTY;
	private readonly counts = new Int32Array(RADIX_MASK + 1);

	constructor(readonly days: number) {
		this.buckets = new Array<Int32Array>(days).fill(EMPTY);
		this.lengths = new Int32Array(days);
	}

	/** Files an agent under the day of `time`; times past the horizon are not filed. */
	schedule(agent: number, time: number): void {
		if (!(time < this.days)) return;
		const day = Math.floor(time);
		let bucket = this.buckets[day];
		const n = this.lengths[day];
		if (n === bucket.length) this.buckets[day] = bucket = this.grown(bucket, n);
		bucket[n] = agent;
		this.lengths[day] = n + 1;
	}

	/**
	 * Puts a day's entries in agent order: the order agents draw from the shared
	 * stream then depends on who acts that day, not on when each was filed, so a
	 * policy that only adds deadlines leaves every draw where it was; agent
	 * order also walks the population's arrays forwards.
	 */
	sortDay(day: number): void {
		const n = this.lengths[day];
		if (n < RADIX_MIN) {
			if (n > 1) this.buckets[day].subarray(0, n).sort();
			return;
		}
		this.radixSort(this.buckets[day], n);
	}

	/**
	 * Sorts the first n entries by their 11-bit digits, lowest first (two
	 * passes up to 4M agents, three beyond): a few thousand a day, faster than a comparison sort.
	 */
	private radixSort(keys: Int32Array, n: number): void {
		if (this.scratch.length < n) this.scratch = new Int32Array(keys.length);
		let max = 0;
		for (let i = 0; i < n; i++) if (keys[i] > max) max = keys[i];
		let passes = 1;
		while (passes * RADIX_BITS < 31 && max >>> (passes * RADIX_BITS) > 0) passes++;
		const counts = this.counts;
		let from: Int32Array = keys;
		let to: Int32Array = this.scratch;
		for (let shift = 0; shift < passes * RADIX_BITS; shift += RADIX_BITS) {
			counts.fill(0);
			for (let i = 0; i < n; i++) counts[(from[i] >>> shift) & RADIX_MASK]++;
			let sum = 0;
			for (let d = 0; d <= RADIX_MASK; d++) {
				const c = counts[d];
				counts[d] = sum;
				sum += c;
			}
			for (let i = 0; i < n; i++) {
				const key = from[i];
				to[counts[(key >>> shift) & RADIX_MASK]++] = key;
			}
			const swap = from;
			from = to;
			to = swap;
		}
		// After an odd number of passes the sorted entries are in the scratch array.
		if (from !== keys) for (let i = 0; i < n; i++) keys[i] = from[i];
	}

	/** Entries filed under a day so far (it grows while the day is processed). */
	length(day: number): number {
		return this.lengths[day];
	}

	/** The i-th entry filed under a day. */
	entry(day: number, i: number): number {
		return this.buckets[day][i];
	}

	/** Frees a processed day's bucket (kept as a spare). */
	release(day: number): void {
		keepSpare(this.buckets[day]);
		this.buckets[day] = EMPTY;
		this.lengths[day] = 0;
	}

	/** A bucket with room for more than `n` entries holding the first n of `bucket`: the largest spare if it is big enough, else a new one. */
	private grown(bucket: Int32Array, n: number): Int32Array {
		const out = takeSpare(n) ?? new Int32Array(Math.max(64, n * 2));
		out.set(bucket.subarray(0, n));
		keepSpare(bucket);
		return out;
	}
}
