/**
 * Walking a cache directory for tools (the CLI, @funes/sync): which function versions
 * it holds, and which objects and temp files each version directory contains
 * (`definition.json` itself is read by version-metadata.ts). Only listing and `stat`: objects are read
 * and checked with {@link readObjectFile}. Files may appear or vanish while a walk
 * runs (memorious writes, `gc` removes), so a file gone between `readdir` and `stat`
 * is skipped, not an error.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isHash, isLockFile, isTempFile, METADATA_FILE, TEMP_PREFIX, USED_FILE } from './layout.js';

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

/** A lock file (`.lock-<argument-hash>`, or a `.break-<token>` beside it): a call being computed, or left by a killed process. */
export interface LockFileStat {
  readonly name: string;
  readonly file: string;
  readonly size: number;
  /** When the lock was taken or last renewed. */
  readonly mtimeMs: number;
}

/** What a version directory holds. */
export interface VersionContents {
  readonly entries: EntryStat[];
  readonly temps: TempFileStat[];
  /** Whether a lock is held or stale is for `inspectLock` to say. */
  readonly locks: LockFileStat[];
  /** Size of `definition.json`, 0 when absent. */
  readonly metadataSize: number;
  /** Disk usage of `definition.json`, the use marker, temp and lock files, in bytes. */
  readonly otherDiskBytes: number;
  /** When the version was last used here (its use marker's time); null when never. */
  readonly lastUsedMs: number | null;
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
  const functionDirs = readdirSync(cacheDir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && isDirectoryEntry(entry.name));
  const versions: VersionLocation[] = [];
  for (const { name: functionDir } of functionDirs) {
    for (const definitionHash of subdirectories(join(cacheDir, functionDir))) {
      if (isHash(definitionHash)) versions.push({ functionDir, definitionHash, dir: join(cacheDir, functionDir, definitionHash) });
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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
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
 * Lists and stats the objects, temp files and lock files of one version directory. A directory
 * removed meanwhile lists as empty.
 */
export function scanVersion(versionDir: string): VersionContents {
  let names: string[];
  try {
    names = readdirSync(versionDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], temps: [], locks: [], metadataSize: 0, otherDiskBytes: 0, lastUsedMs: null };
    throw error;
  }
  const entries: EntryStat[] = [];
  const temps: TempFileStat[] = [];
  const locks: LockFileStat[] = [];
  let metadataSize = 0;
  let otherDiskBytes = 0;
  let lastUsedMs: number | null = null;
  for (const name of names) {
    const file = join(versionDir, name);
    if (isHash(name)) {
      const stats = statOrUndefined(file);
      if (stats?.isFile()) entries.push({ argumentHash: name, file, size: stats.size, diskBytes: diskBytesOf(stats), mtimeMs: stats.mtimeMs, atimeMs: stats.atimeMs });
      continue;
    }
    const stats = isTempFile(name) || isLockFile(name) || name === METADATA_FILE || name === USED_FILE ? statOrUndefined(file) : undefined;
    if (!stats?.isFile()) continue;
    otherDiskBytes += diskBytesOf(stats);
    if (isTempFile(name)) temps.push({ name, file, size: stats.size, mtimeMs: stats.mtimeMs, pid: tempFilePid(name) });
    else if (isLockFile(name)) locks.push({ name, file, size: stats.size, mtimeMs: stats.mtimeMs });
    else if (name === METADATA_FILE) metadataSize = stats.size;
    else lastUsedMs = stats.mtimeMs;
  }
  return { entries, temps, locks, metadataSize, otherDiskBytes, lastUsedMs };
}
