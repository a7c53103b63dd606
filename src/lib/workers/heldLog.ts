/**
 * The calibration worker reads a transaction log and keeps it; the page never
 * holds the log's rows. It names the log by where it came from: the file as
 * imported (a Blob, which crosses to the worker as a handle and is kept in
 * IndexedDB as it is, never cloned row by row), or a log stored parsed by an
 * earlier version. A worker that does not hold the log named (started afresh
 * after a cancel, or after a reload) reads it again from that source.
 */
import type { BadRow, ColumnMapping, TransactionLog } from '../calibration/transactions';

/** A log by its key (the dataset's id) and where the worker reads it from if it does not hold it. */
export type LogSource = { key: string; file: Blob; mapping: ColumnMapping } | { key: string; log: TransactionLog };

/** What the page shows of a log the worker holds. */
export interface LogSummary {
	/** Rows read into the log, customers, and rows in the file. */
	transactions: number;
	customers: number;
	rows: number;
	/** Transactions as the fits count them (a customer's purchases of one day as one). */
	customerDays: number;
	badRows: BadRow[];
	badCount: number;
	/** The log's first and last day (days since 1970-01-01). */
	firstDay: number;
	lastDay: number;
}
