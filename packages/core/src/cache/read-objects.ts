/**
 * Reading many objects in batches, for `verify` (every byte of each) and tools that sum
 * what records hold (`funes log`'s compute time). Only totals and problems are kept, so
 * memory stays flat however many objects there are.
 */
import { readObjectFile, readObjectMetadata } from '../store.js';

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
}

/** Objects are read in batches of this many: enough to keep every core busy, few enough to keep memory flat. */
export const OBJECT_BATCH = 5000;

/** How much of each object is read: all of it, checksum verified, or only what its record says besides its output. */
export type ReadDepth = 'whole' | 'metadata';

/** Reads batches of objects (in this thread, or spread over threads); `close` releases what it started. */
export interface ObjectReader {
  read(files: readonly string[]): Promise<ObjectsRead>;
  close(): Promise<void>;
}

/** Reads a batch of object files in this thread. */
export function readObjects(files: readonly string[], depth: ReadDepth): ObjectsRead {
  let objects = 0;
  let seconds = 0;
  const problems: ObjectProblem[] = [];
  for (const file of files) {
    const read = depth === 'whole' ? readObjectFile(file) : readObjectMetadata(file);
    if (read.status === 'miss') continue;
    objects++;
    if (read.status === 'hit') seconds += read.record.time;
    else if (read.status === 'damaged') problems.push({ file, reason: read.reason, unreadable: false });
    else {
      problems.push({ file, reason: `cannot be read (${read.error.code ?? read.error.message})`, unreadable: true });
    }
  }
  return { objects, seconds, problems };
}

/** A reader that reads each batch in this thread. */
export function inThreadReader(depth: ReadDepth): ObjectReader {
  return { read: async (files) => readObjects(files, depth), close: async () => {} };
}
