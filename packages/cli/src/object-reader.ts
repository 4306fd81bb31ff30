/**
 * Reading many objects: `funes verify` checks every byte of each, `funes log` reads the
 * records' metadata to sum the compute time stored inside them. On large caches the work
 * is shared by this thread and a pool of worker threads (one per other core), each reading
 * whole batches with core's `readObjects` and sending back only totals and problems, so
 * it scales with cores; callers hand it batches, so memory stays flat however many
 * objects there are.
 */
import { availableParallelism } from 'node:os';
import {
  inThreadReader,
  readObjects,
  type ObjectReader,
  type ObjectsRead,
  type ReadDepth,
  type ReadJob,
} from '@funes/core/cache';
import type { Worker as WorkerThread } from 'node:worker_threads';
import { OBJECT_READER_WORKER } from './entry-scripts.js';

export type { ObjectProblem, ObjectReader, ObjectsRead, ReadDepth } from '@funes/core/cache';

/**
 * Below this many objects in all, starting a worker (each loads
 * @funes/core) costs more than it saves (docs/performance.md).
 */
const PARALLEL_FROM = 20_000;

/**
 * Without a count, workers start once this many objects have been listed: a cache that
 * large likely holds enough more to pay for them, and one listing is spared the count.
 */
const UNCOUNTED_START = PARALLEL_FROM / 2;

/** Batches each worker holds at once: one it reads, one waiting, so it never waits for this thread. */
const QUEUED_PER_WORKER = 2;

/** Each worker's young generation, in MiB. */
const WORKER_YOUNG_GENERATION_MB = 2;

/** One worker thread, reading the batches it is sent in order. */
interface ReaderThread {
  /** Batches sent and not yet answered. */
  readonly queued: number;
  read(files: readonly string[]): Promise<ObjectsRead>;
  stop(): Promise<number>;
}

async function startWorkers(module: URL, count: number, depth: ReadDepth): Promise<ReaderThread[]> {
  // Loaded only here: a small cache's run never needs it.
  const { Worker } = await import('node:worker_threads');
  return Array.from({ length: count }, () => startWorker(Worker, module, depth));
}

function startWorker(Worker: typeof WorkerThread, module: URL, depth: ReadDepth): ReaderThread {
  // What a batch reads is garbage as soon as it is summed: a small young generation collects it
  // early, where V8's default lets each thread's heap grow into most of the command's memory.
  const thread = new Worker(module, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  const waiting: { resolve(read: ObjectsRead): void; reject(error: unknown): void }[] = [];
  let failure: unknown;
  thread.on('message', (read: ObjectsRead) => waiting.shift()?.resolve(read));
  thread.on('error', (error) => {
    failure = error;
    for (const batch of waiting.splice(0)) batch.reject(error);
  });
  return {
    get queued() {
      return waiting.length;
    },
    read: (files) =>
      new Promise((resolve, reject) => {
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        waiting.push({ resolve, reject });
        thread.postMessage({ files, depth });
      }),
    stop: () => thread.terminate(),
  };
}

/** Lets the event loop deliver the workers' answers. */
const yieldToWorkers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A reader for about `expected` objects (undefined: not counted): worker threads beside this
 * one when that many pay for them.
 */
export function createObjectReader(expected: number | undefined, depth: ReadDepth): ObjectReader {
  const threads = Math.min(availableParallelism(), 8);
  const script = OBJECT_READER_WORKER;
  // Run from source (under tsx) there is no built worker, and reading stays in this thread.
  if ((expected !== undefined && expected < PARALLEL_FROM) || threads < 2 || script === undefined) {
    return inThreadReader(depth);
  }
  const startAfter = expected === undefined ? UNCOUNTED_START : 0;
  let listedObjects = 0;
  let workers: ReaderThread[] = [];
  let started: Promise<ReaderThread[]> | undefined;
  const reader: ObjectReader = {
    async read(files) {
      let result: ObjectsRead | undefined;
      await reader.readAll([{ files }], (read) => (result = read));
      return result!;
    },
    async readAll<Job extends ReadJob>(jobs: Iterable<Job>, onRead: (read: ObjectsRead, job: Job) => void) {
      // Answers arrive out of order; each job's is handed on once those before it have been.
      const held = new Map<number, Job>();
      const answered = new Map<number, ObjectsRead>();
      let listed = 0;
      let handed = 0;
      let failure: { error: unknown } | undefined;
      const handOn = () => {
        for (let read = answered.get(handed); read !== undefined; read = answered.get(handed)) {
          const job = held.get(handed)!;
          answered.delete(handed);
          held.delete(handed++);
          onRead(read, job);
        }
      };
      const pending: Promise<void>[] = [];
      for (const job of jobs) {
        if (failure) break;
        const id = listed++;
        held.set(id, job);
        listedObjects += job.files.length;
        if (started === undefined && listedObjects > startAfter) {
          started = startWorkers(script, threads - 1, depth);
          workers = await started;
        }
        const free = job.files.length === 0 ? undefined : workers.find((thread) => thread.queued < QUEUED_PER_WORKER);
        if (free === undefined) {
          // Every worker has its fill: this thread reads the batch itself meanwhile.
          answered.set(id, readObjects(job.files, depth));
          handOn();
          if (job.files.length > 0) await yieldToWorkers();
          continue;
        }
        const answer = free.read(job.files).then((read) => {
          answered.set(id, read);
          handOn();
        });
        pending.push(answer.catch((error: unknown) => void (failure ??= { error })));
      }
      await Promise.all(pending);
      if (failure) throw failure.error;
    },
    async close() {
      await Promise.all((await started ?? []).map((thread) => thread.stop()));
    },
  };
  return reader;
}
