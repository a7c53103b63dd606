/**
 * Where each person's dot sits: stage columns filled row by row with fixed
 * slots. A person keeps their slot while they stay in a stage and takes the
 * lowest free slot of the stage they move to, so only the people who moved
 * travel across the screen.
 */

const NOT_PLACED = -1;

export interface ColumnGeometry {
	/** Left edge and width of each stage column, in pixels. */
	left: number;
	width: number;
	top: number;
	height: number;
	/** Distance between neighbouring dots. */
	spacing: number;
}

/** The smallest spacing the classroom draws (dots of 1 px radius nearly touching): below it a column would spill. */
export const MIN_SPACING = 1;

/**
 * The largest dot spacing (to 0.1 px, at most 12) at which `people` dots fit
 * in one column of the given size as DotLayout.position fills it, whole rows
 * of whole slots: everyone may end up in one stage (the churned column, late
 * in the horizon) and must stay inside the canvas.
 */
export function dotSpacing(columnWidth: number, height: number, people: number): number {
	const n = Math.max(1, people);
	const fits = (s: number) => Math.max(1, Math.floor(columnWidth / s)) * Math.floor(height / s) >= n;
	// The area estimate is an upper bound; whole rows and slots can need a little less.
	let spacing = Math.min(12, Math.floor(Math.sqrt((columnWidth * height) / n) * 10) / 10);
	while (spacing > MIN_SPACING && !fits(spacing)) spacing = Math.round(spacing * 10 - 1) / 10;
	return Math.max(MIN_SPACING, spacing);
}

export class DotLayout {
	/** Stage a person's dot is placed in, and its slot there (NOT_PLACED for none). */
	private placedStage: Int16Array;
	private slot: Int32Array;
	/** Per stage: which slots are taken. */
	private taken: Uint8Array[];

	constructor(
		private readonly stageCount: number,
		private capacity: number
	) {
		this.placedStage = new Int16Array(capacity).fill(NOT_PLACED);
		this.slot = new Int32Array(capacity).fill(NOT_PLACED);
		this.taken = Array.from({ length: stageCount }, () => new Uint8Array(capacity));
	}

	/**
	 * Places everyone in `stages` (the first `size` people): movers leave their
	 * slot and take a new one; people beyond `size` (after going back in time)
	 * are removed. Returns the people whose slot changed.
	 */
	sync(stages: ArrayLike<number>, size: number): number[] {
		if (size > this.capacity) this.grow(size);
		const moved: number[] = [];
		for (let a = size; a < this.capacity && this.placedStage[a] !== NOT_PLACED; a++) this.free(a);
		for (let a = 0; a < size; a++) {
			if (this.placedStage[a] === stages[a]) continue;
			this.free(a);
			this.place(a, stages[a]);
			moved.push(a);
		}
		return moved;
	}

	/** The slot of a placed person, or −1. */
	slotOf(agent: number): number {
		return agent < this.capacity ? this.slot[agent] : NOT_PLACED;
	}

	/** The stage a person's dot is in, or −1. */
	stageOf(agent: number): number {
		return agent < this.capacity ? this.placedStage[agent] : NOT_PLACED;
	}

	/** Pixel position of a slot in a column: rows from the top, left to right. */
	static position(slot: number, column: ColumnGeometry): { x: number; y: number } {
		const perRow = Math.max(1, Math.floor(column.width / column.spacing));
		const row = Math.floor(slot / perRow);
		const x = column.left + (slot % perRow) * column.spacing + column.spacing / 2;
		const y = column.top + row * column.spacing + column.spacing / 2;
		return { x, y };
	}

	private place(agent: number, stage: number): void {
		const taken = this.taken[stage];
		let s = 0;
		while (taken[s]) s++;
		taken[s] = 1;
		this.placedStage[agent] = stage;
		this.slot[agent] = s;
	}

	private free(agent: number): void {
		const stage = this.placedStage[agent];
		if (stage === NOT_PLACED) return;
		this.taken[stage][this.slot[agent]] = 0;
		this.placedStage[agent] = NOT_PLACED;
		this.slot[agent] = NOT_PLACED;
	}

	private grow(size: number): void {
		const capacity = Math.max(size, Math.ceil(this.capacity * 1.5));
		const placedStage = new Int16Array(capacity).fill(NOT_PLACED);
		placedStage.set(this.placedStage);
		const slot = new Int32Array(capacity).fill(NOT_PLACED);
		slot.set(this.slot);
		this.placedStage = placedStage;
		this.slot = slot;
		this.taken = this.taken.map((t) => {
			const grown = new Uint8Array(capacity);
			grown.set(t);
			return grown;
		});
		this.capacity = capacity;
	}
}
