/**
 * Histories for BG/BB, where customers can buy only at numbered occasions:
 * from a recency/frequency table (x, t_x, n and how many customers share
 * them, as the literature prints it), or from a log with a customer id and
 * an occasion number per purchase. Either way the result is unique
 * (x, t_x, n) rows with weights, n carried in T.
 */
import Papa from 'papaparse';
import type { WeightedPurchaseRows } from './sufficientStatistics';

export class OccasionError extends Error {}

/** Histories ready to fit: unique rows, and for a log each customer's id and row. */
export interface OccasionHistories {
	rows: WeightedPurchaseRows;
	/** For a log: each customer's id and their row; for a table, null. */
	customers: { ids: string[]; rowOf: Int32Array } | null;
}

const NAMES = {
	x: ['frequency', 'x'],
	tx: ['recency', 't_x', 'tx'],
	n: ['n', 'periods', 'opportunities'],
	count: ['n_custs', 'count', 'customers', 'weight']
};

const whole = (text: string | undefined) => (text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : NaN);

/** Rows of a parsed CSV with a header, or the first problem. */
function rowsOf(text: string): { fields: string[]; data: Record<string, string>[] } {
	const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
	const error = parsed.errors[0];
	if (error) throw new OccasionError(`line ${(error.row ?? 0) + 2}: ${error.message}`);
	return { fields: (parsed.meta.fields ?? []).map((f) => f.trim()), data: parsed.data };
}

/** Groups (x, t_x, n) histories into unique rows with weights. */
function group(histories: [number, number, number, number][]): WeightedPurchaseRows & { rowOf: Int32Array } {
	const index = new Map<string, number>();
	const x: number[] = [], tx: number[] = [], T: number[] = [], weight: number[] = [];
	const rowOf = new Int32Array(histories.length);
	histories.forEach(([hx, htx, hn, w], i) => {
		const key = `${hx} ${htx} ${hn}`;
		let at = index.get(key);
		if (at === undefined) {
			at = x.push(hx) - 1;
			tx.push(htx);
			T.push(hn);
			weight.push(0);
			index.set(key, at);
		}
		weight[at] += w;
		rowOf[i] = at;
	});
	return { x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: Float64Array.from(weight), customers: weight.reduce((a, b) => a + b, 0), rowOf };
}

/** Whether a header is a recency/frequency table's (it names frequency, recency and n columns). */
export function isRecencyFrequencyHeader(fields: string[]): boolean {
	const has = (key: keyof typeof NAMES) => fields.some((f) => NAMES[key].includes(f.trim().toLowerCase()));
	return has('x') && has('tx') && has('n');
}

/** A recency/frequency table: columns frequency (x), recency (t_x), n and optionally a count; every bad cell named by line. */
export function parseRecencyFrequencyTable(text: string): OccasionHistories {
	const { fields, data } = rowsOf(text);
	const column = (key: keyof typeof NAMES) => fields.find((f) => NAMES[key].includes(f.toLowerCase()));
	const [cx, ctx, cn, ccount] = [column('x'), column('tx'), column('n'), column('count')];
	if (!cx || !ctx || !cn) throw new OccasionError(`a recency/frequency table needs columns ${NAMES.x[0]}, ${NAMES.tx[0]} and ${NAMES.n[0]} (and optionally ${NAMES.count[0]}); the header has ${fields.map((f) => `"${f}"`).join(', ')}`);
	const histories = data.map((row, k): [number, number, number, number] => {
		const line = k + 2;
		const [x, tx, n, count] = [whole(row[cx]), whole(row[ctx]), whole(row[cn]), ccount ? whole(row[ccount]) : 1];
		for (const [name, value] of [[cx, x], [ctx, tx], [cn, n], [ccount ?? 'count', count]] as const) {
			if (Number.isNaN(value)) throw new OccasionError(`line ${line}: ${name} must be a whole number ≥ 0, got "${row[name] ?? ''}"`);
		}
		if (x > n || tx > n || (x === 0) !== (tx === 0) || (x > 0 && tx < x)) throw new OccasionError(`line ${line}: frequency ${x}, recency ${tx} and n ${n} cannot all hold (need x ≤ t_x ≤ n, and t_x = 0 exactly when x = 0)`);
		return [x, tx, n, count];
	});
	if (!histories.length) throw new OccasionError('the table has no rows after its header');
	const rows = group(histories);
	return { rows, customers: null };
}

/** A log of purchases by occasion: each customer's id and distinct occasions, ascending. */
export interface OccasionLog {
	ids: string[];
	occasions: number[][];
	/** The log's last occasion. */
	last: number;
}

/** Reads a log of customer id and occasion number per purchase; a bad row is named by its line. */
export function readOccasionLog(text: string, mapping: { id: string; occasion: string }): OccasionLog {
	const { fields, data } = rowsOf(text);
	for (const key of ['id', 'occasion'] as const) if (!fields.includes(mapping[key])) throw new OccasionError(`no column "${mapping[key]}" (${key}); the header has ${fields.map((f) => `"${f}"`).join(', ')}`);
	const occasions = new Map<string, Set<number>>();
	data.forEach((row, k) => {
		const id = (row[mapping.id] ?? '').trim();
		const occasion = whole(row[mapping.occasion]);
		if (!id) throw new OccasionError(`line ${k + 2}: no customer id in "${mapping.id}"`);
		if (Number.isNaN(occasion)) throw new OccasionError(`line ${k + 2}: occasion must be a whole number ≥ 0, got "${row[mapping.occasion] ?? ''}"`);
		if (!occasions.has(id)) occasions.set(id, new Set());
		occasions.get(id)!.add(occasion);
	});
	if (!occasions.size) throw new OccasionError('the log has no rows after its header');
	const sorted = [...occasions.values()].map((set) => [...set].sort((a, b) => a - b));
	return { ids: [...occasions.keys()], occasions: sorted, last: sorted.reduce((m, o) => Math.max(m, o[o.length - 1]), 0) };
}

/**
 * Histories as of occasion `end`: per customer the first occasion is their
 * start, x counts the later occasions with a purchase up to `end`, t_x is the
 * last of them and n the occasions from the start to `end`. Customers who
 * start after `end` are left out (they have no history yet); `index` gives
 * each kept customer's place in the log.
 */
export function historiesAt(log: OccasionLog, end: number): OccasionHistories & { index: Int32Array } {
	const index: number[] = [];
	const histories: [number, number, number, number][] = [];
	log.occasions.forEach((all, i) => {
		const first = all[0];
		if (first > end) return;
		let x = 0;
		let last = first;
		for (let j = 1; j < all.length && all[j] <= end; j++) [x, last] = [x + 1, all[j]];
		index.push(i);
		histories.push([x, last - first, end - first, 1]);
	});
	if (!histories.length) throw new OccasionError(`no customer has bought by occasion ${end}`);
	const rows = group(histories);
	return { rows, customers: { ids: index.map((i) => log.ids[i]), rowOf: rows.rowOf }, index: Int32Array.from(index) };
}

/** A log of purchases by occasion read as histories up to `lastOccasion` (default: the log's last); see historiesAt. */
export function occasionHistories(text: string, mapping: { id: string; occasion: string }, lastOccasion?: number): OccasionHistories {
	const log = readOccasionLog(text, mapping);
	const { rows, customers } = historiesAt(log, lastOccasion ?? log.last);
	return { rows, customers };
}
