/** The worker pool on Web Workers: a core is left for the page where there are more than two. */
import { wrap } from 'comlink';
import type { SimulationApi } from './simulationApi';
import { WorkerPool, type PoolWorker } from './pool';

/**
 * A pool sized from navigator.hardwareConcurrency: one worker per core, less
 * one for the page from three cores up. On two cores both simulate: the page's
 * work during a run (progress, partial charts) takes a small share of a core,
 * and leaving a core to it halved the speed of every run.
 */
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
 * cores, so the page keeps one. Two workers on two cores made Run all faster
 * but, under load, let a timer on the page fire 270 ms late during a run.
 */
export function workersFor(cores: number): number {
	return Math.max(1, cores - 1);
}
