/**
 * Reading a function's stored records: through the wrapped function, or by its name in a
 * cache directory, so a notebook or an analysis script can read a sweep without
 * importing the code that computed it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCacheDir } from './cache-location.js';
import { listEntries } from './cache-index.js';
import { byRecentUse, readVersion } from './cache/versions.js';
import { projectUsedFilesAt } from './cache/use-marker.js';
import { captureSite } from './definition/index.js';
import { FunesError, InvalidUsageError } from './errors.js';
import { report, type EventListener } from './events.js';
import { functionDirName, functionNameOfDir } from './layout.js';
import { memoizedState } from './wrapper.js';
import { nearest } from './nearest-name.js';
import type { CachedRecord } from './record.js';
import { readObjectMetadata, readObjectOutput, VersionStore } from './store.js';

/** A stored record together with its argument hash (its file name). */
export type StoredRecord<Output = unknown> = CachedRecord<Output> & { readonly argumentHash: string };

/** What a function's records hold as `output`: its return value, resolved when it is a Promise. */
export type OutputOf<F> = F extends (...args: never[]) => infer R ? Awaited<R> : unknown;

/** Which records to read when a function is named rather than passed. */
export interface ResultsOptions {
  /**
   * The cache directory. @default `$FUNES_CACHE_DIR`, else `cache` in the project root of
   * the calling module, as for {@link memorious}
   */
  readonly cacheDir?: string;
  /**
   * The version: its definition hash or a prefix of it, as `funes log` prints it.
   * @default the current version: for a name, the one used most recently (as `funes log` marks it)
   */
  readonly version?: string;
}

/** A wrapped function, or a function's name in the cache. */
type Source = Function | string;

/**
 * Every stored record of one function version: `{ input, output, time, … }`, read one
 * object at a time. Damaged objects are skipped and reported.
 *
 * @example
 * ```ts
 * for (const { input, output, time } of loadCachedResults(train)) console.log(input.lr, output.loss, time);
 * for (const { input, output } of loadCachedResults('train', { cacheDir: '../runs/cache' })) …
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export function loadCachedResults<F extends (...args: any[]) => any>(
  wrapped: F,
  options?: Pick<ResultsOptions, 'version'>,
): Generator<StoredRecord<OutputOf<F>>, void, undefined>;
export function loadCachedResults<Output = unknown>(
  name: string,
  options?: ResultsOptions,
): Generator<StoredRecord<Output>, void, undefined>;
export function loadCachedResults(
  source: Source,
  options: ResultsOptions = {},
): Generator<StoredRecord, void, undefined> {
  // Resolved here, not in the generator, so misuse fails at the call rather than at the first iteration.
  const { store, onEvent } = versionOf(source, options, loadCachedResults, 'loadCachedResults');
  return records(store, onEvent);
}

/**
 * {@link loadCachedResults} for large results: each record's `input`, `time` and
 * provenance are read with only the start of its object, and its `output` is read (and
 * verified) when first touched — a loop that filters on input reads no output it skips.
 * An output found damaged when touched throws a `FunesError` with code `EINTEGRITY`.
 *
 * @example
 * ```ts
 * for (const record of openResults('train')) if (record.input.lr < 0.01) plot(record.output.curve);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export function openResults<F extends (...args: any[]) => any>(
  wrapped: F,
  options?: Pick<ResultsOptions, 'version'>,
): Generator<StoredRecord<OutputOf<F>>, void, undefined>;
export function openResults<Output = unknown>(
  name: string,
  options?: ResultsOptions,
): Generator<StoredRecord<Output>, void, undefined>;
export function openResults(source: Source, options: ResultsOptions = {}): Generator<StoredRecord, void, undefined> {
  const { store, onEvent } = versionOf(source, options, openResults, 'openResults');
  return lazyRecords(store, onEvent);
}

function versionOf(
  source: Source,
  options: ResultsOptions,
  caller: Function,
  callerName: string,
): { store: VersionStore; onEvent?: EventListener } {
  checkResultsOptions(options, typeof source === 'string', callerName);
  if (typeof source === 'string') {
    if (source === '') {
      throw new InvalidUsageError(
        `${callerName} takes a function's name in the cache, or a function returned by memorious(); got ''`,
      );
    }
    const cacheDir = resolveCacheDir(options.cacheDir, captureSite(caller).file);
    return { store: namedVersion(cacheDir, source, options.version) };
  }
  const state = memoizedState(source, callerName);
  const current = state.version();
  const store =
    options.version === undefined ? current : namedVersion(state.cacheDir, current.functionDir, options.version, true);
  return { store, onEvent: state.onEvent };
}

/** The options a read by name takes; a wrapped function's, whose cache is its own, takes `version` alone. */
const RESULTS_OPTIONS = ['cacheDir', 'version'];

/**
 * Throws EINVALID for options that are not {@link ResultsOptions}: a misspelt `versoin` or
 * `cachedir` would otherwise read the current version, or the default cache, as if asked for.
 */
