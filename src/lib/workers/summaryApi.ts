/**
 * Summarising experiment results where the page does not wait: in a Web
 * Worker of its own (the simulation workers are busy simulating), so the
 * bands, comparisons and reports of every replication so far, tens to
 * hundreds of milliseconds of work, never block the page. Replications are
 * handed over once each as they arrive, their typed arrays transferred, not
 * copied; the worker keeps them per stream (one experiment run) and
 * summarises what is complete when asked. Outside a browser (tests, Node)
 * the same happens in place.
 */
import { transfer, wrap, type Remote } from 'comlink';
import type { RunOutput } from '../engine/output';
import type { ResolvedVariant } from '../experiment/experiment';
import type { VariantRuns } from '../experiment/runVariants';
import { ReplicationCollector, summarise, type ExperimentResults } from '../notebook/experimentCell';
import { nextTask } from './nextTask';
import { fromWire, toWire, type ResultsWire } from './resultsWire';

type SummaryArgs = Parameters<typeof summarise>;
type Resolved = SummaryArgs[1];
type Stopping = SummaryArgs[5];

/** The summaries one thread offers: streams of replications, and a summary of finished runs. */
function summaries() {
	const streams = new Map<number, ReplicationCollector>();
	return {
		/** Starts stream `id` for these runs (variants, sweep points or sensitivity runs). */
		open(id: number, runs: ResolvedVariant[]): void {
			streams.set(id, new ReplicationCollector(runs));
		},
		/** Adds replication k of one run to stream `id`. */
		add(id: number, run: string, k: number, output: RunOutput): void {
			streams.get(id)?.add(run, k, output);
		},
		/** Summarises the replications complete in every run of stream `id` (a sweep's cells so far before the first); null before anything can be shown. */
		summariseStream(id: number, key: string, resolved: Resolved, wallSeconds: number, stopping?: Stopping): ExperimentResults | null {
			const partial = streams.get(id)?.partial(resolved.design);
			if (!partial) return null;
			const results = summarise(key, resolved, partial.runs, wallSeconds, [], stopping);
			return partial.cellsOnly ? { ...results, cellsSoFar: { done: partial.runs.length, total: resolved.runs.length } } : results;
		},
		/** Forgets stream `id`. */
		close(id: number): void {
			streams.delete(id);
		},
		summarise
	};
}

/** The summaries of one thread. */
export const summaryApi = summaries();

/** What the summary worker offers: the same, its results sent as JSON text where that is exact (see resultsWire.ts). */
export const summaryWorkerApi = {
	...summaryApi,
	summariseStream(...args: Parameters<typeof summaryApi.summariseStream>): ResultsWire<ExperimentResults> | null {
		const results = summaryApi.summariseStream(...args);
		return results && toWire(results);
	},
	summarise(...args: SummaryArgs): ResultsWire<ExperimentResults> {
		return toWire(summaryApi.summarise(...args));
	}
};
export type SummaryWorkerApi = typeof summaryWorkerApi;

/** Summaries made later, wherever they are made. */
export interface Summariser {
	open(id: number, runs: ResolvedVariant[]): void;
	/** Hands over a replication: its arrays may move away, so the caller must not read them again. */
	add(id: number, run: string, k: number, output: RunOutput): void;
	summariseStream(id: number, key: string, resolved: Resolved, wallSeconds: number, stopping?: Stopping): Promise<ExperimentResults | null>;
	closeStream(id: number): void;
	/** Summarises finished runs; their arrays may move away too. */
	summarise(...args: SummaryArgs): Promise<ExperimentResults>;
	/** Stops the summariser's worker, if it has one. */
	close(): void;
}

/** Summarises in this thread (tests, Node, or a page with no Web Workers). */
export function summariserHere(): Summariser {
	const here = summaries();
	return {
		open: here.open,
		add: here.add,
		summariseStream: async (...args) => here.summariseStream(...args),
		closeStream: here.close,
		summarise: async (...args) => here.summarise(...args),
		close: () => {}
	};
}

/** The typed arrays' buffers of replications, each once, to transfer rather than copy. */
function buffersOf(outputs: RunOutput[]): ArrayBuffer[] {
	const buffers = new Set<ArrayBuffer>();
	for (const output of outputs) for (const value of Object.values(output)) if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
	return [...buffers];
}

/** A summariser on a Web Worker (started at once, and again after a crash), or one in this thread where there are no Web Workers. */
export function createSummariser(): Summariser {
	if (typeof Worker === 'undefined') return summariserHere();
	let worker: { api: Remote<SummaryWorkerApi>; failure: Promise<never>; terminate(): void } | null = null;
	const start = () => {
		const w = new Worker(new URL('./summary.worker.ts', import.meta.url), { type: 'module' });
		const terminate = () => w.terminate();
		// A worker that dies answers nothing: fail the summaries waiting on it, and start afresh next time.
		const failure = new Promise<never>((_, reject) =>
			w.addEventListener('error', (event) => {
				if (worker?.terminate === terminate) worker = null;
				reject(new Error(event.message || 'the summary worker failed to start or crashed'));
			})
		);
		failure.catch(() => {});
		return { api: wrap<SummaryWorkerApi>(w), failure, terminate };
	};
	const api = () => (worker ??= start());
	// Started now, not at the first summary: loading the worker's code must not delay the first partial chart.
	api();
	const quietly = (p: Promise<unknown>) => void p.catch(() => {});
	return {
		open: (id, runs) => quietly(api().api.open(id, runs)),
		add: (id, run, k, output) => quietly(api().api.add(id, run, k, transfer(output, buffersOf([output])))),
		// Results are shown in the task after the one that reads them (every cell that reads them updates): two tasks, not one twice as long.
		summariseStream: async (...args) => {
			const wire = await Promise.race([api().api.summariseStream(...args), api().failure]);
			return wire && nextTask(fromWire(wire));
		},
		closeStream: (id) => quietly(api().api.close(id)),
		summarise: async (key, resolved, runs: VariantRuns[], ...rest) =>
			nextTask(fromWire(await Promise.race([api().api.summarise(key, resolved, transfer(runs, buffersOf(runs.flatMap((r) => r.outputs))), ...rest), api().failure]))),
		close: () => {
			worker?.terminate();
			worker = null;
		}
	};
}
