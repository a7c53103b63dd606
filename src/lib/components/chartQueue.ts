/**
 * Chart builds queued one per task: when streaming results change every
 * chart of a notebook at once, building them all in one go blocks the page
 * for the sum of their times; one build per task lets input and painting in
 * between. A chart asked for again before its turn is built once, with the
 * latest inputs.
 */
const pending = new Map<object, () => void>();
let scheduled = false;
/** Who waits for the queue to empty. */
let waiting: (() => void)[] = [];

/** Runs `build` for `owner` in a task of its own, after the builds queued before it; a newer build for the same owner replaces a waiting one. */
export function queueChartBuild(owner: object, build: () => void): void {
	pending.delete(owner); // keep its turn fair: the newest inputs go to the back
	pending.set(owner, build);
	if (!scheduled) next();
}

/** Drops a waiting build (the chart left the page). */
export function cancelChartBuild(owner: object): void {
	pending.delete(owner);
}

/** Resolves once no chart build waits (at once when none does). */
export function whenChartsDrawn(): Promise<void> {
	if (!scheduled) return Promise.resolve();
	return new Promise((resolve) => waiting.push(resolve));
}

function next(): void {
	scheduled = pending.size > 0;
	if (!scheduled) {
		const drawn = waiting;
		waiting = [];
		for (const resolve of drawn) resolve();
		return;
	}
	setTimeout(() => {
		// Every waiting build may have been cancelled meanwhile.
		const first = pending.entries().next().value;
		if (!first) return next();
		const [owner, build] = first;
		pending.delete(owner);
		try {
			build();
		} finally {
			next();
		}
	}, 0);
}
