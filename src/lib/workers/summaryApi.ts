/**
 * Summarising experiment results where the page does not wait: in a Web
 * Worker of its own (the simulation workers are busy simulating), so the
 * bands, comparisons and reports of every replication so far, tens to
 * hundreds of milliseconds of work, never block the page. Outside a browser
 * (tests, Node) the summary is made in place.
 */
import { wrap, type Remote } from 'comlink';
import { summarise } from '../notebook/experimentCell';

/** What the summary worker offers. */
export const summaryApi = { summarise };
export type SummaryApi = typeof summaryApi;

/** Summarises as `summarise` does, giving the results later. */
export type Summarise = (...args: Parameters<typeof summarise>) => Promise<ReturnType<typeof summarise>>;

/** A summariser and a way to stop its worker. */
export interface Summariser {
	summarise: Summarise;
	close(): void;
}

/** Summarises in this thread (tests, Node, or a page with no Web Workers). */
export const summariseHere: Summariser = { summarise: async (...args) => summarise(...args), close: () => {} };

/** A summariser on a Web Worker started on first use, or summariseHere where there are no Web Workers. */
export function createSummariser(): Summariser {
	if (typeof Worker === 'undefined') return summariseHere;
	let worker: { api: Remote<SummaryApi>; failure: Promise<never>; terminate(): void } | null = null;
	const start = () => {
		const w = new Worker(new URL('./summary.worker.ts', import.meta.url), { type: 'module' });
		// A worker that dies answers nothing: fail the summaries waiting on it, and start afresh next time.
		const failure = new Promise<never>((_, reject) =>
			w.addEventListener('error', (event) => {
				if (worker?.terminate === terminate) worker = null;
				reject(new Error(event.message || 'the summary worker failed to start or crashed'));
			})
		);
		failure.catch(() => {});
		const terminate = () => w.terminate();
		return { api: wrap<SummaryApi>(w), failure, terminate };
	};
	return {
		summarise: (...args) => {
			worker ??= start();
			return Promise.race([worker.api.summarise(...args) as ReturnType<Summarise>, worker.failure]);
		},
		close: () => {
			worker?.terminate();
			worker = null;
		}
	};
}
