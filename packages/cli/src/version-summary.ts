/**
 * Per-version totals for `log` and `du`: entry count, bytes on disk, last write and,
 * when asked, the compute time the entries store (which needs every record read).
 */
import { readObjectFile, scanVersion } from '@funes/core';
import type { Version } from './cache.js';

/** Totals of one version directory. */
export interface VersionSummary {
  readonly entries: number;
  /** Bytes of its objects, `definition.json` and temp files. */
  readonly bytes: number;
  readonly tempFiles: number;
  /** When its newest object was written; null when it has none. */
  readonly lastWrittenMs: number | null;
  /** Sum of the stored calls' `time`, when computed. */
  readonly computeSeconds: number | null;
  /** Objects that failed their integrity check while summing compute time. */
  readonly damagedEntries: number;
}

/** Stats a version's files and, with `computeTime`, reads each record for its `time`. */
export function summarizeVersion(version: Version, options: { computeTime: boolean }): VersionSummary {
  const { entries, temps, metadataSize } = scanVersion(version.dir);
  let bytes = metadataSize;
  let lastWrittenMs: number | null = null;
  for (const entry of entries) {
    bytes += entry.size;
    if (lastWrittenMs === null || entry.mtimeMs > lastWrittenMs) lastWrittenMs = entry.mtimeMs;
  }
  for (const temp of temps) bytes += temp.size;
  let computeSeconds: number | null = null;
  let damagedEntries = 0;
  if (options.computeTime) {
    computeSeconds = 0;
    for (const entry of entries) {
      const read = readObjectFile(entry.file);
      if (read.status === 'hit') computeSeconds += read.record.time;
      else if (read.status !== 'miss') damagedEntries++;
    }
  }
  return { entries: entries.length, bytes, tempFiles: temps.length, lastWrittenMs, computeSeconds, damagedEntries };
}
