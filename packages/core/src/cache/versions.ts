/**
 * A cache directory's function versions, and the one rule for which version of a
 * function is current: the one used most recently here (its use marker), never a
 * date written in `definition.json`, a bundle or a remote. A version never used here
 * (unpacked, or stored before use markers) ranks after every used one, by when its
 * directory last changed here. A version whose `definition.json` is missing or
 * damaged is never current: no process finished storing it as a whole.
 *
 * Projects sharing a cache (two checkouts of one repository on different branches, or
 * two projects defining a function of the same name in the same module path) each use
 * their own version. Asked from inside a project directory, the current version is the
 * one that project used last, when it used any; else the rule above.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listEntries, listVersions } from '../cache-index.js';
import { readVersionMetadata, type MetadataResult } from '../version-metadata.js';
import { functionNameOfDir, projectUsedFile } from '../layout.js';
import { VersionTallies } from './version-tallies.js';
import { lastUsedByMs, lastUsedMs, projectUsedFilesAt, usedByAnyProject } from './use-marker.js';

/** One function version in a cache directory. */
export interface CachedVersion {
  /** The function directory's name (the escaped function name). */
  readonly functionDir: string;
  /** The function's name: from `definition.json`, else from its directory. */
  readonly name: string;
  /** The defining module (project-relative, `/`-separated), when known. */
  readonly module: string | null;
  /** The 64-hex definition hash: the version directory's name. */
  readonly hash: string;
  /** The version directory. */
  readonly dir: string;
  readonly metadata: MetadataResult;
  /** When it was last used here (its use marker); null when never. */
  readonly lastUsedMs: number | null;
  /** When the project directory the listing was asked from (or one above it) last used it; null when never. */
  readonly usedHereMs: number | null;
  /** When its directory last changed here (an object added or removed): orders versions never used. */
  readonly changedMs: number;
  /** When `definition.json` says its first result was stored; for display, never for choosing. */
  readonly createdMs: number | null;
}

/** The versions in a cache directory. */
export interface CacheListing {
  readonly dir: string;
  readonly versions: readonly CachedVersion[];
  /** Their tallies, recorded by earlier commands where a directory has not changed since. */
  readonly tallies: VersionTallies;
}

function changedMs(dir: string): number {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Reads one version directory's metadata and times; `hereMarkers` are the use markers of
 * the project directories the question is asked from ({@link projectUsedFilesAt}).
 */
export function readVersion(
  functionDir: string,
  hash: string,
  dir: string,
  hereMarkers: readonly string[] = [],
): CachedVersion {
  const metadata = readVersionMetadata(dir, hash);
  const known = metadata.status === 'ok' ? metadata.metadata : undefined;
  return {
    functionDir,
    name: known?.name ?? functionNameOfDir(functionDir),
    module: known?.module ?? null,
    hash,
    dir,
    metadata,
    lastUsedMs: lastUsedMs(dir),
    usedHereMs: lastUsedByMs(dir, hereMarkers),
    changedMs: changedMs(dir),
    createdMs: known ? Date.parse(known.createdAt) : null,
  };
}

/**
 * Lists every version in a cache directory with its metadata and times, as seen from the
 * directory `here` (the working directory). Throws the filesystem error when `dir` itself
 * cannot be read (ENOENT: no cache there).
 */
export function listCache(dir: string, here: string = process.cwd()): CacheListing {
  const hereMarkers = projectUsedFilesAt(resolve(here));
  const locations = listVersions(dir);
  return {
    dir,
    versions: locations.map((location) =>
      readVersion(location.functionDir, location.definitionHash, location.dir, hereMarkers),
    ),
    tallies: new VersionTallies(
      dir,
      new Map(locations.map((location) => [location.dir, `${location.functionDir}/${location.definitionHash}`])),
    ),
  };
}

/** The key that groups versions of one function: its name and defining module, not its directory. */
export function identityOf(version: Pick<CachedVersion, 'name' | 'module'>): string {
  return `${version.name}\0${version.module ?? ''}`;
}

/** The time a version ranks by: its last use, else when its directory last changed. */
export function recencyMs(version: Pick<CachedVersion, 'lastUsedMs' | 'changedMs'>): number {
  return version.lastUsedMs ?? version.changedMs;
}

function rank(version: Pick<CachedVersion, 'metadata' | 'lastUsedMs'>): number {
  if (version.metadata.status !== 'ok') return 0;
  return version.lastUsedMs === null ? 1 : 2;
}

/**
 * Most recently used first: versions with valid metadata and a use marker, then those
 * never used here, then those without valid metadata. Within each, the versions the project
 * asked from used come first, most recently used by it first (see the module comment); then
 * by last use, and by hash within a tie, so the order is stable.
 */
export function byRecentUse(a: CachedVersion, b: CachedVersion): number {
  return (
    rank(b) - rank(a) ||
    (b.usedHereMs ?? -1) - (a.usedHereMs ?? -1) ||
    recencyMs(b) - recencyMs(a) ||
    (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0)
  );
}

/**
 * The current version of each function identity (see the module comment); none for a function
 * whose versions all lack valid metadata.
 */
export function currentVersions<V extends CachedVersion>(versions: readonly V[]): Set<V> {
  const current = new Map<string, V>();
  for (const version of versions) {
    if (version.metadata.status !== 'ok') continue;
    const key = identityOf(version);
    const held = current.get(key);
    if (!held || byRecentUse(version, held) < 0) current.set(key, version);
  }
  return new Set(current.values());
}

/**
 * The version directories of one function (its name and defining module) that a project
 * clearing all its versions removes: each one the project directory `projectDir` used, or no
 * project directory did. Another module's function of the same name shares the function
 * directory, and a version only other projects used is theirs. A version whose
 * `definition.json` is missing or damaged cannot be told apart: it stays, for `gc`.
 */
export function clearableVersions(
  functionDir: string,
  identity: Pick<CachedVersion, 'name' | 'module'>,
  projectDir: string | undefined,
): string[] {
  const ours = projectDir === undefined ? [] : [projectUsedFile(projectDir)];
  return listEntries(functionDir)
    .map((hash) => ({ hash, dir: join(functionDir, hash) }))
    .filter(({ hash, dir }) => {
      const metadata = readVersionMetadata(dir, hash);
      if (metadata.status !== 'ok') return false;
      if (identityOf(metadata.metadata) !== identityOf(identity)) return false;
      return lastUsedByMs(dir, ours) !== null || !usedByAnyProject(dir);
    })
    .map(({ dir }) => dir);
}
