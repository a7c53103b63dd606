/**
 * Reading a transaction log (one row per purchase: customer id, date, amount)
 * from CSV with papaparse, row by row, into compact typed arrays. Dates may be
 * YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD, with or without a time; amounts may
 * carry a currency symbol or code (¥, ￥, $, CNY, 元) or thousands separators.
 * Every row that cannot be read is counted and listed by the line it starts
 * on, with the reason (ids garbled by a non-UTF-8 encoding among them); a
 * file that is mostly bad, or has a quote that never closes, is refused.
 * A file's plain lines (no quotes, the header's number of fields, ASCII
 * fields in the usual forms: nearly every line of a machine export) are read
 * from its bytes, with no string made per field; every other line goes
 * through the text path, which gives the same log.
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

/** Larger amounts are refused: no purchase is that big, and sums of them would lose every digit that matters. */
const MAX_AMOUNT = 1e12;

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
	const cleaned = text
		.trim()
		.replace(/^[¥￥$€£]|^(CNY|RMB|USD|EUR)\s*/i, '')
		.replace(/\s*(CNY|RMB|USD|EUR|元)$/i, '')
		.replace(/,(?=\d{3}(\D|$))/g, '')
		.trim();
	const value = Number(cleaned);
	if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned) || !Number.isFinite(value)) return `amount "${text}" is not a number`;
	if (value < 0) return `amount ${value} is negative`;
	if (value > MAX_AMOUNT) return `amount ${text.trim().slice(0, 40)} is above 10^12: another unit, or two columns run together?`;
	return value;
}

/**
 * Counts line breaks as papaparse moves through the text, so a row is named
 * by the line it starts on even after quoted line breaks and skipped blank lines.
 */
class LineCounter {
	private position = 0;
	private breaks = 0;
	constructor(
		private readonly text: string,
		private readonly lineBreak: number
	) {}

	/** The line a row starts on: it ends at `cursor` (after its own line break) and holds `inside` line breaks in quoted fields. */
	rowStart(cursor: number, inside: number): number {
		for (; this.position < cursor; this.position++) if (this.text.charCodeAt(this.position) === this.lineBreak) this.breaks++;
		const ownBreak = this.text.charCodeAt(cursor - 1) === this.lineBreak ? 1 : 0;
		return this.breaks - ownBreak - inside + 1;
	}
}

/** Line breaks inside a parsed row's fields (quoted multi-line values, and the extra fields of a too-long row). */
function breaksInside(row: Record<string, unknown>, lineBreak: string): number {
	let count = 0;
	for (const value of Object.values(row)) {
		for (const field of Array.isArray(value) ? value : [value]) if (typeof field === 'string') count += field.split(lineBreak).length - 1;
	}
	return count;
}

/** What U+FFFD in a field means: the bytes were not UTF-8 and the browser replaced them. */
const NOT_UTF8 = 'has bytes that are not UTF-8 text (a GBK or other legacy encoding?); save the file as UTF-8';

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

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter the header line uses: papaparse's guess from the first rows goes wrong when some of them are malformed. */
function headerDelimiter(body: string): string {
	const end = body.search(/[\r\n]/);
	const header = end < 0 ? body : body.slice(0, end);
	const counts = DELIMITERS.map((d) => header.split(d).length - 1);
	const best = counts.indexOf(Math.max(...counts));
	return counts[best] > 0 ? DELIMITERS[best] : ',';
}

/** Refuses a header without the mapped columns, naming what it has (and the encoding, when that is why). */
function checkHeader(fields: string[], mapping: ColumnMapping): void {
	const missing = (['id', 'date', 'amount'] as const).filter((k) => !fields.includes(mapping[k]));
	if (!missing.length) return;
	const encoding = fields.some((f) => f.includes('\uFFFD')) ? `; the header ${NOT_UTF8}` : '';
	throw new TransactionError(
		`no column ${missing.map((k) => `"${mapping[k]}" (${k})`).join(', ')}; the header has ${fields.map((f) => `"${f}"`).join(', ')}${encoding}`
	);
}

/** An amount the fast path reads with Number alone: digits with an optional decimal part. */
const PLAIN_AMOUNT = /^\d{1,12}(\.\d+)?$/;
const MAX_CACHED_DATES = 100_000;

interface PlainColumns {
	count: number;
	id: number;
	date: number;
	amount: number;
}

