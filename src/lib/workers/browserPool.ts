/** The worker pool on Web Workers: one core is left for the page. */
import { wrap } from 'comlink';
import type { SimulationApi } from './simulationApi';
import { WorkerPool, type PoolWorker } from './pool';

/** A pool sized from navigator.hardwareConcurrency, leaving one core for the page. */
export function createBrowserPool(size = Math.max(1, (navigator.hardwareConcurrency || 2) - 1)): WorkerPool {
	return new WorkerPool(size, spawnWebWorker);
}

function spawnWebWorker(): PoolWorker {
	const worker = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });
	const failure = new Promise<never>((_, reject) => {
		worker.addEventListener('error', (event) => reject(new Error(event.message || 'the worker failed to start or crashed')));
	});
	failure.catch(() => {});
	return { api: wrap<SimulationApi>(worker), failure, terminate: () => worker.terminate() };
}
