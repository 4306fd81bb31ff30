/**
 * The compute time a cache stores is inside its records, so summing it means reading
 * and checking every object — the bulk of `funes log`'s work. Large sums are split
 * over worker threads (one per core): each reads its share with core's reader and
 * returns two numbers, so the work scales with cores and memory stays flat.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readObjectFile } from '@funes/core';

/** What a group of objects stores. */
export interface ComputeTime {
  /** Sum of the records' `time`. */
  seconds: number;
  /** Objects that failed their integrity check or could not be read. */
  damaged: number;
}

/** Below this many objects a worker's start-up (≈ 0.1 s) costs more than it saves. */
const PARALLEL_FROM = 4000;

/** Sums the groups' records in this thread; the worker's job too. */
export function sumComputeTimesHere(groups: readonly (readonly string[])[]): ComputeTime[] {
  return groups.map((files) => {
    const sum: ComputeTime = { seconds: 0, damaged: 0 };
    for (const file of files) {
      const read = readObjectFile(file);
      if (read.status === 'hit') sum.seconds += read.record.time;
      else if (read.status !== 'miss') sum.damaged++;
    }
    return sum;
  });
}

/** The worker's module, built next to this one; run from source (under tsx) there is none and sums stay in this thread. */
const WORKER = import.meta.url.endsWith('.js') ? new URL('./compute-time-worker.js', import.meta.url) : undefined;

function runWorker(worker: URL, groups: readonly (readonly string[])[]): Promise<ComputeTime[]> {
  const thread = new Worker(worker, { workerData: groups });
  return new Promise((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
  });
}

/** Splits the groups' files into `parts` runs of about equal length, keeping each file's group index. */
export function splitWork(groups: readonly (readonly string[])[], parts: number): { group: number; files: string[] }[][] {
  const total = groups.reduce((sum, files) => sum + files.length, 0);
  const share = Math.ceil(total / parts);
  const work: { group: number; files: string[] }[][] = [[]];
  let filled = 0;
  groups.forEach((files, group) => {
    let start = 0;
    while (start < files.length) {
      if (filled === share) {
        work.push([]);
        filled = 0;
      }
      const take = Math.min(files.length - start, share - filled);
      work[work.length - 1].push({ group, files: files.slice(start, start + take) });
      filled += take;
      start += take;
    }
  });
  return work;
}

/** Sums each group's records; in parallel when there are many. */
export async function sumComputeTimes(groups: readonly (readonly string[])[]): Promise<ComputeTime[]> {
  const total = groups.reduce((sum, files) => sum + files.length, 0);
  const parts = Math.min(availableParallelism(), 8);
  if (total < PARALLEL_FROM || parts < 2 || WORKER === undefined) return sumComputeTimesHere(groups);
  const work = splitWork(groups, parts);
  const results = await Promise.all(work.map((runs) => runWorker(WORKER, runs.map((run) => run.files))));
  const sums = groups.map((): ComputeTime => ({ seconds: 0, damaged: 0 }));
  work.forEach((runs, w) =>
    runs.forEach((run, r) => {
      sums[run.group].seconds += results[w][r].seconds;
      sums[run.group].damaged += results[w][r].damaged;
    }),
  );
  return sums;
}
