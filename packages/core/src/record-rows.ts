/**
 * Records as table rows (pure), one flattening for every tool that shows a version as
 * a table (`funes export`, `funes ui`): each input is a column, a nested input spreads
 * into dotted columns (`cfg.depth`), a method's `this` into `this.*` columns, each
 * configuration read (`environment:SCALE`) into a column of the hash of what it saw, the output's
 * leaves become columns (`loss`, `metrics.f1`; a scalar output is one `output` column), then
 * `time`, `host`, `createdAt`, the version (when asked) and the argument hash. Plain objects of up to
 * {@link SPREAD_KEYS} keys and arrays of up to {@link SPREAD_ITEMS} items are spread; a larger object or
 * longer array, a typed array, a Map or any other object stays one cell. A name already taken gets its
 * group as prefix (`output.lr`), again while that is taken too (`record.record.time`).
 */
import { toJsonValue, type Json } from './json-value.js';
import type { CachedRecord } from './record.js';

/** Which part of a record a column holds. */
export type ColumnGroup = 'input' | 'this' | 'output' | 'record';

/** One cell of a row: its column's name and group, and the raw stored value. */
export interface Cell {
  readonly name: string;
  readonly group: ColumnGroup;
  readonly value: unknown;
}

/** Columns in order, with raw stored values. */
export type Row = Map<string, unknown>;

/** `funes export --format`: CSV (RFC 4180), JSON Lines, or one JSON array. */
export type ExportFormat = 'csv' | 'jsonl' | 'json';

/** Hex digits of the hash of what a configuration read saw, in its column: as many as `funes show` prints of a hash. */
const CONFIGURATION_DIGITS = 12;

/** Arrays of at most this many items spread into one column per item (`layers.0`); longer ones stay one cell. */
export const SPREAD_ITEMS = 8;

/**
 * Plain objects of at most this many keys spread into one column per key (`metrics.f1`); larger ones
 * stay one cell. An object keyed by data (a count per word) has other keys in every row, and spread,
 * a version of a few such rows would be a table of hundreds of thousands of columns.
 */
export const SPREAD_KEYS = 100;

/** Whether a value spreads into columns: a non-empty plain object of few keys, or a short non-empty array. */
function spreads(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.length > 0 && value.length <= SPREAD_ITEMS;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Object.keys(value).length;
  return keys > 0 && keys <= SPREAD_KEYS;
}

/**
 * The leaves of `value` under `path`, as [dotted path, value];
 * `seen` stops at a cycle (the repeated object is one cell).
 */
function leaves(path: string, value: unknown, seen: Set<object>, out: [string, unknown][]): void {
  if (!spreads(value) || seen.has(value)) {
    out.push([path, value]);
    return;
  }
  seen.add(value);
  for (const [key, item] of Object.entries(value)) leaves(path === '' ? key : `${path}.${key}`, item, seen, out);
  seen.delete(value);
}

/**
 * One record's cells in column order; `versionHash` adds a `version`
 * column. A seeded call's seed is its `global_seed` input.
 */
export function recordCells(record: CachedRecord, argumentHash: string, versionHash?: string): Cell[] {
  const cells: Cell[] = [];
  const taken = new Set<string>();
  const add = (group: ColumnGroup, name: string, value: unknown) => {
    // The prefixed name may be taken too (an output key `record.time`): a cell sharing a column loses its value.
    let unique = name;
    while (taken.has(unique)) unique = `${group}.${unique}`;
    taken.add(unique);
    cells.push({ name: unique, group, value });
  };
  const spread = (group: ColumnGroup, root: string, value: unknown) => {
    const found: [string, unknown][] = [];
    leaves(root, value, new Set(), found);
    for (const [path, leaf] of found) add(group, path === '' ? group : path, leaf);
  };
  for (const [name, value] of Object.entries(record.input)) spread('input', name, value);
  // A method's `this`: its state spreads into `this.*` columns.
  if (record.this !== undefined) spread('this', 'this', record.this);
  // What the code read besides its arguments decided the output too, so rows of one input
  // under two configurations tell them apart; by hash, as the record keeps what each read saw.
  for (const [read, hash] of Object.entries(record.configuration ?? {})) {
    add('input', read, hash.slice(0, CONFIGURATION_DIGITS));
  }
  spread('output', Array.isArray(record.output) ? 'output' : '', record.output);
  add('record', 'time', record.time);
  add('record', 'host', record.host);
  add('record', 'createdAt', record.createdAt);
  if (versionHash !== undefined) add('record', 'version', versionHash);
  add('record', 'argumentHash', argumentHash);
  return cells;
}

/** One record as a row: {@link recordCells} by name. */
export function recordRow(record: CachedRecord, argumentHash: string, versionHash?: string): Row {
  return new Map(recordCells(record, argumentHash, versionHash).map((cell) => [cell.name, cell.value]));
}

/** A row as a JSON object (values converted by {@link toJsonValue}). */
export function rowJson(row: Row): { [column: string]: Json } {
  return Object.fromEntries([...row].map(([name, value]) => [name, toJsonValue(value)]));
}

/** One CSV field (RFC 4180): numbers as written (NaN, Infinity, -0 kept), objects as JSON, empty for null. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  // String(-0) is '0', which would make the rows of f(-0) and f(0), two keys, read alike.
  if (Object.is(value, -0)) text = '-0';
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? '' : value.toISOString();
  else {
    text = JSON.stringify(toJsonValue(value));
  }
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV line for `columns`; a column the row lacks is empty. Without a row, the header line. */
export function csvLine(columns: readonly string[], row: Row | undefined): string {
  return `${columns.map((column) => (row ? csvField(row.get(column)) : csvField(column))).join(',')}\r\n`;
}