function checkResultsOptions(options: unknown, byName: boolean, callerName: string): asserts options is ResultsOptions {
  const example = byName ? "{ cacheDir: 'cache', version: '7e8f44' }" : "{ version: '7e8f44' }";
  if (options === null || typeof options !== 'object') {
    throw new InvalidUsageError(`${callerName} options must be an object such as ${example}`);
  }
  const known = byName ? RESULTS_OPTIONS : ['version'];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = nearest(key, known);
    throw new InvalidUsageError(
      key === 'cacheDir'
        ? `${callerName} of a wrapped function reads its own cache: cacheDir is an option of memorious, ` +
            'or of a read by name'
        : `${callerName} has no option '${key}'${near ? `; did you mean '${near}'?` : ''} (options: ${example})`,
    );
  }
  const { cacheDir, version } = options as ResultsOptions;
  if (cacheDir !== undefined && (typeof cacheDir !== 'string' || cacheDir === '')) {
    throw new InvalidUsageError(`the cacheDir option of ${callerName} must be a non-empty path string`);
  }
  if (version !== undefined && (typeof version !== 'string' || version === '')) {
    throw new InvalidUsageError(
      `the version option of ${callerName} must be a definition hash or a prefix of one, as \`funes log\` ` +
          "prints it, such as '7e8f44'",
    );
  }
}

/**
 * A function's version in a cache: the one `version` names (a
 * hash or prefix), else its current one as seen from the working directory.
 */
function namedVersion(cacheDir: string, name: string, version: string | undefined, escaped = false): VersionStore {
  const functionDir = escaped ? name : functionDirName(name);
  const hashes = listEntries(join(cacheDir, functionDir));
  if (hashes.length === 0) {
    const names = functionNames(cacheDir);
    const near = nearest(name, names);
    throw new InvalidUsageError(
      `no function '${name}' in the cache ${cacheDir}${near ? `; ` +
          `did you mean '${near}'?` : names.length ? `; it holds ${names.join(', ')}` : ''}`,
    );
  }
  if (version !== undefined) {
    const matching = hashes.filter((hash) => hash.startsWith(version.toLowerCase()));
    if (matching.length !== 1) {
      throw new InvalidUsageError(
        `${matching.length ? `version '${version}' of ${name} is ambiguous` : `${name} has no version ` +
            `'${version}'`}: its versions are ${hashes.map((h) => h.slice(0, 12)).join(', ')} (\`funes log ${name}\`)`,
      );
    }
    return new VersionStore(cacheDir, functionDir, matching[0]);
  }
  const here = projectUsedFilesAt(process.cwd());
  const [current] = hashes
    .map((hash) => readVersion(functionDir, hash, join(cacheDir, functionDir, hash), here))
    .sort(byRecentUse);
  return new VersionStore(cacheDir, functionDir, current.hash);
}

function functionNames(cacheDir: string): string[] {
  try {
    return readdirSync(cacheDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => functionNameOfDir(entry.name));
  } catch {
    return [];
  }
}

function reportDamaged(file: string, reason: string, onEvent: EventListener | undefined): void {
  report(
    { type: 'damaged', code: 'EINTEGRITY', file, reason, message: `${file} is damaged (${reason}); skipped` },
    onEvent,
  );
}

function* records(store: VersionStore, onEvent: EventListener | undefined): Generator<StoredRecord, void, undefined> {
  for (const argumentHash of store.argumentHashes()) {
    const found = store.read(argumentHash);
    if (found.status === 'hit') yield { ...found.record, argumentHash };
    else if (found.status === 'damaged') reportDamaged(found.file, found.reason, onEvent);
  }
}

function* lazyRecords(
  store: VersionStore,
  onEvent: EventListener | undefined,
): Generator<StoredRecord, void, undefined> {
  for (const argumentHash of store.argumentHashes()) {
    const file = store.objectPath(argumentHash);
    const found = readObjectMetadata(file);
    if (found.status === 'hit') yield withLazyOutput({ ...found.record, argumentHash }, file);
    else if (found.status === 'damaged') reportDamaged(found.file, found.reason, onEvent);
  }
}

/** The record with an `output` read from `file` when first touched, then kept. */
function withLazyOutput(record: Omit<StoredRecord, 'output'>, file: string): StoredRecord {
  let output: { value: unknown } | undefined;
  return Object.defineProperty(record, 'output', {
    enumerable: true,
    get() {
      if (output) return output.value;
      const found = readObjectOutput(file);
      if (found.status === 'hit') {
        output = { value: found.record.output };
        return output.value;
      }
      if (found.status === 'damaged') {
        throw new FunesError('EINTEGRITY', `${file} is damaged (${found.reason}): its output cannot be read`);
      }
      if (found.status === 'miss') throw new FunesError('ENOENT', `${file} was removed while its records were read`);
      throw found.error;
    },
  }) as StoredRecord;
}