/** The mapped columns' positions when the header is plain (no quotes, no repeated names), else null. */
function plainColumns(header: string, delimiter: string, mapping: ColumnMapping): PlainColumns | null {
	const line = header.replace(/\r?\n$/, '');
	if (line.includes('"') || line.includes('\r')) return null;
	const fields = line.split(delimiter);
	if (new Set(fields).size !== fields.length) return null;
	const [id, date, amount] = [mapping.id, mapping.date, mapping.amount].map((name) => fields.indexOf(name));
	return id < 0 || date < 0 || amount < 0 ? null : { count: fields.length, id, date, amount };
}

/** Parses CSV text (with a header line) into a transaction log. */
export function parseTransactions(text: string, mapping: ColumnMapping): TransactionLog {
	const reader = new TransactionReader(mapping);
	reader.push(text);
	return reader.finish();
}

/** A file is read 4 MB at a time: memory stays flat however long the log is. */
const SLICE_BYTES = 4 * 2 ** 20;

/** The blanks String.prototype.trim removes, among ASCII bytes (line breaks never reach a field). */
const isAsciiSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * An amount field that PLAIN_AMOUNT accepts, from its bytes; or -1 (the text
 * path reads it). At most 15 digits, so digits / 10^decimals is the division
 * of two exact doubles, correctly rounded: exactly what Number gives the text.
 */
function plainAmount(data: Uint8Array, start: number, end: number): number {
	let value = 0;
	let digits = 0;
	let point = -1;
	for (let i = start; i < end; i++) {
		const c = data[i];
		if (c >= 48 && c <= 57) {
			value = value * 10 + c - 48;
			digits++;
		} else if (c === 46 && point < 0 && digits > 0) point = digits;
		else return -1;
	}
	const whole = point < 0 ? digits : point;
	if (whole < 1 || whole > 12 || digits > 15 || point === digits) return -1;
	return point < 0 ? value : value / POWERS_OF_TEN[digits - point];
}

/**
 * Customers numbered in order of first appearance, found by the UTF-8 bytes
 * of their trimmed id in an open-addressing table: a plain line's id is
 * looked up from the file's bytes, and the ids become strings once, at the end.
 */
class CustomerIndex {
	count = 0;
	/** Whether some id has a byte outside ASCII (then each is decoded on its own). */
	private wide = false;
	private bytes = new Uint8Array(1 << 16);
	private used = 0;
	/** Where each customer's id bytes start in `bytes` (and end: the next one's start), and its hash. */
	private from = new Int32Array(1025);
	private hashes = new Int32Array(1024);
	/** Customer number + 1 by slot; 0 is empty. */
	private slots = new Int32Array(1 << 12);
	private readonly encoder = new TextEncoder();

	/** The number of the customer whose id is data[start, end) (ASCII or UTF-8), a new one if not seen before. */
	index(data: Uint8Array, start: number, end: number): number {
		let hash = 0x811c9dc5;
		for (let i = start; i < end; i++) hash = Math.imul(hash ^ data[i], 16777619);
		const mask = this.slots.length - 1;
		const length = end - start;
		for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
			const found = this.slots[slot] - 1;
			if (found < 0) return this.add(data, start, end, hash, slot);
			if (this.hashes[found] !== hash || this.from[found + 1] - this.from[found] !== length) continue;
			let same = true;
			for (let i = 0, j = this.from[found]; i < length; i++, j++) {
				if (this.bytes[j] !== data[start + i]) {
					same = false;
					break;
				}
			}
			if (same) return found;
		}
	}

	/** The number of the customer with this (trimmed) id. */
	indexOf(id: string): number {
		const bytes = this.encoder.encode(id);
		if (bytes.length !== id.length) this.wide = true;
		return this.index(bytes, 0, bytes.length);
	}

	/** Every customer's id, by number. */
	ids(): string[] {
		const decoder = new TextDecoder();
		// ASCII: one string for all, cut at the byte offsets; else each id decoded on its own.
		const all = this.wide ? '' : decoder.decode(this.bytes.subarray(0, this.used));
		const ids = new Array<string>(this.count);
		for (let n = 0; n < this.count; n++) ids[n] = this.wide ? decoder.decode(this.bytes.subarray(this.from[n], this.from[n + 1])) : all.slice(this.from[n], this.from[n + 1]);
		return ids;
	}

	private add(data: Uint8Array, start: number, end: number, hash: number, slot: number): number {
		const n = this.count++;
		const length = end - start;
		if (this.used + length > this.bytes.length) this.bytes = grown(this.bytes, this.used + length);
		this.bytes.set(data.subarray(start, end), this.used);
		this.used += length;
		if (n + 2 > this.from.length) this.from = grown(this.from, n + 2);
		if (n + 1 > this.hashes.length) this.hashes = grown(this.hashes, n + 1);
		this.from[n + 1] = this.used;
		this.hashes[n] = hash;
		this.slots[slot] = n + 1;
		if (2 * this.count > this.slots.length) this.rehash();
		return n;
	}

	/** Doubles the table when it is half full. */
	private rehash(): void {
		this.slots = new Int32Array(this.slots.length * 2);
		const mask = this.slots.length - 1;
		for (let n = 0; n < this.count; n++) {
			let slot = this.hashes[n] & mask;
			while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
			this.slots[slot] = n + 1;
		}
	}
}

