/**
 * Per-version totals from `stat` alone, for `log`, `du` and `rm`: entry count,
 * bytes on disk, last write. (Compute time needs the records: see object-reader.ts.)
 */
import { scanVersion } from '@funes/core';
import type { Version } from './cache.js';

/** Totals of one version directory. */
export interface VersionSummary {
  readonly entries: number;
  /** Bytes of its objects, `definition.json`, temp and lock files. */
  readonly bytes: number;
  readonly tempFiles: number;
  /** When its newest object was written; null when it has none. */
  readonly lastWrittenMs: number | null;
  /** Its objects' paths. */
  readonly files: readonly string[];
}

/** Every byte a version directory holds. */
export function versionBytes(contents: {
  readonly entries: readonly { size: number }[];
  readonly temps: readonly { size: number }[];
  readonly locks: readonly { size: number }[];
  readonly metadataSize: number;
}): number {
  let bytes = contents.metadataSize;
  for (const files of [contents.entries, contents.temps, contents.locks]) for (const file of files) bytes += file.size;
  return bytes;
}

/** Stats a version's files. */
export function summarizeVersion(version: Version): VersionSummary {
  const contents = scanVersion(version.dir);
  let lastWrittenMs: number | null = null;
  for (const entry of contents.entries) if (lastWrittenMs === null || entry.mtimeMs > lastWrittenMs) lastWrittenMs = entry.mtimeMs;
  return {
    entries: contents.entries.length,
    bytes: versionBytes(contents),
    tempFiles: contents.temps.length,
    lastWrittenMs,
    files: contents.entries.map((entry) => entry.file),
  };
}
