/** Web Worker entry: summarising an experiment's replications (bands, comparisons, reports) off the page's thread. */
import { expose } from 'comlink';
import { summaryWorkerApi } from './summaryApi';

expose(summaryWorkerApi);