/** A copy of the array at least `size` long (twice as long as it was, or more). */
function grown<T extends Uint8Array | Int32Array>(array: T, size: number): T {
	const copy = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
	copy.set(array);
	return copy;
}

/**
 * Reads a transaction log from a file (a Blob) a slice at a time, never
 * whole, telling `afterSlice` the bytes read so far. Bytes that are not UTF-8
 * become U+FFFD, as in File.text(); the reader names the rows they land in.
 */
export async function readTransactionFile(file: Blob, mapping: ColumnMapping, afterSlice?: (bytesRead: number, bytes: number) => unknown): Promise<TransactionLog> {
	const reader = new TransactionReader(mapping);
	for (let at = 0; at < file.size; at += SLICE_BYTES) {
		reader.pushBytes(new Uint8Array(await file.slice(at, at + SLICE_BYTES).arrayBuffer()));
		await afterSlice?.(Math.min(file.size, at + SLICE_BYTES), file.size);
	}
	return reader.finish();
}

/**
 * Reads a transaction log from text that arrives in pieces (a file read in
 * slices), so a file of millions of rows is never held whole: each piece is
 * cut after its last complete record (a line break outside quotes), and the
 * records are parsed at once into the growing typed arrays. Rows are named by
 * the line they start on in the whole file.
 */
export class TransactionReader {
	private readonly ids = new CustomerIndex();
	private readonly out = new Growable();
	private readonly badRows: BadRow[] = [];
	private badCount = 0;
	private rows = 0;
	/** The header line with its line break, put before every later block so papaparse maps the columns. */
	private header: string | null = null;
	private delimiter = ',';
	/** Text after the last complete record, and how far it has been scanned for quotes. */
	private pending = '';
	private scanned = 0;
	private insideQuotes = false;
	/** Line breaks in the blocks parsed so far: the lines before the next block. */
	private linesBefore = 0;
	/** Where the mapped columns are, for the fast path (null: the header needs papaparse every time). */
	private columns: PlainColumns | null = null;
	private readonly days = new Map<string, number | string>();
	/** Bytes after the last complete line of the pieces pushed as bytes; whether the rest of the file goes through the text path. */
	private carry = new Uint8Array(0);
	private asText = false;
	private readonly decoder = new TextDecoder('utf-8');
	/** For single fields (never streaming). */
	private readonly fieldDecoder = new TextDecoder('utf-8');
	private readonly byteDays = new Map<number, number>();
	private starts = new Int32Array(0);

	constructor(private readonly mapping: ColumnMapping) {}

	/**
	 * Adds the next piece of the file as UTF-8 bytes. Plain lines are read
	 * from the bytes; from the first line that is not plain (a quote, another
	 * number of fields) on, the rest of the file goes through the text path,
	 * as does a file whose header is not plain.
	 */
	pushBytes(bytes: Uint8Array): void {
		if (this.asText) return this.push(this.decoder.decode(bytes, { stream: true }));
		let data = bytes;
		if (this.carry.length) {
			data = new Uint8Array(this.carry.length + bytes.length);
			data.set(this.carry);
			data.set(bytes, this.carry.length);
		}
		let at = 0;
		if (this.header === null) {
			const end = data.indexOf(10);
			if (end < 0) return void (this.carry = data.slice());
			// The header line through the text path (it may be quoted, or name columns the file lacks).
			this.push(this.decoder.decode(data.subarray(0, end + 1), { stream: true }));
			at = end + 1;
			if (this.columns === null) return this.restAsText(data, at);
		}
		const last = data.lastIndexOf(10);
		if (last < at) return void (this.carry = data.slice(at));
		const stop = this.readLines(data, at, last + 1);
		if (stop <= last) return this.restAsText(data, stop);
		this.carry = data.slice(last + 1);
	}

