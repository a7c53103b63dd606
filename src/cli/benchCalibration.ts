/**
 * The calibration benchmark (`npm run bench -- --calibration`): a transaction
 * log of about a million rows (the CDNOW sample repeated with fresh customer
 * ids), read as the browser's worker reads a file (4 MB slices through
 * readTransactionFile), then fitted over unique (x, t_x, T) rows: each
 * optimiser start timed on its own, the whole in wall-clock and CPU seconds,
 * and the parameters set beside a fit over every customer.
 */
import { readFileSync } from 'node:fs';
import { BGNBD } from '../lib/calibration/bgnbdFit';
import { calibrationReport, fitJobs, runFitJob, summariseForFit } from '../lib/calibration/calibrate';
import { optimiseStart } from '../lib/calibration/purchaseModel';
import { purchaseRows } from '../lib/calibration/sufficientStatistics';
import { parseDay, readTransactionFile, type TransactionLog } from '../lib/calibration/transactions';

/** The CDNOW sample's rows `copies` times over, each copy with its own customer ids: the text in parts. */
export function bigLogParts(copies: number): { parts: string[]; rows: number } {
	const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
	const [header, ...lines] = readFileSync(`${root}/tests/fixtures/cdnow_sample.csv`, 'utf8').trim().split('\n');
	const parts: string[] = [header + '\n'];
	for (let c = 0; c < copies; c++) parts.push(lines.map((line) => `${c}-${line}`).join('\n') + '\n');
	return { parts, rows: lines.length * copies };
}

/** The same log as a Blob, as the browser's file input gives it. */
function bigLog(copies: number): { blob: Blob; rows: number } {
	const { parts, rows } = bigLogParts(copies);
	return { blob: new Blob(parts), rows };
}

/** CPU seconds of this process: on a shared machine, wall-clock time measures the neighbours too. */
const cpu = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
};

const heap = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

/** Reads the blob as the calibration worker does; the peak memory above the start is sampled after each slice. */
async function readInSlices(blob: Blob): Promise<{ log: TransactionLog; seconds: number; peakBytes: number }> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const base = heap();
	let peak = 0;
	const start = performance.now();
	const log = await readTransactionFile(blob, { id: 'customer_id', date: 'date', amount: 'amount' }, () => (peak = Math.max(peak, heap() - base)));
	return { log, seconds: (performance.now() - start) / 1000, peakBytes: Math.max(peak, heap() - base) };
}

function day(text: string): number {
	const d = parseDay(text);
	if (typeof d === 'string') throw new Error(d);
	return d;
}

export async function benchCalibration(json: boolean): Promise<void> {
	const { blob, rows } = bigLog(145);
	const [wallStart, cpuStart] = [performance.now(), cpu()];
	const read = await readInSlices(blob);
	const start = performance.now();
	const summary = summariseForFit(read.log, day('1997-09-30'), day('1998-06-30'), 'week');
	const summarySeconds = (performance.now() - start) / 1000;
	const jobs = fitJobs(summary);
	const starts = jobs.map((job) => {
		const t = performance.now();
		const result = runFitJob(summary, job);
		return { model: job.model, seconds: (performance.now() - t) / 1000, result };
	});
	const t = performance.now();
	const report = calibrationReport(read.log, summary, jobs, starts.map((s) => s.result), 'week');
	const finishSeconds = (performance.now() - t) / 1000;
	const endToEnd = { seconds: (performance.now() - wallStart) / 1000, cpuSeconds: cpu() - cpuStart };
	// The same BG/NBD fit over every customer (no unique rows), from the start that won: how far the compressed optimum is from it.
	const best = report.starts.reduce((x, y) => (y.logLikelihood > x.logLikelihood ? y : x));
	const uncompressed = optimiseStart(BGNBD, summary, best.start).params;
	const largestRelativeDifference = Math.max(...BGNBD.names.map((k) => Math.abs(report.params[k] / uncompressed[k] - 1)));
	const result = {
		rows,
		fileBytes: blob.size,
		customers: report.customers,
		readSeconds: read.seconds,
		readPeakMegabytes: read.peakBytes / 2 ** 20,
		summarySeconds,
		startSeconds: starts.map((s) => ({ model: s.model, seconds: s.seconds })),
		finishSeconds,
		endToEnd,
		uniqueRows: purchaseRows(summary).x.length,
		params: report.params,
		uncompressedParams: uncompressed,
		largestRelativeDifference
	};
	if (json) return void console.log(JSON.stringify(result, null, 2));
	console.log(`Calibration: ${rows.toLocaleString('en')} rows (${(blob.size / 2 ** 20).toFixed(1)} MB), ${report.customers.toLocaleString('en')} customers in calibration`);
	console.log(`read in 4 MB slices: ${read.seconds.toFixed(2)} s, peak memory above the start ${result.readPeakMegabytes.toFixed(0)} MB`);
	console.log(`summaries: ${summarySeconds.toFixed(2)} s`);
	for (const s of result.startSeconds) console.log(`optimiser start (${s.model}): ${s.seconds.toFixed(2)} s`);
	console.log(`finish (best start, Hessian, holdout, triangles): ${finishSeconds.toFixed(2)} s`);
	console.log(`end to end (read, summaries, fit, report): ${endToEnd.seconds.toFixed(2)} s, ${endToEnd.cpuSeconds.toFixed(2)} s of CPU`);
	console.log(`${result.uniqueRows.toLocaleString('en')} unique (x, t_x, T) rows fitted`);
	const show = (p: Record<string, number>) => BGNBD.names.map((k) => `${k} = ${p[k].toPrecision(7)}`).join(', ');
	console.log(`unique rows:   ${show(report.params)}`);
	console.log(`every customer: ${show(uncompressed)} (largest relative difference ${largestRelativeDifference.toExponential(1)})`);
}
