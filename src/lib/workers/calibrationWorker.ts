/**
 * The calibration workers for the page, each started when first needed and
 * started afresh after it is stopped: one for reading and likelihood fits,
 * one for fits by simulation, so a long simulation fit never holds up a read
 * and cancelling it stops nothing else. An error inside a call rejects that
 * call (comlink carries it back); so does a worker that fails to start or
 * crashes (its error event), and the next call starts a fresh one. A worker
 * the browser kills without an event (out of memory) leaves its call waiting
 * until the user cancels it.
 */
import { wrap, type Remote } from 'comlink';
import type { CalibrationApi } from './calibrationApi';

interface Started {
	worker: Worker;
	remote: Remote<CalibrationApi>;
	/** Rejects when the worker fails to start or crashes outside a call. */
	failure: Promise<never>;
}

function start(): Started {
	const worker = new Worker(new URL('./calibration.worker.ts', import.meta.url), { type: 'module' });
	const failure = new Promise<never>((_, reject) => {
		worker.addEventListener('error', (event) => reject(new Error(event.message || 'the calibration worker failed to start or crashed')));
	});
	failure.catch(() => {});
	return { worker, remote: wrap<CalibrationApi>(worker), failure };
}

function lazyWorker(): { api(): Remote<CalibrationApi>; stop(): void } {
	let current: Started | null = null;
	return {
		api() {
			const started = (current ??= start());
			// A dead worker is replaced at the next call.
			started.failure.catch(() => current === started && (current = null));
			// Each call races the worker's failure, so a crash rejects it instead of leaving it waiting.
			return new Proxy(started.remote, {
				get: (remote, name) =>
					(...args: unknown[]) =>
						Promise.race([(remote as unknown as Record<string | symbol, (...a: unknown[]) => Promise<unknown>>)[name](...args), started.failure])
			});
		},
		stop() {
			current?.worker.terminate();
			current = null;
		}
	};
}

const reading = lazyWorker();
const simulating = lazyWorker();

/** The worker for reading logs and tables and for the likelihood fits. */
export const calibrationWorker = (): Remote<CalibrationApi> => reading.api();
/** Stops whatever the worker is doing (a long read or fit); the next call starts a fresh one. */
export const stopCalibrationWorker = (): void => reading.stop();
/** The worker that fits by simulation. */
export const simulationFitWorker = (): Remote<CalibrationApi> => simulating.api();
/** Stops a fit by simulation; the next call starts a fresh worker. */
export const stopSimulationFitWorker = (): void => simulating.stop();
