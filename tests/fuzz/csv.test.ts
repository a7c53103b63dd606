/**
 * Transaction CSV imports under fire. Files are generated row by row with the
 * answer known in advance (which lines are bad, and why), laid out the way
 * real exports are: a BOM, CRLF, blank lines, quoted fields with line breaks
 * and quotes, huge notes, GBK bytes decoded as a browser decodes them, rows
 * with another delimiter, dates out of range, currency symbols, thousands
 * separators and duplicate rows. Each file must be read with exactly the
 * bad rows named by the line they start on, or refused when mostly bad.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/lib/calibration/calibrate';
import { parseDay, parseTransactions, TransactionError } from '../../src/lib/calibration/transactions';
import { runs, Tally } from './fuzz';

const mapping = { id: 'customer', date: 'when', amount: 'paid' };
const HEADER = 'customer,when,paid,note';

/** One generated row: its bytes, the line breaks inside it, and what the reader must say about it. */
interface Row {
	bytes: Uint8Array;
	breaks: number;
	bad: RegExp | null;
	amount?: number;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
function join(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
	return out;
}
const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

const id = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const goodDate = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).chain((d) => {
	const iso = d.toISOString();
	return fc.constantFrom(iso.slice(0, 10), iso.slice(0, 10).replace(/-/g, ''), iso.slice(0, 10).replace(/-/g, '/'), `${iso.slice(0, 10)} ${iso.slice(11, 16)}`, iso.slice(0, 19) + 'Z');
});
/** Amounts as exports write them, with the value they mean. */
const goodAmount = fc.integer({ min: 0, max: 99_999_999 }).chain((cents) => {
	const value = cents / 100;
	const plain = value.toFixed(2);
	const grouped = Math.floor(value).toLocaleString('en') + plain.slice(-3);
	return fc.constantFrom(...[plain, grouped, `¥${grouped}`, `￥${plain}`, `$${plain}`, `CNY ${grouped}`, `${plain} CNY`, `RMB${plain}`, `${plain}元`].map((text) => ({ text, value })));
});
/** A note column: empty, plain, or quoted with commas, quotes and line breaks, sometimes huge. */
const note = fc.oneof(
	fc.constant({ text: '', breaks: 0 }),
	fc.string({ maxLength: 20 }).map((s) => ({ text: quote(s), breaks: s.split('\n').length - 1 })),
	fc.array(fc.constantFrom('line', 'a, b', 'say "hi"', '多行备注', ''), { minLength: 2, maxLength: 5 }).map((parts) => ({ text: quote(parts.join('\n')), breaks: parts.length - 1 })),
	fc.integer({ min: 10_000, max: 200_000 }).map((n) => ({ text: quote('x'.repeat(n)), breaks: 0 }))
);

const good: fc.Arbitrary<Row> = fc.tuple(id, goodDate, goodAmount, note, fc.boolean()).map(([who, when, amount, n, quoted]) => ({
	bytes: utf8(`${quoted ? quote(who) : who},${when},${quote(amount.text)},${n.text}`),
	breaks: n.breaks,
	bad: null,
	amount: amount.value
}));

const badDate = fc.tuple(id, fc.constantFrom('2024-02-30', '1899-12-31', '2201-01-01', '2024-13-01', '0000-00-00', '2024-1-5', '5/1/2024', 'yesterday', '')).map(([who, when]) => ({
	bytes: utf8(`${who},${when},10,`),
	breaks: 0,
	bad: /^date /
}));
const badAmount = fc.tuple(id, fc.constantFrom('ten', '-5', '¥-5', '1e999', '12..3', '1.234,56', '１２', 'NaN', '')).map(([who, paid]) => ({
	bytes: utf8(`${who},2024-01-01,${quote(paid)},`),
	breaks: 0,
	bad: /^amount /
}));
const noId = fc.constantFrom(',2024-01-01,1,', '  ,2024-01-01,1,', '"",2024-01-01,1,').map((line) => ({ bytes: utf8(line), breaks: 0, bad: /^no customer id/ }));
/** A row exported with another delimiter: one field where four are expected. */
const otherDelimiter = fc.tuple(id, fc.constantFrom(';', '\t', '|')).map(([who, d]) => ({ bytes: utf8([who, '2024-01-01', '10', 'x'].join(d)), breaks: 0, bad: /^Too few fields/ }));
/** A customer id in GBK (张三, 李四, 王五): the browser decodes it as UTF-8 with replacement characters. */
const gbkId = fc.constantFrom([0xd5, 0xc5, 0xc8, 0xfd], [0xc0, 0xee, 0xcb, 0xc4], [0xcd, 0xf5, 0xce, 0xe5]).map((name) => ({
	bytes: join([Uint8Array.from(name), utf8(',2024-01-01,10,')]),
	breaks: 0,
	bad: /not UTF-8/
}));
/** A huge line of many fields (a row and its neighbours run together). */
const tooManyFields = fc.integer({ min: 5, max: 5000 }).map((n) => ({ bytes: utf8(Array.from({ length: n }, (_, i) => (i === 1 ? '2024-01-01' : '7')).join(',')), breaks: 0, bad: /^Too many fields/ }));
const badRow: fc.Arbitrary<Row> = fc.oneof(badDate, badAmount, noId, otherDelimiter, gbkId, tooManyFields);

/** A file: rows, some duplicated, with blank lines between some, CRLF or LF, maybe a BOM. */
const file = fc.record({
	rows: fc.array(fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: badRow }), { minLength: 1, maxLength: 40 }),
	duplicates: fc.array(fc.nat(), { maxLength: 5 }),
	blanks: fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '   ', '\t')), { maxLength: 5 }),
	crlf: fc.boolean(),
	bom: fc.boolean()
});

