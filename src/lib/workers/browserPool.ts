/** The worker pool on Web Workers: a core is left for the page where there are more than two. */
import { wrap } from 'comlink';
import type { SimulationApi } from './simulationApi';
import { WorkerPool, type PoolWorker } from './pool';

/** A pool sized from navigator.hardwareConcurrency (see workersFor). */
export function createBrowserPool(size = workersFor(navigator.hardwareConcurrency || 2)): WorkerPool {
	return new WorkerPool(size, spawnWebWorker);
}

/**
 * One more worker for the core the pool leaves to the page, or null where
 * none is left (one core) or there are no Web Workers. A test plan runs on
 * both: it draws nothing until it ends, so the page needs little of its core
 * meanwhile, while an experiment streams partial charts and keeps it.
 */
export function createHelperPool(): WorkerPool | null {
	if (typeof Worker === 'undefined' || typeof navigator === 'undefined') return null;
	const cores = navigator.hardwareConcurrency || 2;
	return cores > workersFor(cores) ? new WorkerPool(1, spawnWebWorker) : null;
}

function spawnWebWorker(): PoolWorker {
	const worker = new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });
	const failure = new Promise<never>((_, reject) => {
		worker.addEventListener('error', (event) => reject(new Error(event.message || 'the worker failed to start or crashed')));
	});
	failure.catch(() => {});
	return { api: wrap<SimulationApi>(worker), failure, terminate: () => worker.terminate() };
}

/**
 * Simulation workers for a machine with `cores` cores: one less than the
 * cores from three up, so the page keeps one; on one or two cores, one per
 * core. Keeping a core on two would halve every run (Run all of the points
 * example 7.7 s against 4.9–6.0 s), and a run's start no longer repaints the
 * page, which is what had made a page timer fire 270–470 ms late under load:
 * with both cores simulating and eight busy processes beside them, it fired
 * 2–20 ms late.
 */
export function workersFor(cores: number): number {
	return cores <= 2 ? Math.max(1, cores) : cores - 1;
}
