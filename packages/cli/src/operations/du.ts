/**
 * `funes du`: bytes, disk usage and entries per function and version, from `stat` alone.
 */
import { currentVersions, identityOf, selectVersions } from '@funes/core/cache';
import { shortHash, type Cache } from '../cache.js';
import type { Progress } from '../progress.js';
import { summarizeVersion } from '../version-summary.js';

/** One version in `funes du --json`. */
export interface DuVersion {
  readonly hash: string;
  readonly shortHash: string;
  /** Whether it is its function's current version (the most recently used). */
  readonly current: boolean;
  readonly entries: number;
  /** Bytes of its objects, definition.json and temp files. */
  readonly bytes: number;
  /** Disk usage of those files (allocated blocks), in bytes. */
  readonly diskBytes: number;
  readonly tempFiles: number;
}

/** One function (name and module) in `funes du --json`. */
export interface DuFunction {
  readonly function: string;
  readonly module: string | null;
  readonly entries: number;
  readonly bytes: number;
  readonly diskBytes: number;
  /** Largest (on disk) first. */
  readonly versions: readonly DuVersion[];
}

/** `funes du --json`. */
export interface DuResult {
  readonly cache: string;
  readonly entries: number;
  readonly bytes: number;
  readonly diskBytes: number;
  /** Largest (on disk) first; one per function identity (name and module). */
  readonly functions: readonly DuFunction[];
}

/** Sizes of the selected versions (all when none are named), grouped by function. */
export function du(cache: Cache, functions: readonly string[], progress: Progress): DuResult {
  const current = currentVersions(cache.versions);
  const groups = new Map<string, { function: string; module: string | null; versions: DuVersion[] }>();
  for (const version of selectVersions(cache.versions, functions)) {
    const summary = summarizeVersion(version);
    progress.tick();
    const key = identityOf(version);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { function: version.name, module: version.module, versions: [] }));
    group.versions.push({
      hash: version.hash,
      shortHash: shortHash(version.hash),
      current: current.has(version),
      entries: summary.entries,
      bytes: summary.bytes,
      diskBytes: summary.diskBytes,
      tempFiles: summary.tempFiles,
    });
  }
  progress.done();
  const sum = (items: readonly { entries: number; bytes: number; diskBytes: number }[]) => ({
    entries: items.reduce((total, item) => total + item.entries, 0),
    bytes: items.reduce((total, item) => total + item.bytes, 0),
    diskBytes: items.reduce((total, item) => total + item.diskBytes, 0),
  });
  const result = [...groups.values()]
    .map((group) => ({ ...group, ...sum(group.versions), versions: group.versions.sort((a, b) => b.diskBytes - a.diskBytes) }))
    .sort((a, b) => b.diskBytes - a.diskBytes);
  return { cache: cache.dir, ...sum(result), functions: result };
}
