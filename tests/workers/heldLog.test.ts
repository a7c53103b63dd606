/**
 * The calibration worker reads a log and keeps it; the page names it by its
 * source (the imported file, or a log stored parsed by an earlier version).
 * A fit of the file is the fit of the log parsed from it; a worker that holds
 * another log reads the named one again; calls that arrive while a file is
 * read wait for that read instead of starting another.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTransactions } from '../../src/lib/calibration/transactions';
import { calibrationApi } from '../../src/lib/workers/calibrationApi';

const text = readFileSync(new URL('../fixtures/cdnow_sample.csv', import.meta.url), 'utf8');
const mapping = { id: 'customer_id', date: 'date', amount: 'amount' };

/** The CDNOW sample as a file, counting the slices read from it. */
function countedFile(): { file: Blob; slices: () => number } {
	let slices = 0;
	class Counted extends Blob {
		slice(start?: number, end?: number, type?: string): Blob {
			slices++;
			return super.slice(start, end, type);
		}
	}
	return { file: new Counted([text]), slices: () => slices };
}

describe('the calibration worker holds the log it read', () => {
	it('gives the page the counts it shows, and fits the file exactly as the log parsed from it', async () => {
		const { file } = countedFile();
		const summary = await calibrationApi.open({ key: 'a', file, mapping });
		expect(summary).toMatchObject({ transactions: 6919, customers: 2357, rows: 6919, customerDays: 6696, badCount: 0 });
		expect([summary.firstDay, summary.lastDay]).toEqual([Date.UTC(1997, 0, 1) / 86_400_000, Date.UTC(1998, 5, 30) / 86_400_000]);
		const fromFile = await calibrationApi.fit({ key: 'a', file, mapping }, '1997-09-30', '1998-06-30', 'week');
		const parsed = await calibrationApi.fit({ key: 'b', log: parseTransactions(text, mapping) }, '1997-09-30', '1998-06-30', 'week');
		expect(JSON.stringify(fromFile.report)).toBe(JSON.stringify(parsed.report));
		expect(fromFile.report.params.r).toBeCloseTo(0.243, 3);
	});

	it('reads the file again when it holds another log (a worker started afresh, a second cell)', async () => {
		const a = countedFile();
		await calibrationApi.open({ key: 'a', file: a.file, mapping });
		const first = a.slices();
		await calibrationApi.fit({ key: 'a', file: a.file, mapping }, '1997-09-30', null, 'week');
		expect(a.slices()).toBe(first); // held: not read again
		await calibrationApi.open({ key: 'other', log: parseTransactions(text, mapping) });
		const again = await calibrationApi.fit({ key: 'a', file: a.file, mapping }, '1997-09-30', null, 'week');
		expect(a.slices()).toBe(2 * first);
		expect(again.report.customers).toBe(2357);
	});

	it('reads a file once when a fit is asked while it is still being read', async () => {
		const { file, slices } = countedFile();
		const source = { key: 'c', file, mapping };
		const [summary, fit] = await Promise.all([calibrationApi.open(source), calibrationApi.fit(source, '1997-09-30', null, 'week')]);
		expect(summary.customers).toBe(fit.report.customers);
		expect(slices()).toBe(1); // the sample is one slice
		await calibrationApi.open({ key: 'd', file: countedFile().file, mapping });
		await calibrationApi.open(source);
		expect(slices()).toBe(2);
	});
});