	/** Sends the bytes from `from` on, and every later piece, through the text path. */
	private restAsText(data: Uint8Array, from: number): void {
		this.asText = true;
		this.carry = new Uint8Array(0);
		this.push(this.decoder.decode(data.subarray(from), { stream: true }));
	}

	/**
	 * Reads the plain lines of data[from, to) (the last may lack its line break only at the end of the file); returns where the first other line starts, or `to`.
	 * Its field-cutting loop is parsePlain's on bytes instead of a string: kept as two loops, since a shared one would read each character through a call.
	 */
	private readLines(data: Uint8Array, from: number, to: number): number {
		const columns = this.columns!;
		const separator = this.delimiter.charCodeAt(0);
		if (this.starts.length !== columns.count + 1) this.starts = new Int32Array(columns.count + 1);
		const starts = this.starts;
		let at = from;
		while (at < to) {
			let end = data.indexOf(10, at);
			if (end < 0 || end > to) end = to;
			let stop = end;
			if (stop > at && data[stop - 1] === 13) stop--;
			let fields = 1;
			starts[0] = at;
			let odd = false;
			let ascii = true;
			for (let i = at; i < stop; i++) {
				const c = data[i];
				if (c === 34 || c === 13) {
					odd = true;
					break;
				}
				if (c === separator) {
					if (fields === columns.count) {
						odd = true;
						break;
					}
					starts[fields++] = i + 1;
				} else if (c >= 128) ascii = false;
			}
			starts[fields] = stop + 1;
			if (odd || fields !== columns.count) {
				// As the text path: a line of nothing but blanks and separators is skipped; any other odd line ends the byte path.
				if (odd || !this.blankBytes(data, at, stop, ascii)) return at;
				this.linesBefore++;
			} else {
				this.linesBefore++;
				this.readRow(data, starts, stop, ascii);
			}
			at = end + 1;
		}
		return to;
	}

	/** Whether a line holds nothing but blanks and separators (papaparse's 'greedy' skips it). */
	private blankBytes(data: Uint8Array, start: number, stop: number, ascii: boolean): boolean {
		if (!ascii) return this.fieldDecoder.decode(data.subarray(start, stop)).split(this.delimiter).join('').trim() === '';
		const separator = this.delimiter.charCodeAt(0);
		for (let i = start; i < stop; i++) if (data[i] !== separator && !isAsciiSpace(data[i])) return false;
		return true;
	}

	/** One line with the header's number of fields: read from its bytes when its fields are in the usual forms, else as text. */
	private readRow(data: Uint8Array, starts: Int32Array, stop: number, ascii: boolean): void {
		const columns = this.columns!;
		if (ascii) {
			let [idStart, idEnd] = [starts[columns.id], starts[columns.id + 1] - 1];
			while (idStart < idEnd && isAsciiSpace(data[idStart])) idStart++;
			while (idEnd > idStart && isAsciiSpace(data[idEnd - 1])) idEnd--;
			if (idStart === idEnd && this.blankBytes(data, starts[0], stop, true)) return;
			const day = idStart < idEnd ? this.plainDay(data, starts[columns.date], starts[columns.date + 1] - 1) : NaN;
			const amount = Number.isNaN(day) ? -1 : plainAmount(data, starts[columns.amount], starts[columns.amount + 1] - 1);
			if (amount >= 0) {
				this.rows++;
				this.out.push(this.ids.index(data, idStart, idEnd), day, amount);
				return;
			}
		}
		const field = (k: number) => this.fieldDecoder.decode(data.subarray(starts[k], starts[k + 1] - 1));
		const id = field(columns.id);
		if (id.trim() === '' && this.blankBytes(data, starts[0], stop, ascii)) return;
		this.rows++;
		this.readFields(id, field(columns.date), field(columns.amount), this.linesBefore);
	}

