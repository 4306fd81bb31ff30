/**
 * A worker thread of {@link sumComputeTimes}: sums the compute time of the groups of
 * object files it is given and posts the sums back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sumComputeTimesHere } from './compute-time.js';

parentPort!.postMessage(sumComputeTimesHere(workerData as string[][]));
