import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customerDays } from '../../src/lib/calibration/summary';
import { parseTransactions } from '../../src/lib/calibration/transactions';

const mapping = { id: 'customer_id', date: 'date', amount: 'amount' };

describe('purchases as the fits count them', () => {
	it('counts one customer’s purchases of one day as one, and no one else’s', () => {
		const log = parseTransactions('customer_id,date,amount\na,2024-01-01,10\na,2024-01-01,5\na,2024-01-02,1\nb,2024-01-01,7\n', mapping);
		expect(log.length).toBe(4);
		expect(customerDays(log)).toBe(3);
	});

	it('matches the distinct customer-day pairs of the CDNOW sample, counted from the file itself', () => {
		const text = readFileSync(new URL('../fixtures/cdnow_sample.csv', import.meta.url), 'utf8');
		const pairs = new Set(text.trim().split('\n').slice(1).map((line) => line.split(',').slice(0, 2).join('|')));
		const log = parseTransactions(text, mapping);
		expect(customerDays(log)).toBe(pairs.size);
		expect(customerDays(log)).toBeLessThan(log.length); // the sample has same-day repeats, as the full CDNOW log does
	});
});
