/** The calibration worker for the page: one Web Worker, started when first needed, replaced if it dies or is stopped. */
import { wrap, type Remote } from 'comlink';
import type { CalibrationApi } from './calibrationApi';

let worker: Worker | null = null;
let api: Remote<CalibrationApi> | null = null;

/** The worker's API; a worker that crashes rejects the call in flight. */
export function calibrationWorker(): Remote<CalibrationApi> {
	if (!api) {
		worker = new Worker(new URL('./calibration.worker.ts', import.meta.url), { type: 'module' });
		api = wrap<CalibrationApi>(worker);
	}
	return api;
}

/** Stops whatever the worker is doing (a long read or fit); the next call starts a fresh one. */
export function stopCalibrationWorker(): void {
	worker?.terminate();
	worker = null;
	api = null;
}
