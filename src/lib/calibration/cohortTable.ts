/**
 * Reading a cohort table (one row per cohort and period: the cohort's label,
 * the period m = 0, 1, …, and either the count of the cohort active in that
 * period or the share) into a retention triangle comparable with the
 * engine's. Counts become shares of the cohort's period-0 count. Bad rows are
 * listed by line; a mostly bad file is refused.
 */
import Papa from 'papaparse';
import type { BadRow } from './transactions';
import { TransactionError } from './transactions';

export interface CohortTableMapping {
	cohort: string;
	period: string;
	/** The column with counts, or with shares (0 to 1). */
	value: string;
	kind: 'count' | 'share';
}

export interface CohortTable {
	cohorts: string[];
	/** retention[c][m], null where the table has no value. */
	retention: (number | null)[][];
	/** Period-0 counts when the table gives counts. */
	size: number[] | null;
	badRows: BadRow[];
}

/** Parses a cohort table CSV (with a header line). */
export function parseCohortTable(text: string, mapping: CohortTableMapping): CohortTable {
	const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
	const fields = parsed.meta.fields ?? [];
	const missing = (['cohort', 'period', 'value'] as const).filter((k) => !fields.includes(mapping[k]));
	if (missing.length) throw new TransactionError(`no column ${missing.map((k) => `"${mapping[k]}" (${k})`).join(', ')}; the header has ${fields.map((f) => `"${f}"`).join(', ')}`);
	const badRows: BadRow[] = [];
	const cells = new Map<string, Map<number, number>>();
	parsed.data.forEach((row, i) => {
		const line = i + 2;
		const cohort = (row[mapping.cohort] ?? '').trim();
		const period = Number(row[mapping.period]);
		const value = Number(row[mapping.value]);
		if (!cohort) return badRows.push({ line, reason: `no cohort in "${mapping.cohort}"` });
		if (!Number.isInteger(period) || period < 0) return badRows.push({ line, reason: `period "${row[mapping.period]}" is not a whole number ≥ 0` });
		if (!Number.isFinite(value) || value < 0 || (mapping.kind === 'share' && value > 1)) {
			return badRows.push({ line, reason: `${mapping.kind} "${row[mapping.value]}" is not ${mapping.kind === 'share' ? 'between 0 and 1' : 'a count ≥ 0'}` });
		}
		if (!cells.has(cohort)) cells.set(cohort, new Map());
		if (cells.get(cohort)!.has(period)) return badRows.push({ line, reason: `cohort "${cohort}" period ${period} appears twice` });
		cells.get(cohort)!.set(period, value);
	});
	if (parsed.data.length === 0) throw new TransactionError('the file has no rows after its header');
	if (badRows.length > parsed.data.length / 2) throw new TransactionError(`${badRows.length} of ${parsed.data.length} rows cannot be read, so the file is refused (line ${badRows[0].line}: ${badRows[0].reason})`);
	const cohorts = [...cells.keys()].sort();
	const periods = Math.max(...[...cells.values()].flatMap((m) => [...m.keys()])) + 1;
	const size = mapping.kind === 'count' ? cohorts.map((c) => cells.get(c)!.get(0) ?? 0) : null;
	const retention = cohorts.map((c, i) =>
		Array.from({ length: periods }, (_, m) => {
			const v = cells.get(c)!.get(m);
			if (v === undefined) return null;
			if (mapping.kind === 'share') return v;
			return size![i] > 0 ? v / size![i] : null;
		})
	);
	return { cohorts, retention, size, badRows };
}
