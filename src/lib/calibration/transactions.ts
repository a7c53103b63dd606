/**
 * Reading a transaction log (one row per purchase: customer id, date, amount)
 * from CSV with papaparse, row by row, into compact typed arrays. Dates may be
 * YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD, with or without a time; amounts may
 * carry a currency symbol or thousands separators. Every row that cannot be
 * read is counted and listed by line with the reason; a file that is mostly
 * bad is refused.
 */
import Papa from 'papaparse';

/** Which columns hold what (header names). */
export interface ColumnMapping {
	id: string;
	date: string;
	amount: string;
}

/** A row that could not be read. */
export interface BadRow {
	line: number;
	reason: string;
}

export interface TransactionLog {
	/** Customer ids by index. */
	customerIds: string[];
	/** Per transaction: customer index, day (days since 1970-01-01) and amount. */
	customer: Int32Array;
	day: Int32Array;
	amount: Float64Array;
	length: number;
	rows: number;
	badRows: BadRow[];
	/** Bad rows in all (badRows keeps the first MAX_LISTED). */
	badCount: number;
}

const MAX_LISTED = 1000;
/** Above this share of bad rows the file is refused rather than read. */
const MOSTLY_BAD = 0.5;

export class TransactionError extends Error {}

const DATE = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Days since 1970-01-01 of a date string, or a reason it is not one. */
export function parseDay(text: string): number | string {
	const m = DATE.exec(text.trim());
	if (!m) return `date "${text}" is not YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD`;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const ms = Date.UTC(year, month - 1, day);
	const check = new Date(ms);
	if (year < 1900 || year > 2200 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return `date "${text}" does not exist`;
	return Math.round(ms / 86_400_000);
}

/** A day number back as YYYY-MM-DD. */
export function formatDay(day: number): string {
	return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** An amount, allowing a currency symbol and thousands separators; or a reason. */
export function parseAmount(text: string): number | string {
	const cleaned = text.trim().replace(/^[¥$€£]|^(CNY|RMB|USD|EUR)\s*/i, '').replace(/,(?=\d{3}(\D|$))/g, '').trim();
	const value = Number(cleaned);
	if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned) || !Number.isFinite(value)) return `amount "${text}" is not a number`;
	if (value < 0) return `amount ${value} is negative`;
	return value;
}

class Growable {
	customer = new Int32Array(1024);
	day = new Int32Array(1024);
	amount = new Float64Array(1024);
	length = 0;
	push(c: number, d: number, a: number) {
		if (this.length === this.customer.length) {
			const grow = <T extends Int32Array | Float64Array>(x: T): T => {
				const y = new (x.constructor as new (n: number) => T)(x.length * 2);
				y.set(x);
				return y;
			};
			this.customer = grow(this.customer);
			this.day = grow(this.day);
			this.amount = grow(this.amount);
		}
		this.customer[this.length] = c;
		this.day[this.length] = d;
		this.amount[this.length++] = a;
	}
}

/** Parses CSV text (with a header line) into a transaction log. */
export function parseTransactions(text: string, mapping: ColumnMapping): TransactionLog {
	const ids = new Map<string, number>();
	const customerIds: string[] = [];
	const out = new Growable();
	const badRows: BadRow[] = [];
	let badCount = 0;
	let rows = 0;
	let headerChecked = false;
	const bad = (line: number, reason: string) => {
		badCount++;
		if (badRows.length < MAX_LISTED) badRows.push({ line, reason });
	};
	Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
		header: true,
		skipEmptyLines: 'greedy',
		step: (result, parser) => {
			if (!headerChecked) {
				headerChecked = true;
				const missing = (['id', 'date', 'amount'] as const).filter((k) => !result.meta.fields?.includes(mapping[k]));
				if (missing.length) {
					parser.abort();
					throw new TransactionError(
						`no column ${missing.map((k) => `"${mapping[k]}" (${k})`).join(', ')}; the header has ${(result.meta.fields ?? []).map((f) => `"${f}"`).join(', ')}`
					);
				}
			}
			rows++;
			const line = rows + 1; // the header is line 1
			if (result.errors.length) return bad(line, result.errors[0].message);
			const row = result.data;
			const id = (row[mapping.id] ?? '').trim();
			if (!id) return bad(line, `no customer id in "${mapping.id}"`);
			const day = parseDay(row[mapping.date] ?? '');
			if (typeof day === 'string') return bad(line, day);
			const amount = parseAmount(row[mapping.amount] ?? '');
			if (typeof amount === 'string') return bad(line, amount);
			let index = ids.get(id);
			if (index === undefined) {
				index = customerIds.push(id) - 1;
				ids.set(id, index);
			}
			out.push(index, day, amount);
		}
	});
	if (rows === 0) throw new TransactionError('the file has no rows after its header');
	if (badCount > rows * MOSTLY_BAD) {
		const first = badRows.slice(0, 5).map((b) => `line ${b.line}: ${b.reason}`).join('; ');
		throw new TransactionError(`${badCount} of ${rows} rows cannot be read, so the file is refused (${first})`);
	}
	return {
		customerIds,
		customer: out.customer.subarray(0, out.length),
		day: out.day.subarray(0, out.length),
		amount: out.amount.subarray(0, out.length),
		length: out.length,
		rows,
		badRows,
		badCount
	};
}
