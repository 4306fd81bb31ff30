/**
 * `funes log`: function versions, most recently used first, with what each holds.
 */
import { functionNameOfDir, listFailedVersions, listFailures, type FailedPoint } from '@funes/core/internal';
import {
  currentVersions,
  matchVersions,
  objectFileBatches,
  OBJECT_BATCH,
  selectVersions,
  stampOf,
  summarizeVersion,
  versionSize,
  type CachedVersion,
  type DirectoryStamp,
  type ObjectTotals,
  type ListedVersionFiles,
  type VersionRef,
} from '@funes/core/cache';
import { shortHash, type Cache } from '../cache.js';
import { createObjectReader } from '../object-reader.js';

/** One version in `funes log --json`. */
export interface LogEntry {
  readonly function: string;
  /** The defining module, project-relative; null when unknown. */
  readonly module: string | null;
  readonly hash: string;
  readonly shortHash: string;
  /** Whether this is the current version of its function (name and module): the one used most recently here. */
  readonly current: boolean;
  /** When it was last used here (read or written by a memorious call); null when never (unpacked, pulled). */
  readonly lastUsedAt: string | null;
  /** When `definition.json` says its first result was stored; null when that is missing or damaged. */
  readonly createdAt: string | null;
  /** When its last entry was written; null when it has none. */
  readonly lastWrittenAt: string | null;
  readonly entries: number;
  /** Bytes of its files. */
  readonly bytes: number;
  /** Disk usage of its files (allocated blocks), in bytes. */
  readonly diskBytes: number;
  /** Seconds of computation its entries stored. */
  readonly computeSeconds: number;
  /**
   * Entries whose header or metadata fails its checks (not counted in
   * computeSeconds); outputs are not read: `funes verify` checks every byte.
   */
  readonly damagedEntries: number;
  /** State of its definition.json. */
  readonly metadata: 'ok' | 'missing' | 'damaged';
  /**
   * The project directories that used it here, most recently first (their use markers): projects sharing
   * the cache each keep their own current version. `dir` is null when a marker could not be read.
   */
  readonly projects: readonly ProjectUseEntry[];
  /** Calls that threw here (or were recorded so): the last error, attempts and host of each, most recent first. */
  readonly failed: readonly FailedPoint[];
}

/** One project directory's use of a version, in {@link LogEntry}. */
export interface ProjectUseEntry {
  readonly dir: string | null;
  readonly lastUsedAt: string;
  /** Whether the directory is still there (a marker that cannot be read counts as there). */
  readonly present: boolean;
}

/** A version every call of which failed: it has failure records and no entry. */
export interface FailedVersion {
  readonly function: string;
  readonly hash: string;
  readonly shortHash: string;
  readonly failed: readonly FailedPoint[];
}

/** `funes log --json`. */
export interface LogResult {
  readonly cache: string;
  readonly versions: readonly LogEntry[];
  /** Versions with failed calls and nothing stored, most recent failure first; of the named functions, if any. */
  readonly failedWithoutEntries: readonly FailedVersion[];
}

/** A version with failure records and no entry, as selection sees it: specs name it as they name stored ones. */
interface FailedOnly extends VersionRef {
  readonly failed: readonly FailedPoint[];
}

/** The versions whose calls all failed (nothing stored), most recent failure first. */
function failedOnlyVersions(cache: Cache): FailedOnly[] {
  const stored = new Set(cache.versions.map((version) => `${version.functionDir}/${version.hash}`));
  return listFailedVersions(cache.dir)
    .filter(({ functionDir, definitionHash }) => !stored.has(`${functionDir}/${definitionHash}`))
    .map(({ functionDir, definitionHash }) => ({
      functionDir,
      name: functionNameOfDir(functionDir),
      hash: definitionHash,
      failed: listFailures(cache.dir, functionDir, definitionHash),
    }))
    .filter(({ failed }) => failed.length > 0)
    .sort((a, b) => b.failed[0].at.localeCompare(a.failed[0].at));
}

/** Which versions `funes log` lists. */
export interface LogOptions {
  /** Function specs (`fn`, `fn@hash`); all when empty. */
  readonly functions: readonly string[];
  /** At most this many versions, counting those whose every call failed (listed last). */
  readonly limit: number | undefined;
  /** Only versions used or written at or after this time (ms). */
  readonly sinceMs: number | undefined;
}

/** Whether a version was used or written at or after `sinceMs`: the written time needs a `stat` of its objects. */
function activeSince(cache: Cache, version: CachedVersion, sinceMs: number | undefined): boolean {
  if (sinceMs === undefined || (version.lastUsedMs ?? 0) >= sinceMs) return true;
  return (summarizeVersion(version, cache.tallies).lastWrittenMs ?? 0) >= sinceMs;
}

/** What one listing of a version, and the reads of its objects, found. */
interface VersionRead {
  files?: ListedVersionFiles;
  objects: ObjectTotals;
  seconds: number;
  damaged: number;
  /** Its directory's stamp before it was listed: present while its tally is to be recorded. */
  stamp?: DirectoryStamp;
}

