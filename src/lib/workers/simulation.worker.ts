/** Web Worker entry: the simulation API over comlink. */
import { expose } from 'comlink';
import { simulationApi } from './simulationApi';

expose(simulationApi);
