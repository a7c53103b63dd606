/**
 * The calibration workers for the page, each started when first needed and
 * started afresh after it is stopped: one for reading and likelihood fits,
 * one for fits by simulation, so a long simulation fit never holds up a read
 * and cancelling it stops nothing else. An error inside a call rejects that
 * call (comlink carries it back); a worker the browser kills outright (out of
 * memory) leaves its call waiting until the user cancels it.
 */
import { wrap, type Remote } from 'comlink';
import type { CalibrationApi } from './calibrationApi';

function lazyWorker(): { api(): Remote<CalibrationApi>; stop(): void } {
	let worker: Worker | null = null;
	let api: Remote<CalibrationApi> | null = null;
	return {
		api() {
			if (!api) {
				worker = new Worker(new URL('./calibration.worker.ts', import.meta.url), { type: 'module' });
				api = wrap<CalibrationApi>(worker);
			}
			return api;
		},
		stop() {
			worker?.terminate();
			worker = null;
			api = null;
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
