/**
 * `funes show`: a version's metadata and entries, or one entry in full.
 */
import { readObjectFile, readObjectMetadata, toJsonValue, type Json } from '@funes/core/internal';
import { scanVersion, type EntryStat, type VersionMetadata, resolveArgumentHash } from '@funes/core/cache';
import { requireMetadata, shortHash, versionLabel, type Version } from '../cache.js';

/** One entry as `show` reports it; `record` holds the decoded values, `toJSON` their `--json` form. */
export interface ShownEntry {
  readonly argumentHash: string;
  readonly bytes: number;
  readonly writtenAt: string;
  /** Null when the object failed its integrity check (see `damaged`). */
  readonly record: ShownRecord | null;
  readonly damaged: string | null;
  /**
   * False for an object too large to read whole just to list it: its
   * record then lacks the output (shown in full by argument hash).
   */
  readonly previewed: boolean;
  toJSON(): Json;
}

/** A decoded record: raw values for text, converted ones for JSON. */
export interface ShownRecord {
  readonly input: Record<string, unknown>;
  /** A method's `this`, as its key saw it; undefined for other calls. */
  readonly this: unknown;
  /** Undefined when the entry was not {@link ShownEntry.previewed}. */
  readonly output: unknown;
  readonly time: number;
  readonly createdAt: Date;
  /**
   * What each configuration read (`environment:SCALE`, `file:data.csv`) saw, by hash, for a
   * function that reads any: an input shown twice with two outputs was computed under two.
   */
  readonly configuration: Readonly<Record<string, string>> | undefined;
  readonly provenance: {
    readonly seed: unknown;
    readonly async: boolean;
    readonly node: string;
    readonly host: string;
    readonly platform: string;
    readonly funes: string;
  };
}

/** `funes show fn[@hash] --json`. */
export interface ShowVersionResult {
  readonly function: string;
  readonly module: string | null;
  readonly hash: string;
  readonly shortHash: string;
  readonly metadata: VersionMetadata;
  /** Entries in the version. */
  readonly total: number;
  /** The newest `limit` entries. */
  readonly entries: readonly ShownEntry[];
}

/** `funes show fn[@hash] <argument hash> --json`. */
export interface ShowEntryResult {
  readonly function: string;
  readonly hash: string;
  readonly file: string;
  readonly entry: ShownEntry;
}

/** Listing a version reads only objects up to this size, so a version of large results still lists in a moment. */
const MAX_PREVIEW_BYTES = 8 * 2 ** 20;

function readEntry(entry: EntryStat, maxBytes = Infinity): ShownEntry {
  const base = {
    argumentHash: entry.argumentHash,
    bytes: entry.size,
    writtenAt: new Date(entry.mtimeMs).toISOString(),
    previewed: entry.size <= maxBytes,
  };
  // A large entry is listed from its metadata (its inputs, time and provenance): its output is what is large.
  const read = base.previewed ? readObjectFile(entry.file) : readObjectMetadata(entry.file);
  if (read.status === 'hit') {
    const { input, this: self, configuration, time, createdAt, seed, async, node, host, platform, funes } = read.record;
    const output = 'output' in read.record ? read.record.output : undefined;
    return withJson({
      ...base,
      record: {
        input,
        this: self,
        configuration,
        output,
        time,
        createdAt,
        provenance: { seed, async, node, host, platform, funes },
      },
      damaged: null,
    });
  }
  return withJson({
    ...base,
    record: null,
    damaged:
      read.status === 'damaged'
        ? read.reason
        : read.status === 'miss'
          ? 'removed while reading'
          : String(read.error.code),
  });
}

function withJson(entry: Omit<ShownEntry, 'toJSON'>): ShownEntry {
  return { ...entry, toJSON: () => entryJson(entry) };
}

/** A version's metadata and its newest `limit` entries (0: all). */
export function showVersion(version: Version, limit: number): ShowVersionResult {
  const metadata = requireMetadata(version);
  const entries = scanVersion(version.dir).entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const shown = limit === 0 ? entries : entries.slice(0, limit);
  return {
    function: version.name,
    module: version.module,
    hash: version.hash,
    shortHash: shortHash(version.hash),
    metadata,
    total: entries.length,
    entries: shown.map((entry) => readEntry(entry, MAX_PREVIEW_BYTES)),
  };
}

/** One entry of a version, by argument hash prefix. */
export function showEntry(version: Version, argumentPrefix: string): ShowEntryResult {
  const entries = scanVersion(version.dir).entries;
  const hash = resolveArgumentHash(entries.map((e) => e.argumentHash), argumentPrefix, versionLabel(version));
  const entry = entries.find((e) => e.argumentHash === hash)!;
  return { function: version.name, hash: version.hash, file: entry.file, entry: readEntry(entry) };
}

/** The `--json` form of an entry: its stored values converted by {@link toJsonValue}. */
function entryJson(entry: Omit<ShownEntry, 'toJSON'>): Json {
  const { record } = entry;
  return {
    argumentHash: entry.argumentHash,
    bytes: entry.bytes,
    writtenAt: entry.writtenAt,
    damaged: entry.damaged,
    previewed: entry.previewed,
    ...(record && {
      input: toJsonValue(record.input),
      ...(record.this !== undefined && { this: toJsonValue(record.this) }),
      ...(record.configuration !== undefined && { configuration: { ...record.configuration } }),
      ...(entry.previewed && { output: toJsonValue(record.output) }),
      time: record.time,
      createdAt: toJsonValue(record.createdAt),
      seed: toJsonValue(record.provenance.seed),
      async: record.provenance.async,
      node: record.provenance.node,
      host: record.provenance.host,
      platform: record.provenance.platform,
      funes: record.provenance.funes,
    }),
  };
}
