/**
 * `explainMiss`: why a call would compute rather than return a stored result. Either
 * the definition is new — compared with the nearest stored version of the function,
 * the changes that matter most first — or the definition is stored but not this call:
 * the stored entries with the nearest inputs, or the same input under another
 * configuration (an environment variable or a file the code reads).
 */
import { join } from 'node:path';
import { codeHash } from './argument-keys.js';
import { hashValue, type CodeHasher } from './canonical-hash.js';
import { snapshot, snapshotInput } from './input-snapshot.js';
import type { RecordMetadata } from './record.js';
import { listEntries } from './cache-index.js';
import { readVersionMetadata, type VersionMetadata } from './version-metadata.js';
import { configurationState, type ConfigurationRead, type DefinitionDescription } from './definition/index.js';
import { definitionChanges, type DefinitionChange } from './definition-changes.js';
import type { MemoizedFunction } from './memoized-function.js';
import { readObjectMetadata } from './store.js';
import { bindArguments } from './parameters.js';
import { withSeedInput, type Seed } from './seeding.js';

/** A stored entry whose input is near the call's, with the fields that differ. */
export interface NearEntry {
  readonly argumentHash: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** The `this` of a method's call, as the entry's record holds it. */
  readonly this?: unknown;
  /**
   * Each named argument that differs, and `this` (named so) for a method: its stored value and the
   * call's (`undefined` when absent on that side).
   */
  readonly differences: readonly { readonly name: string; readonly stored: unknown; readonly now: unknown }[];
}

interface Call {
  readonly function: string;
  /** The call's version: the current definition hash. */
  readonly version: string;
  /** The call's argument hash and named input; absent when the definition alone is explained. */
  readonly argumentHash?: string;
  readonly input?: Readonly<Record<string, unknown>>;
  /** The `this` a method's call is keyed with, as its record would hold it. */
  readonly this?: unknown;
}

/** Why a call would compute: see {@link explainMiss}. */
export type MissExplanation = Call &
  (
    | { readonly cause: 'stored' }
    /** Stored, but `maxAge` (`expired`) or `validate` (`invalid`) refuses the record, or it is damaged. */
    | { readonly cause: 'refused'; readonly reason: 'expired' | 'invalid' | 'damaged' }
    /** No version of the function is stored in the cache. */
    | { readonly cause: 'first' }
    /** The definition is new: how it differs from the nearest stored version. */
    | {
        readonly cause: 'definition';
        readonly comparedWith: { readonly version: string; readonly createdAt: string };
        readonly changes: readonly DefinitionChange[];
      }
    /**
     * The definition is stored with this input, under another configuration: of what the
     * code reads from outside (`reads`), those seen to have changed since (`changed`).
     */
    | {
        readonly cause: 'configuration';
        readonly reads: readonly ConfigurationRead[];
        readonly changed: readonly ConfigurationRead[];
        readonly storedAs: string;
      }
    /** The definition is stored, not for this input: the entries with the nearest inputs. */
    | { readonly cause: 'arguments'; readonly entries: number; readonly nearest: readonly NearEntry[] }
    /** Asked about the definition alone (no arguments): it is stored, with this many entries. */
    | { readonly cause: 'version-stored'; readonly entries: number }
  );

/** How many near entries are reported. */
const NEAREST = 3;

/**
 * {@link explainMiss} of a call with `self` as `this`, under `seed` when it is a seeded call;
 * with `args` undefined, of the definition alone.
 */
export function explainCall(
  state: MemoizedFunction,
  self: unknown,
  args: unknown[] | undefined,
  seed?: Seed,
): MissExplanation {
  const prepared = state.prepare(self);
  if (args === undefined) {
    const definition = { function: prepared.name, version: prepared.definition.hash };
    const entries = prepared.store.argumentHashes().length;
    return entries > 0
      ? { ...definition, cause: 'version-stored', entries }
      : { ...definition, ...newDefinition(state.cacheDir, prepared.store.functionDir, prepared.definition) };
  }
  const keyed = state.keyOf(prepared, self, args, seed);
  const key = keyed.key;
  // As the call's record would hold it, to be compared with the stored records' inputs.
  const input = withSeedInput(keyed.input, seed);
  const part = state.thisPart(prepared, self);
  const call: Call = {
    function: prepared.name,
    version: prepared.definition.hash,
    argumentHash: key,
    input,
    ...(part && { this: snapshot(part.value, codeHash) }),
  };
  const found = prepared.store.read(key);
  if (found.status === 'hit') {
    const refusal = state.policy?.refuses(found.record);
    return refusal ? { ...call, cause: 'refused', reason: refusal } : { ...call, cause: 'stored' };
  }
  if (found.status === 'damaged') return { ...call, cause: 'refused', reason: 'damaged' };
  const entries = prepared.store.argumentHashes();
  if (entries.length > 0) {
    const bound = bindArguments(prepared.parameters, args);
    const now: Compared = { input, self: part && { raw: part.value, held: call.this } };
    return { ...call, ...storedVersionMiss(prepared.store.dir, entries, now, bound, prepared.definition) };
  }
  return { ...call, ...newDefinition(state.cacheDir, prepared.store.functionDir, prepared.definition) };
}

/**
 * The version is stored, not this call: the same input under another configuration, else the nearest inputs.
 * `bound`: the call's arguments, none ignored, which a read by a parameter takes its variable's name or path from.
 */
