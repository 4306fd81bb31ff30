/**
 * The cache as `funes ui` serves it: functions with their versions, each version's
 * entries as a table loaded in the background and kept up to date as a sweep writes,
 * and one entry or definition read on demand. Only reads; every listing goes through
 * @funes/core's cache index.
 */
import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { type CachedRecord } from '@funes/core';
import {
  functionNameOfDir,
  readObjectFile,
  readObjectListed,
  recordCells,
  sha256Hex,
  toJsonValue,
  type Json,
} from '@funes/core/internal';
import {
  byRecentUse,
  currentVersions,
  identityOf,
  listCache,
  listEntries,
  listVersions,
  readVersionMetadata,
  scanVersion,
  type CachedVersion,
  type VersionContents,
  type VersionMetadata,
} from '@funes/core/cache';
import { definitionPatch } from './definition-patch.js';
import { selectRows, type RowQuery } from './query.js';
import { TableBuilder, UnreadOutput, type TableData, type TableRow } from './table.js';

/**
 * How the ui names a version: its definition hash or, when versions of several functions
 * share that hash (each pinned with the same `version`), the hash and a digest of its
 * function directory, so that no page shows one function's results as another's.
 */
export function versionKeys(versions: readonly { readonly functionDir: string; readonly hash: string }[]): string[] {
  const count = new Map<string, number>();
  for (const { hash } of versions) count.set(hash, (count.get(hash) ?? 0) + 1);
  return versions.map(({ functionDir, hash }) =>
    count.get(hash)! > 1 ? `${hash}.${sha256Hex(functionDir).slice(0, 8)}` : hash,
  );
}

/** Whether a string is a key {@link versionKeys} makes (a version's name in the ui's API). */
export function isVersionKey(key: string): boolean {
  return /^[0-9a-f]{64}(\.[0-9a-f]{8})?$/.test(key);
}

/** One function version, as the functions list shows it. */
export interface VersionSummary {
  /** Its name in the ui's API and pages (see {@link versionKeys}). */
  readonly key: string;
  readonly hash: string;
  readonly name: string;
  readonly module: string | null;
  readonly functionDir: string;
  /** When its first result was stored (ISO 8601); null when `definition.json` is missing or damaged. */
  readonly createdAt: string | null;
  /** When a process last used it here (ISO 8601); null when never. */
  readonly lastUsedAt: string | null;
  /** Whether it is its function's current version: the one used most recently here. */
  readonly current: boolean;
  readonly entries: number;
  /** Bytes of its files (objects, `definition.json`, temp and lock files). */
  readonly bytes: number;
  /** When its newest entry was written (ISO 8601), null without entries. */
  readonly lastWrittenAt: string | null;
  /**
   * Whether a call is being computed into it right now (a lock file
   * is held) or an entry was written in the last {@link WRITING_MS}.
   */
  readonly writing: boolean;
  readonly metadata: 'ok' | 'missing' | 'damaged';
}

/** One function (a name and its defining module) with its versions, most recently used first. */
export interface FunctionSummary {
  readonly name: string;
  readonly module: string | null;
  readonly entries: number;
  readonly bytes: number;
  readonly lastWrittenAt: string | null;
  readonly writing: boolean;
  readonly versions: readonly VersionSummary[];
}

/**
 * A function and its versions without sizes and times of entries:
 * what a version's view needs, listed without a `stat` per entry.
 */
export interface FunctionOutline {
  readonly name: string;
  readonly module: string | null;
  /** Most recently used first. */
  readonly versions: readonly Pick<
    VersionSummary,
    'key' | 'hash' | 'entries' | 'current' | 'createdAt' | 'lastUsedAt'
  >[];
}

/** An entry written this recently counts as a sweep writing. */
export const WRITING_MS = 10_000;

/** Objects larger than this are listed from their metadata; their output is read when the entry is opened. */
export const LARGE_OBJECT = 4 * 1024 * 1024;

/**
 * While a version's directory keeps changing, its listing is kept, and its rows' files are
 * not checked again, for this many times as long as making it took.
 */
const RESCAN_FACTOR = 10;

