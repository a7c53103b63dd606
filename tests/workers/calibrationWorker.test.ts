/**
 * The page's calibration workers when one dies: the call in flight is
 * rejected with the reason (not left waiting), and the next call starts a
 * fresh worker. Web Workers are not in Node, so a stand-in plays one that
 * never answers and then fires its error event, as a crashed worker does.
 */
import { afterEach, describe, expect, it } from 'vitest';

class DyingWorker extends EventTarget {
	static started: DyingWorker[] = [];
	constructor() {
		super();
		DyingWorker.started.push(this);
	}
	postMessage(): void {}
	terminate(): void {}
	start(): void {}
	crash(message: string): void {
		this.dispatchEvent(Object.assign(new Event('error'), { message }));
	}
}

describe('a calibration worker that dies', () => {
	const original = (globalThis as { Worker?: unknown }).Worker;
	afterEach(() => {
		(globalThis as { Worker?: unknown }).Worker = original;
		DyingWorker.started = [];
	});

	it('rejects the call in flight with the reason, and the next call gets a fresh worker', async () => {
		(globalThis as { Worker?: unknown }).Worker = DyingWorker;
		const { calibrationWorker } = await import('../../src/lib/workers/calibrationWorker');
		const call = calibrationWorker().header(new Blob(['a,b\n']));
		DyingWorker.started[0].crash('out of memory');
		await expect(call).rejects.toThrow('out of memory');
		void calibrationWorker().header(new Blob(['a,b\n'])).catch(() => {});
		expect(DyingWorker.started).toHaveLength(2);
	});
});
