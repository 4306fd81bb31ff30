/**
 * A worker thread of {@link createObjectReader}: reads each batch of object files it is
 * sent and posts back the totals and problems.
 */
import { parentPort } from 'node:worker_threads';
import { readObjectsHere } from './object-reader.js';

parentPort!.on('message', (files: string[]) => parentPort!.postMessage(readObjectsHere(files)));
