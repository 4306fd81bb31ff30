/**
 * Walking a cache directory for tools (the CLI, @funes/sync): which function versions
 * it holds, and which objects and temp files each version directory contains
 * (`definition.json` itself is read by version-metadata.ts). Only listing and `stat`: objects are read
 * and checked with {@link readObjectFile}. Files may appear or vanish while a walk
 * runs (memorious writes, `gc` removes), so a file gone between `readdir` and `stat`
 * is skipped, not an error.
 */
import { opendirSync, readdirSync, statSync, type Dir, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isHash, isLockFile, isProjectUsedFile, isTempFile, METADATA_FILE, TEMP_PREFIX, USED_FILE } from './layout.js';
import { readProjectUse, type ProjectUse } from './cache/use-marker.js';

/** Where one function version lives. */
export interface VersionLocation {
  /** The function directory's name (an escaped function name, see `functionDirName`). */
  readonly functionDir: string;
  readonly definitionHash: string;
  /** Absolute or cache-relative path of the version directory. */
  readonly dir: string;
}

/** One stored object, as `stat` sees it. */
export interface EntryStat {
  readonly argumentHash: string;
  readonly file: string;
  /** Bytes of the file. */
  readonly size: number;
  /** Disk usage: the blocks allocated to it, in bytes (less than `size` for a sparse file, more for a small one). */
  readonly diskBytes: number;
  /** When the object was written. */
  readonly mtimeMs: number;
  /** When it was last read, as far as the filesystem records it (often only daily, with `relatime`). */
  readonly atimeMs: number;
}

/** A temp file left by a write: in progress, or abandoned by a crashed process. */
export interface TempFileStat {
  readonly name: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The writing process's id, from the name (`.tmp-<pid>-<hex>`); undefined when the name has none. */
  readonly pid: number | undefined;
}

/**
 * A lock file (`.lock-<argument-hash>`, or a `.break-<token>`
 * beside it): a call being computed, or left by a killed process.
 */
export interface LockFileStat {
  readonly name: string;
  readonly file: string;
  readonly size: number;
  /** When the lock was taken or last renewed. */
  readonly mtimeMs: number;
}

/** What a version directory holds besides its objects. */
export interface VersionFiles {
  readonly temps: TempFileStat[];
  /** Whether a lock is held or stale is for `inspectLock` to say. */
  readonly locks: LockFileStat[];
  /** Size of `definition.json`, 0 when absent. */
  readonly metadataSize: number;
  /** Disk usage of `definition.json`, the use markers, temp and lock files, in bytes. */
  readonly otherDiskBytes: number;
  /** When the version was last used here (its use marker's time); null when never. */
  readonly lastUsedMs: number | null;
  /** Its uses by each project directory (their markers). */
  readonly projectUses: ProjectUse[];
}

/** {@link VersionFiles} with the names the directory listed them by, which a recorded tally keeps. */
export interface ListedVersionFiles extends VersionFiles {
  /** definition.json, the use markers, temp and lock files. */
  readonly names: readonly string[];
}

/** What a version directory holds, every object listed. */
export interface VersionContents extends ListedVersionFiles {
  readonly entries: EntryStat[];
}

/** Totals of a version directory's objects. */
export interface ObjectTotals {
  readonly count: number;
  /** Bytes of their files. */
  readonly bytes: number;
  /** Their disk usage (allocated blocks), in bytes. */
  readonly diskBytes: number;
  /** When the newest was written; null when there is none. */
  readonly lastWrittenMs: number | null;
}

/** What a version directory holds, its objects totalled instead of listed: memory that does not grow with them. */
export interface VersionTally extends VersionFiles {
  readonly objects: ObjectTotals;
}

function isDirectoryEntry(name: string): boolean {
  return !name.startsWith('.');
}

/** Lists a directory's subdirectories; a missing directory lists as empty, other errors throw. */
function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && isDirectoryEntry(entry.name))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Every function version directory in a cache, in no particular order. Throws the
 * filesystem error when `cacheDir` itself cannot be read (ENOENT included), so a
 * caller can tell "no cache here" from "empty cache".
 */
