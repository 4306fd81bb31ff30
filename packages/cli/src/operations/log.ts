/**
 * `funes log`: function versions, most recently used first, with what each holds.
 */
import { listFailures, type FailedPoint } from '@funes/core/internal';
import { currentVersions, objectFileBatches, OBJECT_BATCH, selectVersions, summarizeVersion } from '@funes/core/cache';
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
  /** Calls that threw here (or were recorded so): the last error, attempts and host of each, most recent first. */
  readonly failed: readonly FailedPoint[];
}

/** `funes log --json`. */
export interface LogResult {
  readonly cache: string;
  readonly versions: readonly LogEntry[];
}

/** Which versions `funes log` lists. */
export interface LogOptions {
  /** Function specs (`fn`, `fn@hash`); all when empty. */
  readonly functions: readonly string[];
  /** At most this many versions. */
  readonly limit: number | undefined;
  /** Only versions used or written at or after this time (ms). */
  readonly sinceMs: number | undefined;
}

/** Lists versions most recently used first, summarizing each (every record's metadata is read for its compute time). */
export async function log(cache: Cache, options: LogOptions, onVersion?: () => void): Promise<LogResult> {
  const current = currentVersions(cache.versions);
  const chosen = [];
  for (const version of selectVersions(cache.versions, options.functions)) {
    if (options.limit !== undefined && chosen.length >= options.limit) break;
    const summary = summarizeVersion(version);
    onVersion?.();
    const activeMs = Math.max(version.lastUsedMs ?? 0, summary.lastWrittenMs ?? 0);
    if (options.sinceMs === undefined || activeMs >= options.sinceMs) chosen.push({ version, summary });
  }
  // The records' metadata only: a log of large results reads kilobytes, not their gigabytes.
  const reader = createObjectReader(chosen.reduce((total, { summary }) => total + summary.entries, 0), 'metadata');
  const times: { seconds: number; damaged: number }[] = [];
  try {
    for (const { version } of chosen) {
      let seconds = 0;
      let damaged = 0;
      for (const batch of objectFileBatches(version.dir, OBJECT_BATCH)) {
        const read = await reader.read(batch);
        seconds += read.seconds;
        damaged += read.problems.length;
      }
      times.push({ seconds, damaged });
    }
  } finally {
    await reader.close();
  }
  const versions = chosen.map(({ version, summary }, i): LogEntry => ({
    function: version.name,
    module: version.module,
    hash: version.hash,
    shortHash: shortHash(version.hash),
    current: current.has(version),
    lastUsedAt: version.lastUsedMs === null ? null : new Date(version.lastUsedMs).toISOString(),
    createdAt: version.createdMs === null ? null : new Date(version.createdMs).toISOString(),
    lastWrittenAt: summary.lastWrittenMs === null ? null : new Date(summary.lastWrittenMs).toISOString(),
    entries: summary.entries,
    bytes: summary.bytes,
    diskBytes: summary.diskBytes,
    computeSeconds: times[i].seconds,
    damagedEntries: times[i].damaged,
    metadata: version.metadata.status,
    failed: listFailures(cache.dir, version.functionDir, version.hash),
  }));
  return { cache: cache.dir, versions };
}