/** Rows are read in batches of this many, the server answering requests between batches. */
const LOAD_BATCH = 500;

/** Arrays in an opened entry are cut to this many items. */
export const ENTRY_ARRAY_ITEMS = 100_000;

/**
 * The tables of the versions looked at most recently are kept while their rows together are
 * at most this many; older ones are let go (and read again when asked for), so a server that
 * has shown many large versions holds a few of them, not all.
 */
export const KEPT_ROWS = 500_000;

/** The tables kept whatever their size: A vs B reads two. */
const KEPT_TABLES = 2;

interface Located {
  readonly hash: string;
  readonly functionDir: string;
  readonly dir: string;
  readonly metadata: VersionMetadata | undefined;
}

/** The directory's modification time: it changes when an entry is added or removed. */
function directoryStamp(dir: string): number {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return -1;
  }
}

/** A version's table, read in the background and refreshed when its directory changes. */
class VersionTable {
  private readonly builder = new TableBuilder();
  private loadedStamp = Number.NaN;
  private loading: Promise<void> | undefined;
  /** Entries listed by the load under way or done. */
  private listed = 0;
  /** Each row's file as it was read (see {@link fileIdentity}). */
  private readonly files = new Map<string, string>();
  /** When the rows' files were last checked for being written again, and how long that took. */
  private checked = { at: -Infinity, took: 0 };
  /** Bumped when rows change, so query results can be cached by it. */
  private generation = 0;
  /** The rows of the last query, kept while neither the rows nor the query change. */
  private selection: { key: string; rows: TableRow[] } | undefined;
  /**
   * Whether rows may be older than their files: the last load left out the check for
   * entries written again (`refresh`, an expired `maxAge`), having made one too recently.
   */
  private behind = false;

  constructor(readonly location: Located) {}

