/** Reading a transaction log named on the command line: its columns from the options, bad rows warned about on standard error. */
import { parseTransactions, TransactionError, type TransactionLog } from '../lib/calibration/transactions';
import type { Options } from './args';
import { readInput } from './inputFiles';
import { UsageError } from './usageError';

const WARNED_ROWS = 20;

export function loadTransactions(path: string, values: Options): TransactionLog {
	const text = readInput(path, 'transactions file');
	const mapping = { id: values['id-column'] ?? 'customer_id', date: values['date-column'] ?? 'date', amount: values['amount-column'] ?? 'amount' };
	let log: TransactionLog;
	try {
		log = parseTransactions(text, mapping);
	} catch (error) {
		if (error instanceof TransactionError) throw new UsageError(`${path}: ${error.message}`);
		throw error;
	}
	for (const bad of log.badRows.slice(0, WARNED_ROWS)) console.error(`warning: ${path} line ${bad.line}: ${bad.reason}`);
	if (log.badCount > WARNED_ROWS) console.error(`warning: ${log.badCount - WARNED_ROWS} more rows could not be read`);
	return log;
}
