/**
 * The calibration worker keeps the log it read, so the page names it instead
 * of sending it back: a fit of the named log is the fit of the log itself,
 * and a name the worker does not hold (a worker started afresh) is refused
 * with the message the page falls back on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrationApi } from '../../src/lib/workers/calibrationApi';
import { HELD_LOG_GONE } from '../../src/lib/workers/heldLog';

const cdnow = new Blob([readFileSync(new URL('../fixtures/cdnow_sample.csv', import.meta.url))]);
const mapping = { id: 'customer_id', date: 'date', amount: 'amount' };

describe('the calibration worker holds the log it read', () => {
	it('fits the named log exactly as the log sent whole', async () => {
		const { log, held } = await calibrationApi.read(cdnow, mapping);
		expect(log.customerIds).toHaveLength(2357);
		expect(log.customerDays).toBe(6696);
		const named = calibrationApi.fit({ held }, '1997-09-30', '1998-06-30', 'week');
		const whole = calibrationApi.fit(log, '1997-09-30', '1998-06-30', 'week');
		expect(JSON.stringify(named.report)).toBe(JSON.stringify(whole.report));
		expect(named.report.params.r).toBeCloseTo(0.243, 3);
	});

	it('refuses a log it no longer holds with the message the page falls back on', async () => {
		const first = await calibrationApi.read(cdnow, mapping);
		await calibrationApi.read(cdnow, mapping);
		expect(() => calibrationApi.fit({ held: first.held }, '1997-09-30', null, 'week')).toThrow(HELD_LOG_GONE);
	});
});
