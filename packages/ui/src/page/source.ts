/**
 * Where the page gets its data: the `funes ui` server's API, or the data embedded in a
 * report file (inflated once, then asked the same questions with the same code the
 * server runs).
 */
import { strFromU8, unzlibSync } from 'fflate';
import type { DefinitionView, EntryView, FunctionOutline, FunctionSummary } from '../cache-view.js';
import { definitionPatch } from '../definition-patch.js';
import { joinNames } from '../name-list.js';
import {
  compareTables,
  groupPoints,
  pageOf,
  selectRows,
  type Comparison,
  type PointGroup,
  type RowPage,
  type RowQuery,
} from '../query.js';
import { REPORT_DATA_ID, unpackTable, type ReportData } from '../report-data.js';
import type { ColumnInfo, TableData } from '../table.js';
import { fromWire, toWire } from '../wire.js';

/** A version's loading state and columns. */
export interface VersionStatus {
  readonly loaded: number;
  readonly total: number;
  readonly columns: readonly ColumnInfo[];
}

/** The questions the page asks. */
export interface DataSource {
  /** The cache directory shown. */
  readonly cache: string;
  /** Whether entries can be opened in full and views downloaded (false in a report). */
  readonly server: boolean;
  functions(): Promise<FunctionSummary[]>;
  /** The function a version belongs to, with its versions; null when there is no such version. */
  outline(version: string): Promise<FunctionOutline | null>;
  rows(version: string, query: RowQuery, offset: number, limit: number): Promise<VersionStatus & RowPage>;
  points(
    version: string,
    query: RowQuery,
    by: readonly string[],
    value: string,
  ): Promise<VersionStatus & { matched: number; groups: PointGroup[] }>;
  compare(a: string, b: string, column: string): Promise<Comparison>;
  entry(version: string, argumentHash: string): Promise<EntryView | null>;
  definition(version: string): Promise<DefinitionView | null>;
  /** The unified diff of two versions' definitions. */
  diff(a: string, b: string): Promise<string>;
  /** A link downloading the view, or null when there is no server. */
  download(version: string, query: RowQuery, format: 'csv' | 'json'): string | null;
  /** Calls `onChange` with the versions that changed, as a sweep writes; returns false when the data cannot change. */
  live(onChange: (versions: readonly string[]) => void): boolean;
}

function queryParams(query: RowQuery): Record<string, string> {
  const params: Record<string, string> = {};
  // A filter for NaN, ±Infinity or -0 (`=NaN`) in plain JSON would ask for null, or 0.
  if (query.filters && query.filters.length > 0) params.filters = toWire(query.filters);
  if (query.sort) params.sort = query.sort;
  if (query.descending) params.desc = '1';
  return params;
}

/**
 * A value from the URL's fragment (a version's key, an argument hash) as one segment of an API
 * path: escaped, so that a link whose `e` holds `…/../<another version>/entries/…` cannot have
 * the page show another version's entry under this one's name. A browser resolves `.` and `..`
 * even escaped, so they name nothing.
 */
function segment(text: string): string {
  if (text === '.' || text === '..') throw new Error(`no version or entry is named '${text}'`);
  return encodeURIComponent(text);
}

/** The server's API. */
export class HttpSource implements DataSource {
  readonly server = true;
  private readonly token = new URLSearchParams(location.search).get('token');

  constructor(readonly cache: string) {}