	/** The day of a date field of 8 digits with optional - or / after the year and the month (no time), or NaN: the text path reads it (and names what is wrong). */
	private plainDay(data: Uint8Array, start: number, end: number): number {
		while (start < end && isAsciiSpace(data[start])) start++;
		while (end > start && isAsciiSpace(data[end - 1])) end--;
		let digits = 0;
		let value = 0;
		for (let i = start; i < end; i++) {
			const c = data[i];
			if (c >= 48 && c <= 57) {
				value = value * 10 + c - 48;
				digits++;
			} else if (!((c === 45 || c === 47) && (digits === 4 || digits === 6) && data[i - 1] >= 48 && data[i - 1] <= 57)) return NaN;
		}
		if (digits !== 8) return NaN;
		let day = this.byteDays.get(value);
		if (day === undefined) {
			const parsed = parseDay(String(value).padStart(8, '0'));
			if (typeof parsed === 'string') return NaN;
			day = parsed;
			if (this.byteDays.size < MAX_CACHED_DATES) this.byteDays.set(value, day);
		}
		return day;
	}

	/** Adds the next piece of the file; parses every record it completes. */
	push(text: string): void {
		this.pending += this.header === null && this.pending === '' ? text.replace(/^\uFEFF/, '') : text;
		let boundary = -1;
		for (let i = this.scanned; i < this.pending.length; i++) {
			const c = this.pending.charCodeAt(i);
			if (c === 34) this.insideQuotes = !this.insideQuotes;
			else if (c === 10 && !this.insideQuotes) boundary = i;
		}
		this.scanned = this.pending.length;
		if (boundary < 0) return;
		const block = this.pending.slice(0, boundary + 1);
		this.pending = this.pending.slice(boundary + 1);
		this.scanned = this.pending.length;
		this.parse(block);
	}

	/** Parses what is left and returns the log; refuses a file with no rows or mostly bad ones. */
	finish(): TransactionLog {
		if (this.carry.length) {
			// The last line of a file that does not end with a line break (or a file without one at all).
			const rest = this.carry;
			this.carry = new Uint8Array(0);
			const stop = this.header === null ? 0 : this.readLines(rest, 0, rest.length);
			if (stop < rest.length) this.restAsText(rest, stop);
		}
		if (this.asText) this.push(this.decoder.decode());
		if (this.pending.trim() !== '' || this.header === null) this.parse(this.pending);
		this.pending = '';
		const { rows, badCount, badRows, out } = this;
		if (rows === 0) throw new TransactionError('the file has no rows after its header');
		if (badCount > rows * MOSTLY_BAD) {
			const first = badRows.slice(0, 5).map((b) => `line ${b.line}: ${b.reason}`).join('; ');
			throw new TransactionError(`${badCount} of ${rows} rows cannot be read, so the file is refused (${first})`);
		}
		return {
			customerIds: this.ids.ids(),
			customer: out.customer.subarray(0, out.length),
			day: out.day.subarray(0, out.length),
			amount: out.amount.subarray(0, out.length),
			length: out.length,
			rows,
			badRows,
			badCount
		};
	}

	private bad(line: number, reason: string): void {
		this.badCount++;
		if (this.badRows.length < MAX_LISTED) this.badRows.push({ line, reason });
	}

	/** Parses complete records; the first block starts with the header, later ones get it put in front. */
	private parse(block: string, slow = false): void {
		if (!slow && this.header !== null && this.parsePlain(block)) return;
		if (!slow && this.header === null && this.parsePlainHeader(block)) return;
		const first = this.header === null;
		if (first) {
			const end = block.indexOf('\n');
			this.header = end < 0 ? block + '\n' : block.slice(0, end + 1);
			this.delimiter = headerDelimiter(block);
		}
		const body = first ? block : this.header + block;
		// Lines of the file before the body's own line 1 (a later body's line 1 is the repeated header).
		const offset = first ? 0 : this.linesBefore - 1;
		let lines: LineCounter | null = null;
		let headerChecked = !first;
		Papa.parse<Record<string, string>>(body, {
			header: true,
			delimiter: this.delimiter,
			skipEmptyLines: 'greedy',
			step: (result, parser) => {
				if (!headerChecked) {
					headerChecked = true;
					checkHeader(result.meta.fields ?? [], this.mapping);
				}
				this.rows++;
				const lineBreak = result.meta.linebreak || '\n';
				lines ??= new LineCounter(body, lineBreak.charCodeAt(lineBreak.length - 1));
				const row = result.data;
				const line = offset + lines.rowStart(result.meta.cursor, breaksInside(row, lineBreak.slice(-1)));
				// An unclosed quote swallows every line after it: refuse rather than read a silently shortened log.
				const unclosed = result.errors.find((e) => e.code === 'MissingQuotes');
				if (unclosed) {
					parser.abort();
					const at = offset + body.slice(0, unclosed.index).split(lineBreak).length;
					throw new TransactionError(`line ${at}: a quoted field opened here is never closed, so the rest of the file cannot be read; close the quote`);
				}
				if (result.errors.length) return this.bad(line, result.errors[0].message);
				this.read(row, line);
			}
		});
		// A header with no rows after it: its columns are still checked, so a wrong mapping is named before "no rows".
		if (first && !headerChecked) checkHeader(Papa.parse<string[]>(this.header!, { delimiter: this.delimiter }).data[0] ?? [], this.mapping);
		for (let i = 0; i < block.length; i++) if (block.charCodeAt(i) === 10) this.linesBefore++;
		if (first) this.columns = plainColumns(this.header!, this.delimiter, this.mapping);
	}

