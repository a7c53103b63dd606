import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelChartBuild, queueChartBuild, whenChartsDrawn } from '../../src/lib/components/chartQueue';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the chart queue', () => {
	it('builds one chart per task, in the order asked', () => {
		const built: string[] = [];
		for (const name of ['stages', 'bands', 'cohorts']) queueChartBuild({ name }, () => built.push(name));
		expect(built).toEqual([]); // nothing in the task that asked
		vi.advanceTimersToNextTimer();
		expect(built).toEqual(['stages']);
		vi.advanceTimersToNextTimer();
		expect(built).toEqual(['stages', 'bands']);
		vi.runAllTimers();
		expect(built).toEqual(['stages', 'bands', 'cohorts']);
	});

	it('builds a chart asked for twice before its turn once, with the newest inputs; a cancelled one not at all', () => {
		const a = {};
		const b = {};
		const built: string[] = [];
		queueChartBuild(a, () => built.push('a with old results'));
		queueChartBuild(b, () => built.push('b'));
		queueChartBuild(a, () => built.push('a with new results'));
		const c = {};
		queueChartBuild(c, () => built.push('c'));
		cancelChartBuild(c);
		vi.runAllTimers();
		expect(built).toEqual(['b', 'a with new results']);
	});

	it('keeps going after a build that throws', () => {
		const built: string[] = [];
		queueChartBuild({}, () => {
			throw new Error('bad data');
		});
		queueChartBuild({}, () => built.push('next'));
		expect(() => vi.advanceTimersToNextTimer()).toThrow('bad data');
		vi.runAllTimers();
		expect(built).toEqual(['next']);
	});

	it('tells when no build waits any more (the workers warm up only then), also when the last waiting one was cancelled', async () => {
		let drawn = false;
		queueChartBuild({}, () => {});
		const last = {};
		queueChartBuild(last, () => {});
		void whenChartsDrawn().then(() => (drawn = true));
		vi.advanceTimersToNextTimer();
		await Promise.resolve();
		expect(drawn).toBe(false); // one still waits
		cancelChartBuild(last);
		vi.runAllTimers();
		await Promise.resolve();
		expect(drawn).toBe(true);
		// Nothing waiting: at once.
		await expect(whenChartsDrawn()).resolves.toBeUndefined();
	});
});
