/** The worker pool on Node worker threads, for the CLI, the benchmark and tests. */
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import { simulationApi, type SimulationApi } from './simulationApi';
import { WorkerPool, type PoolWorker } from './pool';

/** A pool of `size` Node worker threads. */
export function createNodePool(size: number): WorkerPool {
	return new WorkerPool(size, spawnNodeWorker);
}

/**
 * A pool of one "worker" that is the calling thread: for work smaller than a
 * thread's start-up (about a tenth of a second), the same engine code, so the
 * same results.
 */
export function createInlinePool(): WorkerPool {
	return new WorkerPool(1, () => ({ api: simulationApi as unknown as Remote<SimulationApi>, failure: new Promise<never>(() => {}), terminate() {} }));
}

/** From source (tests), the worker needs the TypeScript loader; in the CLI's bundle it sits beside this code. */
const WORKER_ENTRY = import.meta.url.endsWith('.ts') ? './nodeWorkerBoot.mjs' : './nodeWorker.mjs';

function spawnNodeWorker(): PoolWorker {
	const thread = new Worker(new URL(WORKER_ENTRY, import.meta.url));
	const failure = new Promise<never>((_, reject) => {
		thread.once('error', reject);
		thread.once('exit', (code) => reject(new Error(`the worker stopped (exit code ${code})`)));
	});
	failure.catch(() => {});
	return { api: wrap<SimulationApi>(nodeEndpoint(thread)), failure, terminate: () => void thread.terminate() };
}