  /** Starts (or continues) reading entries not yet in the table; resolves when all that are present now are read. */
  refresh(): Promise<void> {
    // A read under way may have listed the directory before the latest entries arrived.
    if (this.loading) return this.loading.then(() => this.refresh());
    const stamp = directoryStamp(this.location.dir);
    if (stamp === this.loadedStamp && !this.due) return Promise.resolve();
    this.loading = this.load(stamp).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(stamp: number): Promise<void> {
    // Names only (no `stat` of every entry), so the first rows come at once however many there are.
    const present = new Set(listEntries(this.location.dir));
    for (const hash of [...this.builder.hashes()]) {
      if (!present.has(hash)) {
        this.builder.remove(hash);
        this.files.delete(hash);
      }
    }
    const fresh = [...present].filter((hash) => !this.builder.has(hash));
    const rewritten = this.rewritten();
    this.behind = rewritten === undefined;
    const reads = [...fresh, ...(rewritten ?? [])];
    this.listed = this.builder.size + fresh.length;
    this.generation++;
    for (let start = 0; start < reads.length; start += LOAD_BATCH) {
      for (const argumentHash of reads.slice(start, start + LOAD_BATCH)) {
        const read = readForTable(join(this.location.dir, argumentHash));
        if (read) {
          this.builder.add(argumentHash, recordCells(read.record, argumentHash));
          this.files.set(argumentHash, read.file);
        } else {
          if (this.builder.has(argumentHash)) this.builder.remove(argumentHash);
          this.files.delete(argumentHash);
          this.listed--;
        }
      }
      this.generation++;
      if (start + LOAD_BATCH < reads.length) await new Promise((resolve) => setImmediate(resolve));
    }
    this.loadedStamp = stamp;
  }

  /** Whether a check for entries written again was left out and may be made now. */
  get due(): boolean {
    return this.behind && this.mayCheck();
  }

  private mayCheck(): boolean {
    return performance.now() - this.checked.at >= RESCAN_FACTOR * this.checked.took;
  }

  /**
   * The rows whose file was written again since it was read: a `stat` of every row, so made
   * at most a tenth of the time (see {@link RESCAN_FACTOR}); undefined when left out.
   */
  private rewritten(): string[] | undefined {
    if (!this.mayCheck()) return undefined;
    const started = performance.now();
    const found: string[] = [];
    for (const [hash, file] of this.files) {
      if (identityAt(join(this.location.dir, hash)) !== file) found.push(hash);
    }
    this.checked = { at: started, took: performance.now() - started };
    return found;
  }

  /** The rows read so far, and how many entries there are in all. */
  snapshot(): { table: TableData; loaded: number; total: number } {
    return { table: this.builder.table(), loaded: this.builder.size, total: Math.max(this.listed, this.builder.size) };
  }

  /** The rows a query keeps of those read so far. */
  select(query: RowQuery): TableRow[] {
    const key = `${this.generation}\0${JSON.stringify(query)}`;
    if (this.selection?.key !== key) this.selection = { key, rows: selectRows(this.builder.table(), query) };
    return this.selection.rows;
  }

  /** How many rows it holds. */
  get size(): number {
    return this.builder.size;
  }
}

/**
 * A file as one write left it: its inode and modification time. An entry written again
 * (a temp file renamed over it) is a new file, though its name and directory stay.
 */
function fileIdentity({ ino, mtimeMs }: Stats): string {
  return `${ino}:${mtimeMs}`;
}

/** {@link fileIdentity} of the file at a path; undefined when it is gone. */
function identityAt(file: string): string | undefined {
  try {
    return fileIdentity(statSync(file));
  } catch {
    return undefined;
  }
}

/**
 * A record for the table — whole, or without its output when the object is large — and the
 * file it was read from (see {@link fileIdentity}): the descriptor read's own, as a separate
 * `stat` could see another file; undefined when it is damaged or gone.
 */
function readForTable(file: string): { record: CachedRecord; file: string } | undefined {
  const read = readObjectListed(file, LARGE_OBJECT);
  if (read.status !== 'hit') return undefined;
  const { record, stat } = read.record;
  return {
    record: 'output' in record ? record : { ...record, output: new UnreadOutput(stat.size) },
    file: fileIdentity(stat),
  };
}

/** A version's rows, those a query keeps, and how many of its entries are read. */
export interface Selection {
  readonly table: TableData;
  /** The rows the query keeps, in its order. */
  readonly rows: TableRow[];
  readonly loaded: number;
  readonly total: number;
}

/** One entry in full, as the entry view shows it. */
export interface EntryView {
  readonly argumentHash: string;
  readonly version: string;
  readonly function: string;
  readonly file: string;
  readonly bytes: number;
  readonly input: Json;
  /** What stood for a method's `this` (see `CachedRecord.this`); absent for a function. */
  readonly this?: Json;
  readonly output: Json;
  readonly time: number;
  readonly createdAt: Json;
  readonly seed: Json;
  readonly async: boolean;
  readonly host: string;
  readonly node: string;
  readonly platform: string;
  readonly funes: string;
}

/** A version's definition, as the entry and compare views show it. */
export interface DefinitionView {
  readonly hash: string;
  readonly status: VersionSummary['metadata'];
  readonly metadata: VersionMetadata | null;
}

/**
 * A stored value as an entry shows it: NaN, ±Infinity and -0 as the numbers they are, and each
 * array, typed array, Set and Map cut to {@link ENTRY_ARRAY_ITEMS} items before it is
 * converted, so one opened entry stays a page's worth however large its output.
 */
function entryValue(value: unknown): Json {
  return toJsonValue(value, { exactNumbers: true, items: ENTRY_ARRAY_ITEMS });
}

/** A cache directory opened for viewing. */
export class CacheView {
  private readonly tables = new Map<string, VersionTable>();
  private readonly listings = new Map<string, { stamp: number; contents: VersionContents; at: number; took: number }>();

  /** `keptRows`: how many rows the tables kept may hold together (see {@link KEPT_ROWS}). */
  constructor(
    readonly dir: string,
    private readonly keptRows: number = KEPT_ROWS,
  ) {}

  /** The cache's versions with their keys. */
  private keyed(): { versions: readonly CachedVersion[]; keys: Map<CachedVersion, string> } {
    const { versions } = listCache(this.dir);
    const keys = versionKeys(versions);
    return { versions, keys: new Map(versions.map((version, i) => [version, keys[i]])) };
  }

