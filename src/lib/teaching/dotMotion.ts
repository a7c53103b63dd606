/**
 * Dot positions over time: each dot glides from where it was to its new slot
 * with an ease-in-out, so a move reads as a move. Pure arithmetic on typed
 * arrays; the canvas asks for positions once a frame.
 */

export class DotMotion {
	x: Float32Array;
	y: Float32Array;
	private fromX: Float32Array;
	private fromY: Float32Array;
	private toX: Float32Array;
	private toY: Float32Array;
	private start: Float64Array;
	private duration = 400;

	constructor(capacity: number) {
		this.x = new Float32Array(capacity);
		this.y = new Float32Array(capacity);
		this.fromX = new Float32Array(capacity);
		this.fromY = new Float32Array(capacity);
		this.toX = new Float32Array(capacity);
		this.toY = new Float32Array(capacity);
		this.start = new Float64Array(capacity).fill(-Infinity);
	}

	get capacity(): number {
		return this.x.length;
	}

	/** Sends a dot towards (x, y) from wherever it is now; a new dot (`appear`) starts there. */
	moveTo(agent: number, x: number, y: number, now: number, duration: number, appear = false): void {
		if (agent >= this.capacity) this.grow(agent + 1);
		this.fromX[agent] = appear ? x : this.x[agent];
		this.fromY[agent] = appear ? y : this.y[agent];
		this.toX[agent] = x;
		this.toY[agent] = y;
		this.start[agent] = now;
		this.duration = duration;
		if (appear) {
			this.x[agent] = x;
			this.y[agent] = y;
		}
	}

	/** Advances the first `count` dots to time `now` (milliseconds); true while any is still moving. */
	update(count: number, now: number): boolean {
		let moving = false;
		for (let a = 0; a < count; a++) {
			const t = (now - this.start[a]) / this.duration;
			if (t >= 1) {
				this.x[a] = this.toX[a];
				this.y[a] = this.toY[a];
				continue;
			}
			moving = true;
			const e = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
			this.x[a] = this.fromX[a] + (this.toX[a] - this.fromX[a]) * e;
			this.y[a] = this.fromY[a] + (this.toY[a] - this.fromY[a]) * e;
		}
		return moving;
	}

	/** The dot nearest to (x, y) within `radius` among the first `count`, or −1. */
	nearest(x: number, y: number, count: number, radius: number): number {
		let best = -1;
		let bestDistance = radius * radius;
		for (let a = 0; a < count; a++) {
			const d = (this.x[a] - x) ** 2 + (this.y[a] - y) ** 2;
			if (d <= bestDistance) {
				best = a;
				bestDistance = d;
			}
		}
		return best;
	}

	private grow(size: number): void {
		const capacity = Math.max(size, Math.ceil(this.capacity * 1.5));
		const grown = <T extends Float32Array | Float64Array>(a: T): T => {
			const b = new (a.constructor as { new (n: number): T })(capacity);
			b.set(a);
			return b;
		};
		this.x = grown(this.x);
		this.y = grown(this.y);
		this.fromX = grown(this.fromX);
		this.fromY = grown(this.fromY);
		this.toX = grown(this.toX);
		this.toY = grown(this.toY);
		const start = new Float64Array(capacity).fill(-Infinity);
		start.set(this.start);
		this.start = start;
	}
}
