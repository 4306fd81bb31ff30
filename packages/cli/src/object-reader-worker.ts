/**
 * A worker thread of {@link createObjectReader}: reads each batch of object files it is
 * sent and posts back the totals and problems.
 */
import { parentPort } from 'node:worker_threads';
import { readObjects, type ReadDepth } from '@funes/core/cache';

parentPort!.on('message', ({ files, depth }: { files: string[]; depth: ReadDepth }) =>
  parentPort!.postMessage(readObjects(files, depth)),
);