function storedVersionMiss(
  dir: string,
  entries: readonly string[],
  now: Compared,
  bound: Readonly<Record<string, unknown>>,
  definition: DefinitionDescription,
) {
  const { input, self } = now;
  // Compared as records hold inputs: a function as its name and definition hash, a class instance as its properties.
  const found = nearestInputs(dir, entries, withThisField(snapshotInput(input, codeHash), self?.held));
  if (found.same !== undefined) {
    const reads = definition.configuration;
    const stored = readObjectMetadata(join(dir, found.same));
    const then = stored.status === 'hit' ? stored.record.configuration : undefined;
    const now = configurationState(reads, bound);
    const changed = then
      ? reads.filter((read) => then[`${read.kind}:${read.name}`] !== now[`${read.kind}:${read.name}`])
      : [];
    if (changed.length > 0 || (then === undefined && reads.length > 0)) {
      return { cause: 'configuration' as const, reads, changed, storedAs: found.same };
    }
    // What the code reads is as it was: the arguments differ where their record cannot show it (a class, a
    // symbol-keyed property), named by comparing the call's own arguments with the record as a key would.
    if (stored.status === 'hit') {
      const now = withThisField(input, self?.raw);
      const differences = differingFields(recordFields(stored.record), now, false, codeHash);
      const nearest = [nearEntry(found.same, stored.record, differences)];
      return { cause: 'arguments' as const, entries: entries.length, nearest };
    }
  }
  return { cause: 'arguments' as const, entries: entries.length, nearest: found.nearest };
}

/**
 * The stored entries of a version directory whose inputs are nearest `input`: fewest
 * differing named arguments first. `same`: an entry whose input equals it. With
 * `partial`, only the names `input` has are compared (an input written by hand).
 */
export function nearestInputs(
  dir: string,
  entries: readonly string[],
  input: Readonly<Record<string, unknown>>,
  partial = false,
): { readonly same?: string; readonly nearest: readonly NearEntry[] } {
  const near: (NearEntry & { readonly distance: number })[] = [];
  for (const argumentHash of entries) {
    const found = readObjectMetadata(join(dir, argumentHash));
    if (found.status !== 'hit') continue;
    const differences = differingFields(recordFields(found.record), input, partial);
    if (differences.length === 0) return { same: argumentHash, nearest: [] };
    near.push({ ...nearEntry(argumentHash, found.record, differences), distance: differences.length });
  }
  near.sort((a, b) => a.distance - b.distance || (a.argumentHash < b.argumentHash ? -1 : 1));
  return { nearest: near.slice(0, NEAREST).map(({ distance: _, ...entry }) => entry) };
}

/** A call's input, and for a method its `this` as its key holds it (`raw`) and as its record would (`held`). */
interface Compared {
  readonly input: Record<string, unknown>;
  readonly self: { readonly raw: unknown; readonly held: unknown } | undefined;
}

/**
 * `input` with a method's `this` among its fields, under the name `this`, which no parameter
 * can have: the same input with another instance is another call, and the field says so.
 */
function withThisField(input: Readonly<Record<string, unknown>>, self: unknown): Readonly<Record<string, unknown>> {
  return self === undefined ? input : { ...input, this: self };
}

/** What a stored record holds of a call: its input, and a method's `this` (see {@link withThisField}). */
function recordFields(record: RecordMetadata): Readonly<Record<string, unknown>> {
  return withThisField(record.input, 'this' in record ? record.this : undefined);
}

function nearEntry(argumentHash: string, record: RecordMetadata, differences: NearEntry['differences']): NearEntry {
  return 'this' in record
    ? { argumentHash, input: record.input, this: record.this, differences }
    : { argumentHash, input: record.input, differences };
}

/** The named arguments that differ; `code` hashes the functions and classes `now` may hold, as keys do. */
function differingFields(
  stored: Readonly<Record<string, unknown>>,
  now: Readonly<Record<string, unknown>>,
  partial: boolean,
  code?: CodeHasher,
): NearEntry['differences'] {
  const names = partial ? Object.keys(now) : [...new Set([...Object.keys(stored), ...Object.keys(now)])];
  const hash = (value: unknown) => hashValue(value, 'args', code);
  return names
    .filter((name) => !(name in stored && name in now && hash(stored[name]) === hash(now[name])))
    .map((name) => ({ name, stored: stored[name], now: now[name] }));
}

/** The definition is not stored: the changes from the nearest stored version (fewest changes, then newest). */
function newDefinition(cacheDir: string, functionDir: string, definition: DefinitionDescription) {
  const dir = join(cacheDir, functionDir);
  const stored: VersionMetadata[] = [];
  for (const hash of listEntries(dir)) {
    const found = readVersionMetadata(join(dir, hash), hash);
    if (found.status === 'ok') stored.push(found.metadata);
  }
  // A same-named function of another module is another function, unless it is all there is.
  const sameModule = stored.filter((m) => m.module === (definition.modulePath ?? null));
  const candidates = sameModule.length > 0 ? sameModule : stored;
  if (candidates.length === 0) return { cause: 'first' as const };
  const current = {
    source: definition.source,
    dependencies: definition.dependencies,
    pinnedVersion: definition.pinnedVersion ?? null,
  };
  const compared = candidates
    .map((metadata) => ({ metadata, changes: definitionChanges(metadata, current) }))
    .sort(
      (a, b) =>
        a.changes.length - b.changes.length || Date.parse(b.metadata.createdAt) - Date.parse(a.metadata.createdAt),
    )[0];
  return {
    cause: 'definition' as const,
    comparedWith: { version: compared.metadata.definitionHash, createdAt: compared.metadata.createdAt },
    changes: compared.changes,
  };
}
