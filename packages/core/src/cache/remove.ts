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

/**
 * The suffix of a version renamed away: `-<pid>-<8 hex>`, the removing process's id and a random part;
 * `-<8 hex>` alone in names written before the pid was part of them.
 */
const REMOVING_SUFFIX = /^(?:-([1-9][0-9]{0,9}))?-[0-9a-f]{8}$/;

/**
 * Whether a directory entry in a function directory is named as a version being removed (or left by a
 * killed removal): `.removing-<definition-hash>-<pid>-<8 hex>` as {@link removeVersionDir} names it, or
 * `.removing-<definition-hash>-<8 hex>`, and nothing looser, for a directory taken for a cache by mistake
 * may hold `.removing-drafts`.
 */
export function isRemoving(name: string): boolean {
  return removingPid(name) !== null;
}

/**
 * The id of the process that renamed a version away, from its name: undefined when the name carries
 * none, null when it is not a version being removed at all.
 */
function removingPid(name: string): number | undefined | null {
  const hashAt = REMOVING_PREFIX.length;
  if (!name.startsWith(REMOVING_PREFIX) || !isHash(name.slice(hashAt, hashAt + 64))) return null;
  const suffix = REMOVING_SUFFIX.exec(name.slice(hashAt + 64));
  if (suffix === null) return null;
  return suffix[1] === undefined ? undefined : Number(suffix[1]);
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
  // The pid tells another gc that this removal is in flight, not left by a killed one (see leftoversIn).
  const doomed = join(
    dirname(dir),
    `${REMOVING_PREFIX}${basename(dir)}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
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

/**
 * The directories killed removals left in a function directory (`.removing-<hash>-<pid>-<hex>`); none when
 * unreadable. One whose process runs (`isLive`) is a removal in flight, which may yet put the version back:
 * it is not a leftover. This process has none in flight while it lists (a removal is one synchronous step),
 * so its own pid, which a later run in a container may be given again, names only leftovers. An old-style
 * name without a pid is a leftover.
 */
export function leftoversIn(functionDir: string, isLive: (pid: number) => boolean): string[] {
  const left = (name: string) => {
    const pid = removingPid(name);
    return pid === undefined || (pid !== null && (pid === process.pid || !isLive(pid)));
  };
  try {
    return readdirSync(functionDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && left(entry.name))
      .map((entry) => join(functionDir, entry.name));
  } catch {
    return [];
  }
}

/** The directories killed removals left in every function directory of a cache (see {@link leftoversIn}). */
export function leftoversInCache(cacheDir: string, isLive: (pid: number) => boolean): string[] {
  return readdirSync(cacheDir).flatMap((name) => leftoversIn(join(cacheDir, name), isLive));
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
