/**
 * `calibrate <file> --model bgbb [--occasion-column C [--id-column C] [--calibration-end K] [--holdout-end L]] [--scores FILE [--horizon H] [--discount-rate D]]`:
 * BG/BB for discrete occasions, from a recency/frequency table (the file's
 * columns frequency, recency, n and optionally n_custs) or, with
 * --occasion-column, from a log of purchases by occasion number, calibrated
 * through occasion K and checked on the occasions up to L. Prints the fit as
 * JSON (the report the calibration cell shows); --scores writes P(alive) and
 * expected purchases over the next H occasions, per customer (a log) or per
 * row (a table).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bgbbReport, bgbbScoresCsv, readBgbbData, type BgbbData, type BgbbInput } from '../../lib/calibration/bgbbReport';
import { OccasionError } from '../../lib/calibration/occasions';
import { onlyOptions, writeOutput, type Options } from '../args';
import { UsageError } from '../scenarioFile';

function number(option: string, text: string | undefined, fallback: number, min: number, max: number): number {
	if (text === undefined) return fallback;
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new UsageError(`${option} must be a number from ${min} to ${max}, got "${text}"`);
	return value;
}

/** A whole occasion number, or undefined when the option is absent. */
function occasion(option: string, text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`${option} for BG/BB is an occasion number (a whole number ≥ 0), got "${text}"`);
	return Number(text);
}

export async function calibrateBgbbCommand(path: string, values: Options): Promise<void> {
	onlyOptions('calibrate --model bgbb', values, ['model', 'occasion-column', 'id-column', 'calibration-end', 'holdout-end', 'scores', 'horizon', 'discount-rate', 'out']);
	if (values.out) throw new UsageError('--out writes a scenario, and the engine does not simulate BG/BB customers: leave --out out');
	const horizon = number('--horizon', values.horizon, 1, 1, 10000);
	if (!Number.isInteger(horizon)) throw new UsageError(`--horizon for BG/BB counts occasions: a whole number, got "${values.horizon}"`);
	const rate = number('--discount-rate', values['discount-rate'], 0, 0, 1);
	if (!values['occasion-column'] && (values['calibration-end'] || values['holdout-end'])) throw new UsageError('--calibration-end and --holdout-end go with --occasion-column (a table has no occasions to split)');
	const input: BgbbInput = values['occasion-column']
		? { kind: 'log', id: values['id-column'] ?? 'customer_id', occasion: values['occasion-column'], calibrationEnd: occasion('--calibration-end', values['calibration-end']), holdoutEnd: occasion('--holdout-end', values['holdout-end']) }
		: { kind: 'table' };
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	let data: BgbbData;
	let report;
	try {
		data = readBgbbData(text, input);
		report = bgbbReport(data);
	} catch (error) {
		if (error instanceof OccasionError) throw new UsageError(`${path}: ${error.message}`);
		throw error;
	}
	if (values.scores) {
		try {
			writeFileSync(values.scores, bgbbScoresCsv(data.histories, report.fit.params, horizon, rate));
		} catch (error) {
			throw new UsageError(`cannot write --scores ${values.scores}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}
	}
	const { fit, ...rest } = report;
	writeOutput(undefined, JSON.stringify({ ...fit, ...rest }) + '\n');
}
