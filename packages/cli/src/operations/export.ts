/**
 * `funes export`: one row per entry, streamed to a sink. CSV needs its header (the
 * union of all rows' columns) first, so it reads the records twice rather than
 * holding them: memory stays flat for any number of entries.
 */
import { type CachedRecord } from '@funes/core';
import { csvLine, readObjectFile, recordRow, rowJson, type ExportFormat, type Row } from '@funes/core/internal';
import { byRecentUse, scanVersion } from '@funes/core/cache';
import type { Version } from '../cache.js';
import type { Progress } from '../progress.js';

/** Where exported text goes; resolves when it may take more. */
export interface Sink {
  write(chunk: string): Promise<void>;
}

/** What an export wrote. */
export interface ExportResult {
  readonly rows: number;
  readonly columns: readonly string[];
  /** Entries skipped because they failed their integrity check. */
  readonly damaged: number;
}

/** Rows are written in batches of about this many characters. */
const BATCH = 64 * 1024;

interface Located {
  readonly version: Version;
  readonly argumentHash: string;
  readonly file: string;
}

/** Entries oldest first within each version; versions oldest first. */
function locate(versions: readonly Version[]): Located[] {
  return [...versions]
    .sort(byRecentUse)
    .reverse()
    .flatMap((version) =>
      scanVersion(version.dir)
        .entries.sort((a, b) => a.mtimeMs - b.mtimeMs)
        .map((entry) => ({ version, argumentHash: entry.argumentHash, file: entry.file })),
    );
}

function* records(located: readonly Located[], skip: () => void): Generator<[Located, CachedRecord]> {
  for (const item of located) {
    const read = readObjectFile(item.file);
    if (read.status === 'hit') yield [item, read.record];
    else if (read.status !== 'miss') skip();
  }
}

/** Writes the versions' entries to `sink` in `format`; `withVersion` adds a version column. */
export async function exportEntries(
  versions: readonly Version[],
  format: ExportFormat,
  sink: Sink,
  withVersion: boolean,
  progressFor: (total: number) => Progress,
): Promise<ExportResult> {
  const located = locate(versions);
  const progress = progressFor(located.length);
  const rowOf = ([item, record]: [Located, CachedRecord]): Row =>
    recordRow(record, item.argumentHash, withVersion ? item.version.hash : undefined);
  const columns = new Set<string>();
  let damaged = 0;
  if (format === 'csv') {
    for (const pair of records(located, () => {})) for (const column of rowOf(pair).keys()) columns.add(column);
  }
  const order = [...columns];
  let buffer = format === 'csv' ? csvLine(order, undefined) : format === 'json' ? '[' : '';
  let rows = 0;
  for (const pair of records(located, () => damaged++)) {
    const row = rowOf(pair);
    if (format !== 'csv') for (const column of row.keys()) columns.add(column);
    buffer +=
      format === 'csv'
        ? csvLine(order, row)
        : format === 'json'
          ? `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(rowJson(row))}`
          : `${JSON.stringify(rowJson(row))}\n`;
    rows++;
    progress.tick();
    if (buffer.length >= BATCH) {
      await sink.write(buffer);
      buffer = '';
    }
  }
  if (format === 'json') buffer += rows === 0 ? ']\n' : '\n]\n';
  await sink.write(buffer);
  progress.done();
  return { rows, columns: [...columns], damaged };
}