export function listVersions(cacheDir: string): VersionLocation[] {
  const functionDirs = readdirSync(cacheDir, { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && isDirectoryEntry(entry.name),
  );
  const versions: VersionLocation[] = [];
  for (const { name: functionDir } of functionDirs) {
    for (const definitionHash of subdirectories(join(cacheDir, functionDir))) {
      if (isHash(definitionHash)) {
        versions.push({ functionDir, definitionHash, dir: join(cacheDir, functionDir, definitionHash) });
      }
    }
  }
  return versions;
}

/** The pid a temp file's name carries (`.tmp-<pid>-<hex>`, see `tempName`). */
export function tempFilePid(name: string): number | undefined {
  const match = /^(\d+)-/.exec(name.slice(TEMP_PREFIX.length));
  return match && isTempFile(name) ? Number(match[1]) : undefined;
}

/** The argument hashes (object names) in a version directory, without `stat`; empty when it is gone. */
export function listEntries(versionDir: string): string[] {
  try {
    return readdirSync(versionDir).filter(isHash);
  } catch (error) {
    // No such directory, or a file where one would be (a cache directory set to a file): nothing stored there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** A file's disk usage in bytes: its allocated 512-byte blocks (its size where the filesystem reports none). */
export function diskBytesOf(stats: Stats): number {
  return Number.isFinite(stats.blocks) ? stats.blocks * 512 : stats.size;
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Names read from the directory at a time: one system call lists a large directory's
 * names in hundreds rather than thirties, still holding only a page of them.
 */
const NAMES_PER_READ = 512;

/** A directory opened for reading its names a page at a time; undefined when it is gone. */
function openDirectory(dir: string): Dir | undefined {
  try {
    return opendirSync(dir, { bufferSize: NAMES_PER_READ });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A directory's names as they are read, so a walk holds one at a time however many it has; none when it is gone. */
function* directoryNames(dir: string): Generator<string> {
  const handle = openDirectory(dir);
  if (handle === undefined) return;
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) yield entry.name;
  } finally {
    handle.closeSync();
  }
}

/** How many objects a version directory holds, without `stat`; 0 when it is gone. */
export function countObjects(versionDir: string): number {
  let count = 0;
  for (const name of directoryNames(versionDir)) if (isHash(name)) count++;
  return count;
}

/** Whether a name in a version directory is one of the files kept beside its objects, which a walk stats. */
export function isVersionFile(name: string): boolean {
  return (
    isTempFile(name) || isLockFile(name) || name === METADATA_FILE || name === USED_FILE || isProjectUsedFile(name)
  );
}

/** Stats the files beside a version's objects, by the names its directory listed; one gone meanwhile is skipped. */
export function describeVersionFiles(versionDir: string, listed: readonly string[]): ListedVersionFiles {
  const temps: TempFileStat[] = [];
  const locks: LockFileStat[] = [];
  let metadataSize = 0;
  let otherDiskBytes = 0;
  let lastUsedMs: number | null = null;
  const projectUses: ProjectUse[] = [];
  const names = listed.filter(isVersionFile);
  for (const name of names) {
    const file = join(versionDir, name);
    const stats = statOrUndefined(file);
    if (!stats?.isFile()) continue;
    otherDiskBytes += diskBytesOf(stats);
    if (isTempFile(name)) temps.push({ name, file, size: stats.size, mtimeMs: stats.mtimeMs, pid: tempFilePid(name) });
    else if (isLockFile(name)) locks.push({ name, file, size: stats.size, mtimeMs: stats.mtimeMs });
    else if (name === METADATA_FILE) metadataSize = stats.size;
    else if (name === USED_FILE) lastUsedMs = stats.mtimeMs;
    else projectUses.push(readProjectUse(file, stats.mtimeMs));
  }
  return { temps, locks, metadataSize, otherDiskBytes, lastUsedMs, projectUses, names };
}

/**
 * Walks a version directory once: yields the name of each object as it is read, then stats
 * the other files, returning what they are.
 */
function* walkVersion(versionDir: string): Generator<string, ListedVersionFiles> {
  const others: string[] = [];
  for (const name of directoryNames(versionDir)) {
    if (isHash(name)) yield name;
    else others.push(name);
  }
  return describeVersionFiles(versionDir, others);
}

/**
 * The paths of a version's objects in batches of `size`, in directory order, without `stat`
 * (none when the directory is gone); the generator's return value is what the directory holds
 * besides them, stat'ed, so one listing serves both.
 */
export function* objectFileBatches(versionDir: string, size: number): Generator<string[], ListedVersionFiles> {
  // Object names are plain hex, so the normalized directory and a separator spell what join would.
  const prefix = join(versionDir, '_').slice(0, -1);
  const walk = walkVersion(versionDir);
  let batch: string[] = [];
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) {
      if (batch.length > 0) yield batch;
      return next.value;
    }
    batch.push(prefix + next.value);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
}

/** Stats each object of a version directory as it is listed, handing it to `onObject`; returns the other files. */
function statVersion(versionDir: string, onObject: (entry: EntryStat) => void): ListedVersionFiles {
  const walk = walkVersion(versionDir);
  for (let next = walk.next(); ; next = walk.next()) {
    if (next.done) return next.value;
    const file = join(versionDir, next.value);
    const stats = statOrUndefined(file);
    if (stats?.isFile()) {
      onObject({
        argumentHash: next.value,
        file,
        size: stats.size,
        diskBytes: diskBytesOf(stats),
        mtimeMs: stats.mtimeMs,
        atimeMs: stats.atimeMs,
      });
    }
  }
}

/**
 * Lists and stats the objects, temp files and lock files of one version directory. A directory
 * removed meanwhile lists as empty.
 */
export function scanVersion(versionDir: string): VersionContents {
  const entries: EntryStat[] = [];
  const files = statVersion(versionDir, (entry) => entries.push(entry));
  return { entries, ...files };
}

/** Stats the files of one version directory like {@link scanVersion}, totalling its objects instead of listing them. */
export function tallyVersion(versionDir: string): VersionTally & ListedVersionFiles {
  let count = 0;
  let bytes = 0;
  let diskBytes = 0;
  let lastWrittenMs: number | null = null;
  const files = statVersion(versionDir, (entry) => {
    count++;
    bytes += entry.size;
    diskBytes += entry.diskBytes;
    if (lastWrittenMs === null || entry.mtimeMs > lastWrittenMs) lastWrittenMs = entry.mtimeMs;
  });
  return { objects: { count, bytes, diskBytes, lastWrittenMs }, ...files };
}
