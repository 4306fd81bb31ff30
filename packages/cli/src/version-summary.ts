/**
 * Per-version totals from `stat` alone, for `log`, `du` and `rm`: entry count,
 * bytes and disk usage, last write. (Compute time needs the records: see object-reader.ts.)
 */
import { scanVersion, versionSize } from '@funes/core/cache';
import type { Version } from './cache.js';

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
  /** Its objects' paths. */
  readonly files: readonly string[];
}

/** Stats a version's files. */
export function summarizeVersion(version: Version): VersionSummary {
  const contents = scanVersion(version.dir);
  let lastWrittenMs: number | null = null;
  for (const entry of contents.entries) if (lastWrittenMs === null || entry.mtimeMs > lastWrittenMs) lastWrittenMs = entry.mtimeMs;
  return {
    entries: contents.entries.length,
    ...versionSize(contents),
    tempFiles: contents.temps.length,
    lastWrittenMs,
    files: contents.entries.map((entry) => entry.file),
  };
}
