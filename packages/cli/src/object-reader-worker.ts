/**
 * A worker thread of {@link createObjectReader}: reads each batch of object files it is
 * sent and posts back the totals and problems.
 */
import { parentPort } from 'node:worker_threads';
import { readObjectsHere, type ReadDepth } from './object-reader.js';

parentPort!.on('message', ({ files, depth }: { files: string[]; depth: ReadDepth }) => parentPort!.postMessage(readObjectsHere(files, depth)));
