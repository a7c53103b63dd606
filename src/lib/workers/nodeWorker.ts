/** Node worker-thread entry: the simulation API over comlink. */
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { simulationApi } from './simulationApi';

expose(simulationApi, nodeEndpoint(parentPort!));