function addTotals(a: ObjectTotals, b: ObjectTotals): ObjectTotals {
  return {
    count: a.count + b.count,
    bytes: a.bytes + b.bytes,
    diskBytes: a.diskBytes + b.diskBytes,
    lastWrittenMs:
      a.lastWrittenMs === null || (b.lastWrittenMs !== null && b.lastWrittenMs > a.lastWrittenMs)
        ? b.lastWrittenMs
        : a.lastWrittenMs,
  };
}

/**
 * Each chosen version's objects in batches, noting the rest of its directory as it is listed; a
 * version whose directory is unchanged since an earlier `log` recorded it is taken from that record.
 */
function* logJobs(
  cache: Cache,
  chosen: readonly CachedVersion[],
  reads: VersionRead[],
  onVersion: (() => void) | undefined,
): Generator<{ files: string[]; at: number }> {
  for (const [at, version] of chosen.entries()) {
    const recorded = cache.tallies.recorded(version.dir);
    if (recorded?.reads) {
      reads[at] = { files: recorded, objects: recorded.objects, seconds: recorded.reads.seconds, damaged: 0 };
      onVersion?.();
      continue;
    }
    reads[at].stamp = stampOf(version.dir);
    const batches = objectFileBatches(version.dir, OBJECT_BATCH);
    for (let next = batches.next(); ; next = batches.next()) {
      if (next.done) {
        reads[at].files = next.value;
        onVersion?.();
        break;
      }
      yield { files: next.value, at };
    }
  }
}

/** Records the tallies of the versions read whose every record was sound, for the next command. */
function recordTallies(cache: Cache, chosen: readonly CachedVersion[], reads: readonly VersionRead[]): void {
  for (const [at, { stamp, files, objects, seconds, damaged }] of reads.entries()) {
    if (stamp && files && damaged === 0) cache.tallies.record(chosen[at].dir, stamp, objects, files.names, { seconds });
  }
  cache.tallies.save();
}

/**
 * Lists versions most recently used first, summarizing each: one listing of its directory,
 * and one read of each object's metadata (for its compute time) whose `fstat` also gives its size;
 * none of that for a version whose directory is unchanged since a `log` recorded its tally.
 */
export async function log(cache: Cache, options: LogOptions, onVersion?: () => void): Promise<LogResult> {
  const current = currentVersions(cache.versions);
  const failedOnly = failedOnlyVersions(cache);
  // A function whose every call failed is named like one with entries, so naming it is no error.
  const named = new Set<VersionRef>(matchVersions([...cache.versions, ...failedOnly], options.functions));
  const chosen: CachedVersion[] = [];
  for (const version of selectVersions(
    cache.versions.filter((version) => named.has(version)),
    [],
  )) {
    if (options.limit !== undefined && chosen.length >= options.limit) break;
    if (activeSince(cache, version, options.sinceMs)) chosen.push(version);
  }
  const reads: VersionRead[] = chosen.map(() => ({
    objects: { count: 0, bytes: 0, diskBytes: 0, lastWrittenMs: null },
    seconds: 0,
    damaged: 0,
  }));
  // The records' metadata only: a log of large results reads kilobytes, not their gigabytes.
  // Not counted first: that would list every directory twice.
  const reader = createObjectReader(undefined, 'metadata');
  try {
    await reader.readAll(logJobs(cache, chosen, reads, onVersion), (read, { at }) => {
      reads[at].seconds += read.seconds;
      reads[at].damaged += read.problems.length;
      if (read.sizes) reads[at].objects = addTotals(reads[at].objects, read.sizes);
    });
  } finally {
    await reader.close();
  }
  recordTallies(cache, chosen, reads);
  const versions = chosen.map((version, i): LogEntry => {
    const { files, objects, seconds, damaged } = reads[i];
    const size = versionSize({ ...files!, objects });
    return {
      function: version.name,
      module: version.module,
      hash: version.hash,
      shortHash: shortHash(version.hash),
      current: current.has(version),
      lastUsedAt: version.lastUsedMs === null ? null : new Date(version.lastUsedMs).toISOString(),
      createdAt: version.createdMs === null ? null : new Date(version.createdMs).toISOString(),
      lastWrittenAt: objects.lastWrittenMs === null ? null : new Date(objects.lastWrittenMs).toISOString(),
      entries: objects.count,
      bytes: size.bytes,
      diskBytes: size.diskBytes,
      computeSeconds: seconds,
      damagedEntries: damaged,
      metadata: version.metadata.status,
      projects: [...files!.projectUses]
        .sort((a, b) => b.usedMs - a.usedMs)
        .map((use) => ({ dir: use.dir, lastUsedAt: new Date(use.usedMs).toISOString(), present: use.present })),
      failed: listFailures(cache.dir, version.functionDir, version.hash),
    };
  });
  return {
    cache: cache.dir,
    versions,
    failedWithoutEntries: failedOnly
      .filter(({ failed }) => options.sinceMs === undefined || Date.parse(failed[0].at) >= options.sinceMs)
      .filter((version) => named.has(version))
      .slice(0, options.limit === undefined ? undefined : Math.max(0, options.limit - versions.length))
      .map(({ name, hash, failed }) => ({ function: name, hash, shortHash: shortHash(hash), failed })),
  };
}
