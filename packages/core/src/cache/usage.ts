/**
 * What versions hold and take up, from `stat` alone: per-version totals (entry count,
 * bytes, disk usage, last write) and `du`'s sizes grouped by function. Compute times
 * need the records, which this does not read.
 */
import { tallyVersion } from '../cache-index.js';
import type { VersionTallies } from './version-tallies.js';
import { isProcessAlive, NO_PROGRESS, sizeOfLeftover, type ProgressFor } from './gc.js';
import { sum, versionSize, type Size } from './gc-plan.js';
import { leftoversInCache } from './remove.js';
import { selectVersions } from './select.js';
import { currentVersions, identityOf, type CacheListing, type CachedVersion } from './versions.js';

/** Totals of one version directory. */
export interface VersionSummary {
  readonly entries: number;
  /** Bytes of its objects, `definition.json`, temp and lock files. */
  readonly bytes: number;
  /** Disk usage of every file in it: the blocks allocated, in bytes. */
  readonly diskBytes: number;
  readonly tempFiles: number;
  /** When its newest object was written; null when it has none. */
  readonly lastWrittenMs: number | null;
}

/**
 * Stats a version's files, holding totals only, however many objects it has; with `tallies`, those of an
 * unchanged directory are taken from what an earlier command recorded.
 */
export function summarizeVersion(version: CachedVersion, tallies?: VersionTallies): VersionSummary {
  const tally = tallies ? tallies.tally(version.dir) : tallyVersion(version.dir);
  return {
    entries: tally.objects.count,
    ...versionSize(tally),
    tempFiles: tally.temps.length,
    lastWrittenMs: tally.objects.lastWrittenMs,
  };
}

/** Sizes of one version in a {@link DiskUsage}. */
export interface VersionUsage {
  readonly hash: string;
  /** Whether it is its function's current version (the most recently used). */
  readonly current: boolean;
  readonly entries: number;
  /** Bytes of its objects, definition.json, temp and lock files. */
  readonly bytes: number;
  /** Disk usage of those files (allocated blocks), in bytes. */
  readonly diskBytes: number;
  readonly tempFiles: number;
}

/** Sizes of one function (name and module) in a {@link DiskUsage}. */
export interface FunctionUsage<V extends VersionUsage = VersionUsage> {
  readonly function: string;
  readonly module: string | null;
  readonly entries: number;
  readonly bytes: number;
  readonly diskBytes: number;
  /** Largest (on disk) first. */
  readonly versions: readonly V[];
}

/** Sizes of a selection of a cache's versions. */
export interface DiskUsage<V extends VersionUsage = VersionUsage> {
  readonly cache: string;
  readonly entries: number;
  /** Of the functions listed, and of the leftovers. */
  readonly bytes: number;
  readonly diskBytes: number;
  /** Largest (on disk) first; one per function identity (name and module). */
  readonly functions: readonly FunctionUsage<V>[];
  /**
   * Directories killed removals left (`gc` removes them), with the files they hold: counted when the
   * whole cache is measured (no spec), none otherwise.
   */
  readonly leftovers: { readonly count: number } & Size;
}

/**
 * Sizes of the versions `specs` select (all when none are named; the grammar of
 * {@link selectVersions}), grouped by function, largest on disk first.
 */
export function diskUsage(
  listing: CacheListing,
  specs: readonly string[],
  progressFor: ProgressFor = NO_PROGRESS,
): DiskUsage {
  const current = currentVersions(listing.versions);
  const progress = progressFor('Measuring', listing.versions.length);
  const groups = new Map<string, { function: string; module: string | null; versions: VersionUsage[] }>();
  for (const version of selectVersions(listing.versions, specs)) {
    const summary = summarizeVersion(version, listing.tallies);
    progress.tick();
    const key = identityOf(version);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { function: version.name, module: version.module, versions: [] }));
    group.versions.push({
      hash: version.hash,
      current: current.has(version),
      entries: summary.entries,
      bytes: summary.bytes,
      diskBytes: summary.diskBytes,
      tempFiles: summary.tempFiles,
    });
  }
  progress.done();
  listing.tallies.save();
  const functions = [...groups.values()]
    .map((group) => ({
      ...group,
      ...totals(group.versions),
      versions: group.versions.sort((a, b) => b.diskBytes - a.diskBytes),
    }))
    .sort((a, b) => b.diskBytes - a.diskBytes);
  // What killed removals left takes disk too: the whole cache's figure agrees with `du -s`.
  const left = specs.length === 0 ? leftoversInCache(listing.dir, isProcessAlive) : [];
  const leftovers = { count: left.length, ...sum(left.map(sizeOfLeftover)) };
  const all = totals(functions);
  return {
    cache: listing.dir,
    entries: all.entries,
    bytes: all.bytes + leftovers.bytes,
    diskBytes: all.diskBytes + leftovers.diskBytes,
    functions,
    leftovers,
  };
}

function totals(items: readonly { entries: number; bytes: number; diskBytes: number }[]): {
  entries: number;
  bytes: number;
  diskBytes: number;
} {
  return {
    entries: items.reduce((total, item) => total + item.entries, 0),
    bytes: items.reduce((total, item) => total + item.bytes, 0),
    diskBytes: items.reduce((total, item) => total + item.diskBytes, 0),
  };
}