type FileSpec = typeof file extends fc.Arbitrary<infer T> ? T : never;

/** The file's bytes, decoded as a browser's File.text() does, and the bad lines expected. */
function layout({ rows, duplicates, blanks, crlf, bom }: FileSpec) {
	const all = [...rows];
	for (const k of duplicates) all.splice(k % (all.length + 1), 0, rows[k % rows.length]);
	const eol = utf8(crlf ? '\r\n' : '\n');
	const parts: Uint8Array[] = [...(bom ? [Uint8Array.from([0xef, 0xbb, 0xbf])] : []), utf8(HEADER), eol];
	const expected: { line: number; bad: RegExp }[] = [];
	let line = 2;
	all.forEach((row, k) => {
		for (const [at, blank] of blanks) if (at % all.length === k) parts.push(utf8(blank), eol), line++;
		if (row.bad) expected.push({ line, bad: row.bad });
		parts.push(row.bytes, eol);
		line += 1 + row.breaks;
	});
	// A browser's File.text() decodes UTF-8 with replacement characters, and keeps no BOM; Node's readFileSync keeps it.
	const text = (bom ? '\uFEFF' : '') + new TextDecoder('utf-8').decode(join(parts));
	return { text, expected, rows: all };
}

describe('fuzzing transaction CSV imports', () => {
	it('names every bad row by the line it starts on, with the reason, or refuses a mostly bad file', () => {
		const tally = new Tally('CSV, generated files', 'read (bad rows listed)');
		let rowsTried = 0;
		let badRowsNamed = 0;
		fc.assert(
			fc.property(file, (spec) => {
				const { text, expected, rows } = layout(spec);
				rowsTried += rows.length;
				const read = tally.time(() => {
					try {
						return parseTransactions(text, { ...mapping });
					} catch (error) {
						if (error instanceof TransactionError) return error;
						throw error;
					}
				});
				if (read instanceof TransactionError) {
					tally.refused++;
					expect(expected.length).toBeGreaterThan(rows.length / 2);
					expect(read.message).toContain(`(line ${expected[0].line}: `);
					return;
				}
				tally.valid++;
				badRowsNamed += read.badCount;
				expect(read.rows).toBe(rows.length);
				expect(read.badRows.map((b) => b.line)).toEqual(expected.map((e) => e.line));
				read.badRows.forEach((b, k) => expect(b.reason).toMatch(expected[k].bad));
				const amounts = rows.filter((r) => !r.bad).map((r) => r.amount);
				expect([...read.amount]).toEqual(amounts);
			}),
			runs(300)
		);
		tally.print();
		console.log(`fuzz CSV: ${rowsTried} rows in those files, ${badRowsNamed} bad rows named by line in the files read`);
		tally.expectAllCounted(300);
	});

	it('a quote that never closes refuses the file at the line it opens, instead of reading a shortened log', () => {
		const text = 'customer,when,paid\na,2024-01-01,10\n\n"b\nb",2024-01-02,5\nc,2024-01-02,"12\nd,2024-01-03,5\ne,2024-01-04,6\n';
		expect(() => parseTransactions(text, mapping)).toThrow('line 6: a quoted field opened here is never closed');
	});

	it('a header saved as GBK is refused with the encoding named', () => {
		const bytes = join([Uint8Array.from([0xbf, 0xcd, 0xbb, 0xa7]), utf8(',when,paid\na,2024-01-01,1\n')]);
		expect(() => parseTransactions(new TextDecoder().decode(bytes), mapping)).toThrow(/no column "customer" \(id\).*not UTF-8/);
	});

	it('the CDNOW sample with a BOM, CRLF and every row twice reads the same customers, fits the same purchase model, doubles spend, and counts the duplicates', () => {
		const csv = readFileSync(new URL('../fixtures/cdnow_sample.csv', import.meta.url), 'utf8');
		const cdnow = { id: 'customer_id', date: 'date', amount: 'amount' };
		const plain = parseTransactions(csv, cdnow);
		const [header, ...lines] = csv.trimEnd().split('\n');
		const doubled = parseTransactions('\uFEFF' + [header, ...lines.flatMap((l) => [l, l])].join('\r\n') + '\r\n', cdnow);
		expect(doubled.badCount).toBe(0);
		expect(doubled.length).toBe(2 * plain.length);
		expect(doubled.customerIds).toEqual(plain.customerIds);
		// Several rows on one day are one purchase (the literature's rule), so duplicated rows change no purchase-model number;
		// their amounts add, so each day's spend doubles: Gamma-Gamma's scale γ doubles, its shapes p and q do not move.
		const end = parseDay('1997-09-30') as number;
		const fit = (log: typeof plain) => calibrate(log, end, null, 'week').report;
		const { transactions: _a, ...once } = fit(plain);
		const { transactions: _b, ...twice } = fit(doubled);
		expect(twice.params).toEqual(once.params);
		expect(twice.observed).toEqual(once.observed);
		expect(twice.spend.gamma / once.spend.gamma).toBeCloseTo(2, 6);
		expect(twice.spend.p).toBeCloseTo(once.spend.p, 6);
		expect(twice.spend.q).toBeCloseTo(once.spend.q, 6);
		// And the report says how many rows repeat another exactly: every copy, and the sample's own 21.
		expect(once.duplicateRows).toBe(21);
		expect(twice.duplicateRows).toBe(plain.length + 21);
	});
});
