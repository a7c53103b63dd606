/**
 * Reading a transaction log named on the command line: streamed from disk a
 * piece at a time through the same reader the browser's worker uses, so
 * memory follows the rows kept (16 bytes each) and the customer ids, never
 * the file's bytes. Its digest is taken on the way, for a sharded run's
 * merge check. Its columns come from the options; bad rows are warned about
 * on standard error.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TransactionError, TransactionReader, type TransactionLog } from '../lib/calibration/transactions';
import type { Options } from './args';
import { recordInput } from './inputFiles';
import { UsageError } from './usageError';

const WARNED_ROWS = 20;

/** Reads the log at `path`, refusing an unreadable file or a bad log with the path named. */
export async function loadTransactions(path: string, values: Options): Promise<TransactionLog> {
	const mapping = { id: values['id-column'] ?? 'customer_id', date: values['date-column'] ?? 'date', amount: values['amount-column'] ?? 'amount' };
	const reader = new TransactionReader(mapping);
	const digest = createHash('sha256');
	let log: TransactionLog;
	try {
		for await (const chunk of createReadStream(path, { highWaterMark: 4 * 2 ** 20 })) {
			const bytes = chunk as Buffer;
			digest.update(bytes);
			// A plain Uint8Array over the chunk: the reader copies what it keeps (a Buffer's slice would be a view).
			reader.pushBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
		}
		log = reader.finish();
	} catch (error) {
		if (error instanceof TransactionError) throw new UsageError(`${path}: ${error.message}`);
		const code = (error as NodeJS.ErrnoException).code;
		if (code) throw new UsageError(`cannot read transactions file ${path}: ${code}`);
		throw error;
	}
	recordInput(path, digest.digest('hex'));
	for (const bad of log.badRows.slice(0, WARNED_ROWS)) console.error(`warning: ${path} line ${bad.line}: ${bad.reason}`);
	if (log.badCount > WARNED_ROWS) console.error(`warning: ${log.badCount - WARNED_ROWS} more rows could not be read`);
	return log;
}
