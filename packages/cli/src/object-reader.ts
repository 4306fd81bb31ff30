/**
 * Reading many objects: `funes verify` checks every byte of each, `funes log` reads the
 * records' metadata to sum the compute time stored inside them. On large caches the
 * work is spread over a pool of worker threads (one per core) that each read their
 * share with core's `readObjects` and send back only totals and problems, so it scales with
 * cores; callers hand it batches, so memory stays flat however many objects there are.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { inThreadReader, type ObjectReader, type ObjectsRead, type ReadDepth } from '@funes/core/cache';
import { OBJECT_READER_WORKER } from './entry-scripts.js';

export type { ObjectProblem, ObjectReader, ObjectsRead, ReadDepth } from '@funes/core/cache';

/**
 * Below this many objects in all, starting the workers (each loads
 * @funes/core) costs more than it saves (docs/performance.md).
 */
const PARALLEL_FROM = 20_000;


/** Totals of several batches, problems in batch order. */
export function mergeReads(reads: readonly ObjectsRead[]): ObjectsRead {
  return {
    objects: reads.reduce((sum, r) => sum + r.objects, 0),
    seconds: reads.reduce((sum, r) => sum + r.seconds, 0),
    problems: reads.flatMap((r) => r.problems),
  };
}

/** Each worker's young generation, in MiB. */
const WORKER_YOUNG_GENERATION_MB = 2;

/** One worker thread, answering one batch at a time. */
function startWorker(
  module: URL,
  depth: ReadDepth,
): { read(files: readonly string[]): Promise<ObjectsRead>; stop(): Promise<number> } {
  // What a batch reads is garbage as soon as it is summed: a small young generation collects it
  // early, where V8's default lets each thread's heap grow into most of the command's memory.
  const thread = new Worker(module, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  return {
    read: (files) =>
      new Promise((resolve, reject) => {
        const failed = (error: Error) => reject(error);
        thread.once('error', failed);
        thread.once('message', (result: ObjectsRead) => {
          thread.off('error', failed);
          resolve(result);
        });
        thread.postMessage({ files, depth });
      }),
    stop: () => thread.terminate(),
  };
}

/** A reader for about `expected` objects: worker threads when that many pay for them. */
export function createObjectReader(expected: number, depth: ReadDepth): ObjectReader {
  const threads = Math.min(availableParallelism(), 8);
  const worker = OBJECT_READER_WORKER;
  // Run from source (under tsx) there is no built worker, and reading stays in this thread.
  if (expected < PARALLEL_FROM || threads < 2 || worker === undefined) {
    return inThreadReader(depth);
  }
  const workers = Array.from({ length: threads }, () => startWorker(worker, depth));
  return {
    async read(files) {
      const share = Math.ceil(files.length / workers.length);
      const parts = workers.map((worker, i) => worker.read(files.slice(i * share, (i + 1) * share)));
      return mergeReads(await Promise.all(parts));
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
    },
  };
}