  /** The version directories with their keys, without reading their metadata. */
  private keyedLocations() {
    const locations = listVersions(this.dir);
    const keys = versionKeys(locations.map((location) => ({ ...location, hash: location.definitionHash })));
    return locations.map((location, i) => ({ ...location, key: keys[i] }));
  }

  private locate(key: string): Located | undefined {
    const found = this.keyedLocations().find((location) => location.key === key);
    if (!found) return undefined;
    const hash = found.definitionHash;
    const read = readVersionMetadata(found.dir, hash);
    return {
      hash,
      functionDir: found.functionDir,
      dir: found.dir,
      metadata: read.status === 'ok' ? read.metadata : undefined,
    };
  }

  /**
   * Every function with its versions (most recently used first), most recently
   * written function first. Throws when the directory cannot be read.
   */
  functions(now: number = Date.now()): FunctionSummary[] {
    const { versions, keys } = this.keyed();
    const current = currentVersions(versions);
    const byFunction = new Map<string, VersionSummary[]>();
    for (const version of [...versions].sort(byRecentUse)) {
      const summary = summarize(version, keys.get(version)!, current.has(version), this.contents(version.dir), now);
      byFunction.set(identityOf(version), [...(byFunction.get(identityOf(version)) ?? []), summary]);
    }
    const newestFirst = (a: string | null, b: string | null) => (b ?? '').localeCompare(a ?? '');
    return [...byFunction.values()]
      .map((versions): FunctionSummary => {
        return {
          name: versions[0].name,
          module: versions[0].module,
          entries: versions.reduce((sum, v) => sum + v.entries, 0),
          bytes: versions.reduce((sum, v) => sum + v.bytes, 0),
          lastWrittenAt: versions.map((v) => v.lastWrittenAt).sort(newestFirst)[0] ?? null,
          writing: versions.some((v) => v.writing),
          versions,
        };
      })
      .sort((a, b) => newestFirst(a.lastWrittenAt, b.lastWrittenAt) || a.name.localeCompare(b.name));
  }

  /**
   * The function a version (by its key) belongs to, with
   * its versions; undefined when there is no such version.
   */
  outline(key: string): FunctionOutline | undefined {
    const { versions, keys } = this.keyed();
    const version = versions.find((v) => keys.get(v) === key);
    if (!version) return undefined;
    const current = currentVersions(versions);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const siblings = versions.filter((v) => identityOf(v) === identityOf(version)).sort(byRecentUse);
    return {
      name: version.name,
      module: version.module,
      versions: siblings.map((v) => ({
        key: keys.get(v)!,
        hash: v.hash,
        entries: listEntries(v.dir).length,
        current: current.has(v),
        createdAt: iso(v.createdMs),
        lastUsedAt: iso(v.lastUsedMs),
      })),
    };
  }

  /** The table of a version (by its key), undefined when there is no such version. */
  private tableOf(key: string): VersionTable | undefined {
    let table = this.tables.get(key);
    // A version removed since (`funes gc`, `funes rm`) is no version: its table would answer as one without rows.
    if (table && directoryStamp(table.location.dir) < 0) {
      this.tables.delete(key);
      table = undefined;
    }
    if (!table) {
      const location = this.locate(key);
      if (!location) return undefined;
      table = new VersionTable(location);
    }
    // The map's order is the order of use, least recent first.
    this.tables.delete(key);
    this.tables.set(key, table);
    this.letGo();
    return table;
  }

  /** Lets go of the tables used least recently beyond `keptRows` rows. */
  private letGo(): void {
    let rows = 0;
    [...this.tables].reverse().forEach(([key, table], recent) => {
      rows += table.size;
      if (recent >= KEPT_TABLES && rows > this.keptRows) this.tables.delete(key);
    });
  }

  /**
   * A version's rows and those a query keeps of them (reused while neither changes): the rows
   * read so far, reading the rest in the background, or with `whole` every entry present now.
   * Undefined when there is no such version.
   */
  async select(key: string, query: RowQuery = {}, whole = false): Promise<Selection | undefined> {
    const table = this.tableOf(key);
    if (!table) return undefined;
    // The table itself is held here, so another page's request letting it go cannot empty the answer.
    if (whole) await table.refresh();
    else {
      void table.refresh();
    }
    return { ...table.snapshot(), rows: table.select(query) };
  }

