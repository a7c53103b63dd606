import { describe, expect, it } from 'vitest';
import { formatDay, parseAmount, parseDay, parseTransactions, readTransactionFile, TransactionError, TransactionReader } from '../../src/lib/calibration/transactions';
import { readFileSync } from 'node:fs';

const mapping = { id: 'customer', date: 'when', amount: 'paid' };

describe('reading a transaction log', () => {
	it('reads the common date formats, with or without a time, and a BOM', () => {
		for (const text of ['2024-02-29', '20240229', '2024/02/29', '2024-02-29 13:45', '2024-02-29T13:45:10Z']) {
			expect(formatDay(parseDay(text) as number)).toBe('2024-02-29');
		}
		const log = parseTransactions('\uFEFFcustomer,when,paid\na,2024-01-01,10\n', mapping);
		expect(log.length).toBe(1);
	});

	it('reads amounts with a currency symbol or thousands separators', () => {
		expect(parseAmount('¥1,299.50')).toBe(1299.5);
		expect(parseAmount('$ 12')).toBe(12);
		expect(parseAmount('1,234,567')).toBe(1234567);
	});

	it('lists every unreadable row by line with the reason, and keeps the rest', () => {
		const good = ['e,2024-01-05,1', 'e,2024-01-06,2', 'f,2024-01-07,3'];
		const text = ['customer,when,paid', 'a,2024-01-01,10', 'b,2024-02-30,5', ',2024-01-02,3', 'c,2024-01-03,ten', 'd,2024-01-04,-2', 'a,2024-03-01,7', ...good].join('\n');
		const log = parseTransactions(text, mapping);
		expect(log.length).toBe(5);
		expect(log.rows).toBe(9);
		expect(log.badRows).toEqual([
			{ line: 3, reason: 'date "2024-02-30" does not exist' },
			{ line: 4, reason: 'no customer id in "customer"' },
			{ line: 5, reason: 'amount "ten" is not a number' },
			{ line: 6, reason: 'amount -2 is negative' }
		]);
	});

	it('refuses a file that is mostly bad, and names missing columns', () => {
		expect(() => parseTransactions('customer,when,paid\na,x,1\nb,y,2\nc,2024-01-01,3\n', mapping)).toThrow(/2 of 3 rows cannot be read, so the file is refused \(line 2: date "x"/);
		expect(() => parseTransactions('id,date,amount\na,2024-01-01,1\n', mapping)).toThrow(TransactionError);
		expect(() => parseTransactions('id,date,amount\na,2024-01-01,1\n', mapping)).toThrow('no column "customer" (id), "when" (date), "paid" (amount); the header has "id", "date", "amount"');
	});

	it('plain lines (read by hand) and quoted ones (read by papaparse) give the same log, blank lines, CRLF and odd rows included', () => {
		const lines = ['customer,when,paid,note', 'a,2024-01-01,10,x', '', '  ', ',,,', 'b,2024-01-02,5.5,', 'c,2024-01-03', 'd,2024-01-04,1,2,3', 'e,2024-02-30,1,', ',2024-01-05,1,', 'f,2024-01-06,1e3,', 'a,2024-01-07,¥1,200,y', 'g,20240108,$3,', 'h,2024/01/09 10:00,7,', 'a,2024-01-10,8,z', 'i,2024-01-11,9,', 'j,2024-01-12,10,'];
		const quoted = (line: string) => (line.trim() === '' || line === ',,,' ? line : line.split(',').map((f) => `"${f}"`).join(','));
		for (const eol of ['\n', '\r\n']) {
			const plain = new TransactionReader(mapping);
			const slow = new TransactionReader(mapping);
			// In pieces, so the hand reader takes over again after papaparse has read an odd block.
			for (const piece of [lines.slice(0, 6), lines.slice(6, 9), lines.slice(9)]) {
				plain.push(piece.join(eol) + eol);
				slow.push(piece.map(quoted).join(eol) + eol);
			}
			const [p, q] = [plain.finish(), slow.finish()];
			expect(q.badRows.length).toBe(6);
			expect(q.length).toBe(7);
			expect(p.badRows).toEqual(q.badRows);
			expect([p.rows, Array.from(p.day), Array.from(p.amount), p.customerIds]).toEqual([q.rows, Array.from(q.day), Array.from(q.amount), q.customerIds]);
		}
	});

	it('reads semicolon- and tab-separated files', () => {
		expect(parseTransactions('customer;when;paid\na;2024-01-01;10\n', mapping).length).toBe(1);
		expect(parseTransactions('customer\twhen\tpaid\na\t2024-01-01\t10\n', mapping).length).toBe(1);
	});
});

describe('observed curves', () => {
	it('the cohort triangle and repurchase rate count one purchase a day, by hand on a tiny log', async () => {
		const { observedTriangle, observedRepurchaseRate } = await import('../../src/lib/calibration/observed');
		// a: days 0, 0, 8 · b: days 1, 15 · c: day 9 · d: day 20 (keeps the log 3 weeks long)
		const text = ['customer,when,paid', 'a,2024-01-01,1', 'a,2024-01-01,2', 'a,2024-01-09,1', 'b,2024-01-02,1', 'b,2024-01-16,1', 'c,2024-01-10,1', 'd,2024-01-21,1'].join('\n');
		const log = parseTransactions(text, mapping);
		const weekly = observedTriangle(log, 7);
		expect(weekly.size).toEqual([2, 1, 1]);
		expect(weekly.retention[0]).toEqual([1, 0.5, 0.5]);
		expect(weekly.retention[1]).toEqual([1, 0]);
		// Observed for 10 days: a (bought again on day 8), b (day 15: too late), c (never); d joined too late to count.
		expect(observedRepurchaseRate(log, 10)).toEqual({ rate: 1 / 3, customers: 3 });
	});
});

describe('cohort tables', () => {
	it('turns counts into shares of period 0, lists bad rows, and takes shares as they are', async () => {
		const { parseCohortTable } = await import('../../src/lib/calibration/cohortTable');
		const counts = ['cohort,period,active', '2024-01,0,200', '2024-01,1,50', '2024-01,2,40', '2024-02,0,100', '2024-02,1,30', '2024-02,x,3'].join('\n');
		const table = parseCohortTable(counts, { cohort: 'cohort', period: 'period', value: 'active', kind: 'count' });
		expect(table.cohorts).toEqual(['2024-01', '2024-02']);
		expect(table.retention).toEqual([
			[1, 0.25, 0.2],
			[1, 0.3, null]
		]);
		expect(table.badRows).toEqual([{ line: 7, reason: 'period "x" is not a whole number ≥ 0' }]);
		const shares = parseCohortTable('c,m,s\nA,0,1\nA,1,0.18\n', { cohort: 'c', period: 'm', value: 's', kind: 'share' });
		expect(shares.retention).toEqual([[1, 0.18]]);
		expect(() => parseCohortTable('c,m,s\nA,0,1.5\nA,1,2\n', { cohort: 'c', period: 'm', value: 's', kind: 'share' })).toThrow(/refused/);
	});
});

describe('large logs', () => {
	it('builds the observed curves of 150,000 customers (no argument-spreading limits)', async () => {
		const { observedTriangle, observedRepurchaseRate } = await import('../../src/lib/calibration/observed');
		const n = 150_000;
		const log = {
			customerIds: Array.from({ length: n }, (_, i) => String(i)),
			customer: Int32Array.from({ length: 2 * n }, (_, i) => i % n),
			day: Int32Array.from({ length: 2 * n }, (_, i) => 19000 + (i < n ? i % 60 : 60 + (i % 90))),
			amount: new Float64Array(2 * n).fill(10),
			length: 2 * n,
			rows: 2 * n,
			badRows: [],
			badCount: 0
		};
		expect(observedTriangle(log, 30).size.reduce((a, b) => a + b, 0)).toBe(n);
		expect(observedRepurchaseRate(log, 30).customers).toBeGreaterThan(0);
	});
});

describe('reading a log in pieces, as the browser reads a large file', () => {
	const cdnow = readFileSync(new URL('../fixtures/cdnow_sample.csv', import.meta.url), 'utf8');
	const tricky =
		'\uFEFFcustomer,when,paid,note\r\na,2024-01-01,10,"two\r\nlines"\r\nb,2024-13-01,5,x\r\n\r\nc,2024-01-03,"1,200","""quoted"""\r\nd,2024-01-04,-1,"a, b"\r\ne,2024-01-05,7,end';

	/** The text cut at pseudo-random places (mid-line, mid-quote, mid-CRLF), fed piece by piece. */
	function inPieces(text: string, seed: number, mapping: { id: string; date: string; amount: string }) {
		const reader = new TransactionReader(mapping);
		let at = 0;
		let x = seed;
		while (at < text.length) {
			x = (x * 1103515245 + 12345) % 2147483648;
			const size = 1 + (x % 97);
			reader.push(text.slice(at, at + size));
			at += size;
		}
		return reader.finish();
	}

	it('reads a file (a Blob) slice by slice into the same log as the whole text, telling the bytes read', async () => {
		const file = new Blob([cdnow]);
		const told: number[] = [];
		const log = await readTransactionFile(file, { id: 'customer_id', date: 'date', amount: 'amount' }, (read) => told.push(read));
		expect(log).toEqual(parseTransactions(cdnow, { id: 'customer_id', date: 'date', amount: 'amount' }));
		expect(told.at(-1)).toBe(file.size);
	});

	/** The text's UTF-8 bytes (or the bytes given) cut at pseudo-random places (mid-line, mid-character), fed to the byte path piece by piece. */
	function bytesInPieces(bytes: Uint8Array, seed: number, mapping: { id: string; date: string; amount: string }) {
		const reader = new TransactionReader(mapping);
		let x = seed;
		for (let at = 0; at < bytes.length; ) {
			x = (x * 1103515245 + 12345) % 2147483648;
			const size = 1 + (x % 61);
			reader.pushBytes(bytes.subarray(at, at + size));
			at += size;
		}
		return reader.finish();
	}

	it('reads plain lines from the bytes into exactly the log the text path reads, whatever the ids, dates, amounts and odd lines', () => {
		const lines = [
			'customer,when,paid',
			'a,2024-01-01,10',
			'客户甲,2024-01-02,5.25',
			'\u00A0a\u00A0,2024-01-03,7', // the same customer as a: trim removes the no-break spaces
			' b ,1965-03-01,0',
			'c,2024/01/05,007',
			'c,2024-0106,12.',
			'd,20240107,.5',
			'e,2024--01-08,1',
			'f,2024-02-30,1',
			'g,2024-01-09 10:30,3',
			'h,2024-01-10,123456789012.125',
			'h,2024-01-10,1234567890123',
			'i,2024-01-11,1.0000000000000001',
			'j,2024-01-12,99999.99',
			',2024-01-13,1',
			' , , ',
			'',
			'k,2024-01-14,¥8',
			'a,2024-01-15,3',
			'l,2024-01-16,"4"',
			'm,2024-01-17,5',
			'a,2024-01-18,6'
		];
		for (const eol of ['\n', '\r\n']) {
			for (const text of [lines.join(eol), lines.join(eol) + eol, lines.slice(0, 20).join(eol) + eol]) {
				const whole = parseTransactions(text, mapping);
				for (const seed of [1, 2, 3, 4]) expect(bytesInPieces(new TextEncoder().encode(text), seed, mapping)).toEqual(whole);
			}
		}
		const log = parseTransactions(lines.join('\n'), mapping);
		expect(log.customerIds.slice(0, 4)).toEqual(['a', '客户甲', 'b', 'c']);
		expect(Array.from(log.amount.slice(0, 7))).toEqual([10, 5.25, 7, 0, 7, 12, 0.5]);
		// Bytes that are not UTF-8 in an id: the row is named, as when the browser decodes the file.
		const garbled = new Uint8Array([...new TextEncoder().encode('customer,when,paid\na,2024-01-01,1\n'), 0xc4, 0xe3, ...new TextEncoder().encode(',2024-01-02,2\nb,2024-01-03,3\n')]);
		const read = bytesInPieces(garbled, 5, mapping);
		expect(read.badRows).toEqual([{ line: 3, reason: expect.stringMatching(/not UTF-8/) }]);
		expect(read.customerIds).toEqual(['a', 'b']);
	});

	it('gives the same log, bad rows and line numbers included, however the file is cut', () => {
		for (const [text, m] of [
			[cdnow, { id: 'customer_id', date: 'date', amount: 'amount' }],
			[tricky, mapping]
		] as const) {
			const whole = parseTransactions(text, m);
			for (const seed of [1, 2, 3]) expect(inPieces(text, seed, m)).toEqual(whole);
			for (const seed of [1, 2, 3]) expect(bytesInPieces(new TextEncoder().encode(text), seed, m)).toEqual(whole);
		}
		const log = parseTransactions(tricky, mapping);
		expect(log.badRows).toEqual([
			{ line: 4, reason: expect.stringMatching(/2024-13-01/) },
			{ line: 7, reason: 'amount -1 is negative' }
		]);
		expect(log.length).toBe(3);
	});
});

