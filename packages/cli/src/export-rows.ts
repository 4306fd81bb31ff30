/**
 * Records as table rows for `funes export` (pure): input fields become columns,
 * an output that is an object of scalars is spread into columns (else one `output`
 * column), then `time`, `createdAt`, the version (with several) and the argument
 * hash. A name already taken gets its group as prefix (`output.lr`).
 */
import type { CachedRecord } from '@funes/core';
import { isScalarRecord, toJsonValue, type Json } from './record-values.js';

/** Columns in order, with raw stored values. */
export type Row = Map<string, unknown>;

/** `funes export --format`: CSV (RFC 4180), JSON Lines, or one JSON array. */
export type ExportFormat = 'csv' | 'jsonl' | 'json';

/** One record as a row. */
export function recordRow(record: CachedRecord, argumentHash: string, versionHash: string | undefined): Row {
  const row: Row = new Map();
  const add = (group: string, name: string, value: unknown) => row.set(row.has(name) ? `${group}.${name}` : name, value);
  for (const [name, value] of Object.entries(record.input)) add('input', name, value);
  if (isScalarRecord(record.output)) for (const [name, value] of Object.entries(record.output)) add('output', name, value);
  else add('result', 'output', record.output);
  add('record', 'time', record.time);
  add('record', 'createdAt', record.createdAt);
  if (versionHash !== undefined) add('record', 'version', versionHash);
  add('record', 'argumentHash', argumentHash);
  return row;
}

/** A row as a JSON object (values converted by {@link toJsonValue}). */
export function rowJson(row: Row): { [column: string]: Json } {
  return Object.fromEntries([...row].map(([name, value]) => [name, toJsonValue(value)]));
}

/** One CSV field (RFC 4180): numbers as written (NaN, Infinity kept), objects as JSON, empty for null. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? '' : value.toISOString();
  else text = JSON.stringify(toJsonValue(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV line for `columns`; a column the row lacks is empty. */
export function csvLine(columns: readonly string[], row: Row | undefined): string {
  return `${columns.map((column) => (row ? csvField(row.get(column)) : csvField(column))).join(',')}\r\n`;
}