  /** Resolves when a version's table holds every entry present now. */
  async loaded(key: string): Promise<boolean> {
    const table = this.tableOf(key);
    if (!table) return false;
    await table.refresh();
    return true;
  }

  /** The versions whose tables are open (the ones a page is looking at). */
  openVersions(): string[] {
    return [...this.tables.keys()];
  }

  /** One entry in full; undefined when the version or entry does not exist or is damaged. */
  entry(key: string, argumentHash: string): EntryView | undefined {
    const location = this.tableOf(key)?.location;
    if (!location) return undefined;
    const file = join(location.dir, argumentHash);
    const read = readObjectFile(file);
    if (read.status !== 'hit') return undefined;
    const record = read.record;
    return {
      argumentHash,
      version: location.hash,
      function: location.metadata?.name ?? functionNameOfDir(location.functionDir),
      file,
      bytes: statSync(file).size,
      input: entryValue(record.input),
      ...(record.this !== undefined ? { this: entryValue(record.this) } : {}),
      output: entryValue(record.output),
      time: record.time,
      createdAt: toJsonValue(record.createdAt),
      seed: toJsonValue(record.seed),
      async: record.async,
      host: record.host,
      node: record.node,
      platform: record.platform,
      funes: record.funes,
    };
  }

  /** A version's `definition.json`; undefined when there is no such version. */
  definition(key: string): DefinitionView | undefined {
    const location = this.tableOf(key)?.location;
    if (!location) return undefined;
    const read = readVersionMetadata(location.dir, location.hash);
    return { hash: location.hash, status: read.status, metadata: read.status === 'ok' ? read.metadata : null };
  }

  /**
   * A version directory's listing, listed again when the directory changed — but, while
   * a sweep writes into a large version, at most a tenth of the time: a listing is kept
   * for ten times as long as it took.
   */
  private contents(dir: string): VersionContents {
    const stamp = directoryStamp(dir);
    const known = this.listings.get(dir);
    const now = performance.now();
    if (known && (known.stamp === stamp || now - known.at < RESCAN_FACTOR * known.took)) return known.contents;
    const contents = scanVersion(dir);
    this.listings.set(dir, { stamp, contents, at: now, took: performance.now() - now });
    return contents;
  }

  /**
   * The unified diff of two versions' definitions (source, then the
   * dependency list); undefined when either version is missing.
   */
  diff(a: string, b: string): string | undefined {
    const [from, to] = [this.definition(a), this.definition(b)];
    return from && to ? definitionPatch(from, to) : undefined;
  }

  /**
   * A stamp of every version directory: it changes when a version or entry appears, goes or is
   * written again. An open table whose check for entries written again was left out and is due
   * (see `VersionTable.due`) has NaN, which equals no stamp: it counts as changed, and is read.
   */
  stamps(): Map<string, number> {
    return new Map(
      this.keyedLocations().map(({ key, dir }) => [
        key,
        this.tables.get(key)?.due ? Number.NaN : directoryStamp(dir),
      ]),
    );
  }
}

function summarize(
  version: CachedVersion,
  key: string,
  current: boolean,
  contents: VersionContents,
  now: number,
): VersionSummary {
  const newest = contents.entries.reduce((latest, entry) => Math.max(latest, entry.mtimeMs), -Infinity);
  const size = (files: readonly { readonly size: number }[]) => files.reduce((sum, file) => sum + file.size, 0);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    key,
    hash: version.hash,
    name: version.name,
    module: version.module,
    functionDir: version.functionDir,
    createdAt: iso(version.createdMs),
    lastUsedAt: iso(version.lastUsedMs),
    current,
    entries: contents.entries.length,
    bytes: size(contents.entries) + size(contents.temps) + size(contents.locks) + contents.metadataSize,
    lastWrittenAt: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
    writing: contents.locks.length > 0 || now - newest < WRITING_MS,
    metadata: version.metadata.status,
  };
}
