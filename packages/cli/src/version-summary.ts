/**
 * Per-version totals from `stat` alone, for `log`, `du` and `rm`: entry count,
 * bytes on disk, last write. (Compute time needs the records: see compute-time.ts.)
 */
import { scanVersion } from '@funes/core';
import type { Version } from './cache.js';

/** Totals of one version directory. */
export interface VersionSummary {
  readonly entries: number;
  /** Bytes of its objects, `definition.json` and temp files. */
  readonly bytes: number;
  readonly tempFiles: number;
  /** When its newest object was written; null when it has none. */
  readonly lastWrittenMs: number | null;
  /** Its objects' paths. */
  readonly files: readonly string[];
}

/** Stats a version's files. */
export function summarizeVersion(version: Version): VersionSummary {
  const { entries, temps, metadataSize } = scanVersion(version.dir);
  let bytes = metadataSize;
  let lastWrittenMs: number | null = null;
  for (const entry of entries) {
    bytes += entry.size;
    if (lastWrittenMs === null || entry.mtimeMs > lastWrittenMs) lastWrittenMs = entry.mtimeMs;
  }
  for (const temp of temps) bytes += temp.size;
  return { entries: entries.length, bytes, tempFiles: temps.length, lastWrittenMs, files: entries.map((entry) => entry.file) };
}
