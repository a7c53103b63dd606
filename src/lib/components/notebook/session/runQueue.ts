/**
 * Runs go one at a time, in order; a new request cancels the run in flight
 * and everything queued (an edit, Run all). Each request gets a generation
 * number, so work that was overtaken can tell and stop.
 */
export class RunQueue {
	private generation = 0;
	private queue: string[] = [];
	/** The id being worked on, if any. */
	active: string | null = null;

	constructor(
		/** Does one id's work; `generation` says whether it is still wanted (see isCurrent). */
		private readonly work: (id: string, generation: number) => Promise<void>,
		private readonly hooks: { onQueued?: (id: string) => void; onDropped?: (id: string) => void; onActive?: (id: string | null) => void; onStop?: () => void } = {}
	) {}

	/** Whether work started under `generation` is still wanted. */
	isCurrent(generation: number): boolean {
		return generation === this.generation;
	}

	/** Cancels what runs and what waits, then works through `ids` in order; resolves when done or overtaken. */
	async enqueue(ids: string[]): Promise<void> {
		this.cancel();
		const generation = this.generation;
		this.queue = [...ids];
		for (const id of ids) this.hooks.onQueued?.(id);
		while (this.queue.length && generation === this.generation) {
			const id = this.queue.shift()!;
			this.setActive(id);
			try {
				await this.work(id, generation);
			} finally {
				if (this.active === id) this.setActive(null);
			}
		}
	}

	/** Stops the work in flight (through onStop) and drops everything queued. */
	cancel(): void {
		this.generation++;
		for (const id of this.queue) this.hooks.onDropped?.(id);
		this.queue = [];
		if (this.active) this.hooks.onStop?.();
	}

	private setActive(id: string | null): void {
		this.active = id;
		this.hooks.onActive?.(id);
	}
}
