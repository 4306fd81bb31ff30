/**
 * Removing from a cache, for `gc`, `rm` and `verify --fix`. A version directory is
 * first renamed away (atomically) and then deleted: a process still writing to the
 * version then finds its directory gone and creates it afresh with its
 * `definition.json` (see `VersionStore`), instead of adding files to a directory
 * being deleted (which failed with ENOTEMPTY, or left objects without metadata).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FunesError } from '../errors.js';
import {
  METADATA_FILE,
  REMOVING_PREFIX,
  USED_FILE,
  isHash,
  isLockFile,
  isProjectUsedFile,
  isTempFile,
} from '../layout.js';

/** Removes a file (or whatever stands at a file's path: a directory there goes whole); one already gone is fine. */
export function removeFile(file: string): void {
  rmSync(file, { force: true, recursive: true });
}

/** The random suffix of a version renamed away: `-` and 8 hex digits. */
const REMOVING_SUFFIX = /^-[0-9a-f]{8}$/;

/**
 * Whether a directory entry in a function directory is named as a version being removed (or left by a
 * killed removal): `.removing-<definition-hash>-<8 hex>`, as {@link removeVersionDir} names it, and
 * nothing looser, for a directory taken for a cache by mistake may hold `.removing-drafts`.
 */
export function isRemoving(name: string): boolean {
  const hashAt = REMOVING_PREFIX.length;
  return name.startsWith(REMOVING_PREFIX) && isHash(name.slice(hashAt, hashAt + 64)) &&
    REMOVING_SUFFIX.test(name.slice(hashAt + 64));
}

/** A version directory holds a file Funes never writes there: it is not Funes' to remove. */
export class ForeignFileError extends FunesError {
  constructor(dir: string, name: string) {
    super(
      'EFOREIGN',
      `${dir} holds ${JSON.stringify(name)}, which Funes never writes in a version directory, so it is not removed`,
      {
        hint:
          'if this directory is not a Funes cache, point --cache or FUNES_CACHE_DIR at one; ' +
          'if it is, move that file out of it',
      },
    );
  }
}

/** Throws {@link ForeignFileError} when a version directory holds a file Funes never writes there. */
export function refuseForeign(dir: string): void {
  const foreign = foreignEntry(dir);
  if (foreign !== undefined) throw new ForeignFileError(dir, foreign);
}

/** What a desktop leaves in a folder it shows (Finder, Explorer): no one's data, gone with the version. */
const OS_METADATA = /^(?:\.DS_Store|\._.*|Thumbs\.db|desktop\.ini)$/;

/** Whether Funes writes an entry of this name in a version directory (or a desktop leaves it there). */
function isFunesEntry(name: string): boolean {
  return (
    isHash(name) || name === METADATA_FILE || name === USED_FILE || isProjectUsedFile(name) || isTempFile(name) ||
    isLockFile(name) || OS_METADATA.test(name)
  );
}

/**
 * The first entry of a version directory that Funes never writes there: a directory taken for a cache by
 * mistake holds such files, and removing it would delete data that is not Funes'. Funes writes no
 * directory there, so what a directory inside holds (`<hash>/data.bin`) is never Funes' either, whatever
 * the directory's name. Undefined when there is none, or no directory.
 */
function foreignEntry(dir: string): string | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  for (const entry of entries) {
    if (!isFunesEntry(entry.name)) return entry.name;
    if (entry.isDirectory()) {
      const inside = foreignEntryInside(join(dir, entry.name));
      if (inside !== undefined) return `${entry.name}/${inside}`;
    }
  }
  return undefined;
}

/** The first entry of a directory within a version directory, undefined when it holds none. */
function foreignEntryInside(dir: string): string | undefined {
  try {
    return readdirSync(dir)[0];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Removes a version directory, then its function directory when that is left empty. False
 * when it was already gone, or when `keep`, asked once the directory is renamed away (no
 * process can add to it any more, so what it holds is final), finds it in use: it is then
 * put back, and nothing a writer stored in it just before the rename is lost.
 */
export function removeVersionDir(dir: string, keep?: (renamed: string) => boolean): boolean {
  refuseForeign(dir);
  const doomed = join(dirname(dir), `${REMOVING_PREFIX}${basename(dir)}-${randomBytes(4).toString('hex')}`);
  try {
    renameSync(dir, doomed);
  } catch (error) {
    // Gone, or never there: a file stands where a directory above it would be.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
  if (keep?.(doomed)) {
    restoreVersionDir(doomed, dir);
    return false;
  }
  rmSync(doomed, { recursive: true, force: true, maxRetries: 3 });
  removeIfEmpty(dirname(dir));
  return true;
}

/**
 * Puts a version directory renamed away back in place. A writer that found it gone has
 * made it again meanwhile: then each file is linked in beside the writer's, never over one.
 */
function restoreVersionDir(renamed: string, dir: string): void {
  try {
    renameSync(renamed, dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  for (const entry of readdirSync(renamed, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    try {
      linkSync(join(renamed, entry.name), join(dir, entry.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  rmSync(renamed, { recursive: true, force: true, maxRetries: 3 });
}

/** The directories killed removals left in a function directory (`.removing-<hash>-<hex>`); none when unreadable. */
export function leftoversIn(functionDir: string): string[] {
  try {
    return readdirSync(functionDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && isRemoving(entry.name))
      .map((entry) => join(functionDir, entry.name));
  } catch {
    return [];
  }
}

/**
 * Removes a directory a killed removal left ({@link leftoversIn}), and its function directory once empty. It is
 * checked as a version directory is before it goes: one holding a file Funes never writes there throws
 * {@link ForeignFileError} and stays.
 */
export function removeLeftover(leftover: string): void {
  refuseForeign(leftover);
  rmSync(leftover, { recursive: true, force: true, maxRetries: 3 });
  removeIfEmpty(dirname(leftover));
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (error) {
    // Other versions remain (ENOTEMPTY), or another process removed it first.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}
