/**
 * `calibrate <file> --model bgbb [--occasion-column C [--id-column C]] [--scores FILE [--horizon H] [--discount-rate D]]`:
 * BG/BB for discrete occasions, from a recency/frequency table (the file's
 * columns frequency, recency, n and optionally n_custs) or, with
 * --occasion-column, from a log of purchases by occasion number. Prints the
 * fit as JSON; --scores writes P(alive) and expected purchases over the next
 * H occasions, per customer (a log) or per row (a table).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { BGBB } from '../../lib/calibration/bgbb';
import { occasionHistories, OccasionError, parseRecencyFrequencyTable, type OccasionHistories } from '../../lib/calibration/occasions';
import { fitModel } from '../../lib/calibration/purchaseModel';
import { onlyOptions, writeOutput, type Options } from '../args';
import { UsageError } from '../scenarioFile';

function number(option: string, text: string | undefined, fallback: number, min: number, max: number): number {
	if (text === undefined) return fallback;
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new UsageError(`${option} must be a number from ${min} to ${max}, got "${text}"`);
	return value;
}

/** Expected purchases over the next `horizon` occasions, each occasion's discounted at `rate`. */
function discountedPurchases(params: Record<string, number>, x: number, tx: number, n: number, horizon: number, rate: number): number {
	let total = 0;
	let before = 0;
	for (let k = 1; k <= horizon; k++) {
		const now = BGBB.conditionalExpectedPurchases(params, x, tx, n, k);
		total += (now - before) / Math.pow(1 + rate, k);
		before = now;
	}
	return total;
}

export async function calibrateBgbbCommand(path: string, values: Options): Promise<void> {
	onlyOptions('calibrate --model bgbb', values, ['model', 'occasion-column', 'id-column', 'scores', 'horizon', 'discount-rate', 'out']);
	if (values.out) throw new UsageError('--out writes a scenario, and the engine does not simulate BG/BB customers: leave --out out');
	const horizon = number('--horizon', values.horizon, 1, 1, 10000);
	if (!Number.isInteger(horizon)) throw new UsageError(`--horizon for BG/BB counts occasions: a whole number, got "${values.horizon}"`);
	const rate = number('--discount-rate', values['discount-rate'], 0, 0, 1);
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	let histories: OccasionHistories;
	try {
		histories = values['occasion-column']
			? occasionHistories(text, { id: values['id-column'] ?? 'customer_id', occasion: values['occasion-column'] })
			: parseRecencyFrequencyTable(text);
	} catch (error) {
		if (error instanceof OccasionError) throw new UsageError(`${path}: ${error.message}`);
		throw error;
	}
	const { rows } = histories;
	const repeaters = rows.x.reduce((n, x, i) => n + (x > 0 ? rows.weight[i] : 0), 0);
	if (rows.customers < 10 || repeaters < 5) throw new UsageError(`${path}: ${rows.customers} customers, ${repeaters} of them buying again: too few to fit BG/BB (at least 10 and 5)`);
	const fit = fitModel(BGBB, rows);
	const most = rows.T.reduce((m, n) => Math.max(m, n), 0);
	const report = {
		...fit,
		label: BGBB.label,
		/** E[X(n)] for a new customer, n = 1 … the longest history, beside the mean of those histories' purchases. */
		expected: Array.from({ length: most }, (_, k) => ({ occasions: k + 1, expectedPurchases: BGBB.expectedRepeatPurchases(fit.params, k + 1) }))
	};
	if (values.scores) {
		const perRow = Array.from(rows.x, (x, k) => ({
			alive: BGBB.probabilityAlive(fit.params, x, rows.tx[k], rows.T[k]),
			purchases: discountedPurchases(fit.params, x, rows.tx[k], rows.T[k], horizon, rate)
		}));
		const head = ['p_alive', rate > 0 ? 'discounted_expected_purchases' : 'expected_purchases'];
		const csv = histories.customers
			? Papa.unparse({ fields: ['customer_id', 'x', 't_x', 'n', ...head], data: histories.customers.ids.map((id, i) => { const k = histories.customers!.rowOf[i]; return [id, rows.x[k], rows.tx[k], rows.T[k], perRow[k].alive, perRow[k].purchases].map(String); }) }, { newline: '\n' })
			: Papa.unparse({ fields: ['x', 't_x', 'n', 'customers', ...head], data: perRow.map((p, k) => [rows.x[k], rows.tx[k], rows.T[k], rows.weight[k], p.alive, p.purchases].map(String)) }, { newline: '\n' });
		try {
			writeFileSync(values.scores, csv + '\n');
		} catch (error) {
			throw new UsageError(`cannot write --scores ${values.scores}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}
	}
	writeOutput(undefined, JSON.stringify(report) + '\n');
}
