/**
 * Merging one checked entry into a cache directory. An entry streams into a temp
 * file in its version's directory (a {@link Spool}) while it is checked; a checked
 * one is then linked into place, never over an existing file, and the temp file
 * removed either way. An object already there is compared byte for byte (by
 * SHA-256) and kept whatever it holds. A version's `definition.json` is created when
 * absent and otherwise left alone: two computers write it at different times, so
 * its bytes differ without meaning.
 */
import { closeSync, linkSync, openSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeDirectory,
  prepareCacheDir,
  readObjectFile,
  removeQuietly,
  tempName,
} from '@funes/core/internal';
import { FunesError } from '@funes/core';
import { fileSha256, sameFileBytes } from './file-chunks.js';
import type { ExpectedEntry } from './manifest.js';

/** What merging an entry did (or, in a dry run, would do). */
export type Placement =
  { readonly outcome: 'added' | 'skipped' } | { readonly outcome: 'conflict'; readonly reason: string };

type Stored = 'absent' | 'same' | 'different' | 'damaged';

/** A temp file an entry streams into, in the directory it is to be placed in. */
export class Spool {
  readonly path: string;
  private fd: number | undefined;
  /** Set once the entry is in place. */
  placed = false;

  /** `made`: the directories created for it, outermost first, removed again unless the entry is placed. */
  constructor(
    dir: string,
    private readonly made: readonly string[] = [],
  ) {
    this.path = join(dir, tempName());
    this.fd = openSync(this.path, 'wx');
  }

  write(chunk: Uint8Array): void {
    try {
      for (let offset = 0; offset < chunk.length;) {
        offset += writeSync(this.fd as number, chunk, offset, chunk.length - offset);
      }
    } catch (error) {
      throw this.named(error);
    }
  }

  /** Closes the file; the entry is written in full. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (error) {
      throw this.named(error);
    }
  }

  /** A failed write or close names no file (a full disk: `ENOSPC … write`): it is given this one's path. */
  private named(error: unknown): unknown {
    const failure = error as NodeJS.ErrnoException;
    if (typeof failure?.code === 'string' && failure.path === undefined) failure.path = this.path;
    return error;
  }

  /** Closes and removes the temp file, whatever happened to it, and the directories made for an entry not placed. */
  remove(): void {
    try {
      this.close();
    } finally {
      removeQuietly(this.path);
      if (!this.placed) for (const dir of [...this.made].reverse()) removeEmptyDir(dir);
    }
  }
}

/** Where an entry goes: its function and version. */
type EntryPlace = Pick<ExpectedEntry, 'functionDir' | 'definitionHash'>;

function versionDirOf(cacheDir: string, entry: EntryPlace): string {
  return join(cacheDir, entry.functionDir, entry.definitionHash);
}

/** A spool for an entry, in its version's directory (created when missing). */
export function openSpool(cacheDir: string, entry: EntryPlace): Spool {
  const dir = versionDirOf(cacheDir, entry);
  try {
    return new Spool(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw inTheWay(cacheDir, entry, error);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // The version is new here, and the cache itself may be: made the way the store makes it.
    prepareCacheDir(cacheDir);
    const first = makeDirectory(dir);
    return new Spool(dir, first === dir || first === undefined ? [dir] : [first, dir]);
  }
}

/** The error for a file where the cache keeps the directory of an entry's function or version. */
function inTheWay(cacheDir: string, entry: EntryPlace, cause: unknown): FunesError {
  const functionDir = join(cacheDir, entry.functionDir);
  const file = statSync(functionDir, { throwIfNoEntry: false })?.isDirectory() === false
    ? functionDir
    : versionDirOf(cacheDir, entry);
  return new FunesError('ENOTDIR', `${file} is a file, where the cache keeps a directory`, {
    hint: 'move it out of the cache directory, then run the command again',
    cause,
  });
}

/** Removes a directory if it is empty; one another entry or process has written to stays. */
function removeEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or already gone.
  }
}

/**
 * What the cache holds where an entry goes. A file of the entry's own size is compared
 * chunk by chunk; any other is judged by the store's bounded read (its header and size
 * first), so a huge or special file in the way is never read whole.
 */
function stored(file: string, entry: ExpectedEntry, sameBytes: (file: string) => boolean): Stored {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (entry.kind === 'metadata') return 'same';
  if (stat.isFile() && stat.size === entry.size && sameBytes(file)) return 'same';
  const read = readObjectFile(file);
  if (read.status === 'unreadable') throw read.error;
  if (read.status === 'miss') return 'absent';
  return read.status === 'hit' ? 'different' : 'damaged';
}

/** Links a spooled entry into place; false when a file is already there. */
export function linkSpool(spool: Spool, file: string): boolean {
  spool.close();
  try {
    linkSync(spool.path, file);
    spool.placed = true;
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Merges an entry, spooled whole and checked, into `cacheDir`; without a spool (a dry
 * run) only says what merging would do, `sha256` (that of the entry's bytes, needed
 * only then) telling whether a file already there holds the same bytes.
 */
export function placeEntry(cacheDir: string, entry: ExpectedEntry, spool: Spool): Placement;
export function placeEntry(cacheDir: string, entry: ExpectedEntry, spool: undefined, sha256: string): Placement;
export function placeEntry(
  cacheDir: string,
  entry: ExpectedEntry,
  spool: Spool | undefined,
  sha256?: string,
): Placement {
  const file = join(versionDirOf(cacheDir, entry), entry.fileName);
  // Linking first and comparing only when that fails saves a lookup per new object, the common case.
  if (spool && linkSpool(spool, file)) return { outcome: 'added' };
  const sameBytes = (existing: string) =>
    spool ? sameFileBytes(existing, spool.path, entry.size) : fileSha256(existing, entry.size) === sha256;
  switch (stored(file, entry, sameBytes)) {
    case 'absent':
      return spool
        ? { outcome: 'conflict', reason: 'the file came and went while unpacking; unpack again' }
        : { outcome: 'added' };
    case 'same':
      return { outcome: 'skipped' };
    case 'different':
      return { outcome: 'conflict', reason: 'the cache holds a different result for this call; kept the cache’s' };
    case 'damaged':
      return {
        outcome: 'conflict',
        reason:
          'the cache holds a damaged object for this call; kept it: remove it with ' +
              '`funes verify --fix`, then unpack again',
      };
  }
}
