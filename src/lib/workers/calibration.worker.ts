/** Web Worker entry: the calibration API over comlink. */
import { expose } from 'comlink';
import { calibrationApi } from './calibrationApi';

expose(calibrationApi);