  static async open(): Promise<HttpSource> {
    const token = new URLSearchParams(location.search).get('token');
    const response = await fetch(`/api/info${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    if (!response.ok) throw new Error(((await response.json()) as { error: { message: string } }).error.message);
    return new HttpSource(((await response.json()) as { cache: string }).cache);
  }

  private url(path: string, params: Record<string, string> = {}): string {
    const search = new URLSearchParams(params);
    if (this.token) search.set('token', this.token);
    const text = search.toString();
    return text ? `${path}?${text}` : path;
  }

  private async get<T>(path: string, params?: Record<string, string>): Promise<T> {
    const response = await fetch(this.url(path, params));
    const body = fromWire(await response.text()) as { error?: { message?: string } };
    if (!response.ok) throw new Error(body.error?.message ?? response.statusText);
    return body as T;
  }

  functions() {
    return this.get<FunctionSummary[]>('/api/functions');
  }

  async outline(version: string) {
    try {
      return await this.get<FunctionOutline>(`/api/versions/${segment(version)}/function`);
    } catch {
      return null;
    }
  }

  rows(version: string, query: RowQuery, offset: number, limit: number) {
    return this.get<VersionStatus & RowPage>(`/api/versions/${segment(version)}/rows`, {
      ...queryParams(query),
      offset: String(offset),
      limit: String(limit),
    });
  }

  points(version: string, query: RowQuery, by: readonly string[], value: string) {
    const path = `/api/versions/${segment(version)}/points`;
    return this.get<VersionStatus & { matched: number; groups: PointGroup[] }>(path, {
      ...queryParams(query),
      by: joinNames(by),
      value,
    });
  }

  compare(a: string, b: string, column: string) {
    return this.get<Comparison>('/api/compare', { a, b, column });
  }

  async entry(version: string, argumentHash: string) {
    // An argument hash is 64 hex digits: any other name is no entry, without asking.
    if (!/^[0-9a-f]{64}$/.test(argumentHash)) return null;
    try {
      return await this.get<EntryView>(`/api/versions/${segment(version)}/entries/${segment(argumentHash)}`);
    } catch {
      return null;
    }
  }

  definition(version: string) {
    return this.get<DefinitionView>(`/api/versions/${segment(version)}/definition`);
  }

  async diff(a: string, b: string) {
    return (await this.get<{ patch: string }>('/api/diff', { a, b })).patch;
  }

  download(version: string, query: RowQuery, format: 'csv' | 'json') {
    return this.url(`/api/versions/${segment(version)}/rows.${format}`, queryParams(query));
  }

  live(onChange: (versions: readonly string[]) => void) {
    const events = new EventSource(this.url('/api/events'));
    events.addEventListener('change', (event) =>
      onChange((JSON.parse((event as MessageEvent).data) as { versions: string[] }).versions),
    );
    return true;
  }
}

/** A report's embedded data. */
export class EmbeddedSource implements DataSource {
  readonly server = false;
  readonly cache: string;
  // Maps, not the data's objects: a link's version (`v=constructor`, `v=__proto__`) would find
  // what every object inherits, and the page would show it as a version's table or definition.
  private readonly tables: ReadonlyMap<string, TableData>;
  private readonly definitions: ReadonlyMap<string, DefinitionView>;

  constructor(private readonly data: ReportData) {
    this.cache = data.cache;
    this.tables = new Map(Object.entries(data.tables).map(([key, table]) => [key, unpackTable(table)]));
    this.definitions = new Map(Object.entries(data.definitions));
  }

  /** The report's data, when this page is a report. */
  static find(): EmbeddedSource | undefined {
    const element = document.getElementById(REPORT_DATA_ID);
    if (!element?.textContent) return undefined;
    const bytes = Uint8Array.from(atob(element.textContent.trim()), (c) => c.charCodeAt(0));
    return new EmbeddedSource(fromWire(strFromU8(unzlibSync(bytes))) as ReportData);
  }

  private table(version: string) {
    const table = this.tables.get(version);
    if (!table) throw new Error(`version ${version} is not in this report`);
    return table;
  }

  private status(version: string): VersionStatus {
    const table = this.table(version);
    return { loaded: table.rows.length, total: table.rows.length, columns: table.columns };
  }

  async functions() {
    return [...this.data.functions];
  }

  async outline(version: string) {
    const fn = this.data.functions.find((candidate) => candidate.versions.some((v) => v.key === version));
    return fn ? { name: fn.name, module: fn.module, versions: fn.versions } : null;
  }

  async rows(version: string, query: RowQuery, offset: number, limit: number) {
    const table = this.table(version);
    return { ...this.status(version), ...pageOf(table, selectRows(table, query), offset, limit) };
  }

  async points(version: string, query: RowQuery, by: readonly string[], value: string) {
    const table = this.table(version);
    const rows = selectRows(table, query);
    return { ...this.status(version), matched: rows.length, groups: groupPoints(table, rows, by, value) };
  }

  async compare(a: string, b: string, column: string) {
    return compareTables(this.table(a), this.table(b), column);
  }

  async entry() {
    return null;
  }

  async definition(version: string) {
    return this.definitions.get(version) ?? null;
  }

  async diff(a: string, b: string) {
    const [from, to] = [this.definitions.get(a), this.definitions.get(b)];
    return from && to ? definitionPatch(from, to) : '';
  }

  download() {
    return null;
  }

  live() {
    return false;
  }
}