	/** A first block whose header is plain: the header read by hand, the rows by the fast path. */
	private parsePlainHeader(block: string): boolean {
		const end = block.indexOf('\n');
		if (end < 0) return false;
		const header = block.slice(0, end + 1);
		const delimiter = headerDelimiter(block);
		const columns = plainColumns(header, delimiter, this.mapping);
		if (columns === null) return false;
		this.header = header;
		this.delimiter = delimiter;
		this.columns = columns;
		this.linesBefore = 1;
		return this.parsePlain(block.slice(end + 1));
	}

	/**
	 * The fast path for lines with no quotes and the header's number of
	 * fields (nearly every line of a machine export): cut by hand, several
	 * times faster than papaparse's general parser. From the first other line
	 * on, the rest of the block goes to papaparse, which names its odd rows.
	 * readLines cuts fields the same way on bytes: a change to one belongs in both.
	 */
	private parsePlain(block: string): boolean {
		const columns = this.columns;
		if (columns === null) return false;
		const delimiter = this.delimiter;
		const separator = delimiter.charCodeAt(0);
		const starts = new Int32Array(columns.count + 1);
		let at = 0;
		while (at < block.length) {
			let end = block.indexOf('\n', at);
			if (end < 0) end = block.length;
			let stop = end;
			if (stop > at && block.charCodeAt(stop - 1) === 13) stop--;
			// Field starts; the line is odd (quotes, a stray CR, another field count) if they do not come out right.
			let fields = 1;
			starts[0] = at;
			let odd = false;
			for (let i = at; i < stop; i++) {
				const c = block.charCodeAt(i);
				if (c === 34 || c === 13) {
					odd = true;
					break;
				}
				if (c === separator) {
					if (fields === columns.count) {
						odd = true;
						break;
					}
					starts[fields++] = i + 1;
				}
			}
			starts[fields] = stop + 1;
			const field = (k: number) => block.slice(starts[k], starts[k + 1] - 1);
			const id = odd || fields !== columns.count ? '' : field(columns.id);
			// papaparse's 'greedy' skips a line whose fields are all blank (an empty line among them).
			const blank = id.trim() === '' && !odd && block.slice(at, stop).split(delimiter).join('').trim() === '';
			if (!blank && (odd || fields !== columns.count)) {
				this.parse(block.slice(at), true);
				return true;
			}
			this.linesBefore++;
			if (!blank) {
				this.rows++;
				this.readFields(id, field(columns.date), field(columns.amount), this.linesBefore);
			}
			at = end + 1;
		}
		return true;
	}

	private read(row: Record<string, string>, line: number): void {
		const { mapping } = this;
		this.readFields(row[mapping.id] ?? '', row[mapping.date] ?? '', row[mapping.amount] ?? '', line);
	}

	private readFields(idText: string, dateText: string, amountText: string, line: number): void {
		const id = idText.trim();
		if (!id) return this.bad(line, `no customer id in "${this.mapping.id}"`);
		if (id.includes('\uFFFD')) return this.bad(line, `customer id "${id.slice(0, 40)}" ${NOT_UTF8}`);
		// A log has few distinct dates and many rows: each date string is parsed once.
		let day = this.days.get(dateText);
		if (day === undefined) {
			day = parseDay(dateText);
			if (this.days.size < MAX_CACHED_DATES) this.days.set(dateText, day);
		}
		if (typeof day === 'string') return this.bad(line, day);
		const amount = PLAIN_AMOUNT.test(amountText) ? Number(amountText) : parseAmount(amountText);
		if (typeof amount === 'string') return this.bad(line, amount);
		this.out.push(this.ids.indexOf(id), day, amount);
	}
}
