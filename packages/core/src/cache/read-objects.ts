/**
 * Reading many objects in batches, for `verify` (every byte of each) and tools that sum
 * what records hold (`funes log`'s compute time). Only totals and problems are kept, so
 * memory stays flat however many objects there are.
 */
import { statSync, type Stats } from 'node:fs';
import { diskBytesOf, type ObjectTotals } from '../cache-index.js';
import { checkObjectFile, readObjectTime } from '../store.js';

/** An object that could not be used. */
export interface ObjectProblem {
  readonly file: string;
  readonly reason: string;
  /** True when the filesystem refused it (permissions), false when it failed its integrity check. */
  readonly unreadable: boolean;
}

/** What a batch of objects held. */
export interface ObjectsRead {
  /** Objects read (files gone meanwhile are not counted). */
  readonly objects: number;
  /** Sum of the sound records' `time`. */
  readonly seconds: number;
  readonly problems: readonly ObjectProblem[];
  /**
   * With depth `metadata`: the sizes of those that are regular files, from the `fstat` each
   * read makes anyway (a `stat` for one that cannot be opened), as `tallyVersion` counts them.
   */
  readonly sizes?: ObjectTotals;
}

/** Objects are read in batches of this many: enough to keep every core busy, few enough to keep memory flat. */
export const OBJECT_BATCH = 1000;

/** How much of each object is read: all of it, checksum verified, or only what its record says besides its output. */
export type ReadDepth = 'whole' | 'metadata';

/** A batch of object files to read, and whatever its caller needs to know it again by. */
export interface ReadJob {
  readonly files: readonly string[];
}

/** Reads batches of objects (in this thread, or spread over threads); `close` releases what it started. */
export interface ObjectReader {
  read(files: readonly string[]): Promise<ObjectsRead>;
  /**
   * Reads every job's files, handing each job's result to `onRead` in the order of `jobs`;
   * several may be read at once, and `jobs` is only drawn from as fast as they are read.
   */
  readAll<Job extends ReadJob>(jobs: Iterable<Job>, onRead: (read: ObjectsRead, job: Job) => void): Promise<void>;
  close(): Promise<void>;
}

/** Running totals of object sizes, as `tallyVersion` keeps them. */
class SizeTotals {
  count = 0;
  bytes = 0;
  diskBytes = 0;
  lastWrittenMs: number | null = null;

  add(stats: Stats): void {
    if (!stats.isFile()) return;
    this.count++;
    this.bytes += stats.size;
    this.diskBytes += diskBytesOf(stats);
    if (this.lastWrittenMs === null || stats.mtimeMs > this.lastWrittenMs) this.lastWrittenMs = stats.mtimeMs;
  }

  totals(): ObjectTotals {
    return { count: this.count, bytes: this.bytes, diskBytes: this.diskBytes, lastWrittenMs: this.lastWrittenMs };
  }
}

/** Stats a file that could not be opened: it still takes up room; nothing when it is gone or cannot be reached. */
function statUnopened(file: string, sizes: SizeTotals): void {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats) sizes.add(stats);
  } catch {
    // Its directory refuses the lookup too: nothing to count.
  }
}

/** Reads a batch of object files in this thread. */
export function readObjects(files: readonly string[], depth: ReadDepth): ObjectsRead {
  let objects = 0;
  let seconds = 0;
  const problems: ObjectProblem[] = [];
  const sizes = depth === 'metadata' ? new SizeTotals() : undefined;
  let statted: boolean;
  const onStat = (stats: Stats) => {
    statted = true;
    sizes?.add(stats);
  };
  for (const file of files) {
    statted = false;
    const read = depth === 'whole' ? checkObjectFile(file) : readObjectTime(file, onStat);
    if (read.status === 'miss') continue;
    objects++;
    if (read.status === 'hit') seconds += read.record;
    else if (read.status === 'damaged') problems.push({ file, reason: read.reason, unreadable: false });
    else {
      if (sizes && !statted) statUnopened(file, sizes);
      problems.push({ file, reason: `cannot be read (${read.error.code ?? read.error.message})`, unreadable: true });
    }
  }
  return sizes ? { objects, seconds, problems, sizes: sizes.totals() } : { objects, seconds, problems };
}

/** A reader that reads each batch in this thread. */
export function inThreadReader(depth: ReadDepth): ObjectReader {
  return {
    read: async (files) => readObjects(files, depth),
    async readAll(jobs, onRead) {
      for (const job of jobs) onRead(readObjects(job.files, depth), job);
    },
    close: async () => {},
  };
}
