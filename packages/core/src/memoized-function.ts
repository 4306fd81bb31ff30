/**
 * The runtime behind one memorious function: a call's key, its lookup (a hit), and on a
 * miss the computation, under the lock and through the remote when they are on, and
 * the write of its record.
 */
import { basename, dirname } from 'node:path';
import { prepareCacheDir } from './cache-location.js';
import { listEntries } from './cache-index.js';
import { FileHashes } from './cache/file-hashes.js';
import { removeVersionDir } from './cache/remove.js';
import { clearableVersions } from './cache/versions.js';
import type { CallMode } from './call-mode.js';
import { argumentHash, codeHash } from './argument-keys.js';
import type { KeyParts } from './canonical-hash.js';
import { snapshot, snapshotInput } from './input-snapshot.js';
import { classCovers, globalThisError, isSloppy, seesGlobalObject, thisState } from './this-state.js';
import {
  analyzeDefinition,
  configurationState,
  withConfiguration,
  type DefinitionDescription,
  type DefinitionSite,
} from './definition/index.js';
import { FunesError, InvalidUsageError, NotSerializableError, SyncLockError } from './errors.js';
import { CallStats } from './call-stats.js';
import { report, type CallEvent, type EventListener, type MissReason } from './events.js';
import { parseFunctionSource, readsArguments, readsEnclosingThis, readsThis } from './function-source.js';
import { explainCall } from './explain-miss.js';
import { answerWhy, whyRequest } from './why-request.js';
import type { RecordPolicy, Refusal } from './freshness.js';
import { functionDirName, lockPath } from './layout.js';
import { acquireLock, acquireLockSync, type HeldLock, type LockOutcome, type LockSettings } from './lock.js';
import type { MemoriousOptions } from './options.js';
import type { EncodedObject } from './object-format.js';
import type { RemoteHit, RemoteLink } from './remote-store.js';
import { resolveOptions } from './resolve-options.js';
import {
  CallFailedError,
  failureOf,
  forgetFailures,
  hasFailures,
  readFailure,
  writeFailure,
  type FailureRecord,
} from './failure-record.js';
import {
  bindArguments,
  checkIgnored,
  positionalParameters,
  readParameters,
  withoutIgnored,
  withWrittenNames,
  type Parameter,
} from './parameters.js';
import { encodeRecord, makeRecord, type RecordFields, type StoredOutput } from './record.js';
import {
  enclosingSeed,
  isThenable,
  nestedSeed,
  runSeeded,
  seedInKey,
  withSeedInput,
  type Seed,
} from './seeding.js';
import { VersionStore, type ReadResult } from './store.js';
import { versionMetadata } from './version-metadata.js';

/**
 * What the `key` or `thisKey` option returned, refused when `undefined`: that is what an
 * arrow function with a body and no `return`, or a misspelt property, gives for every call,
 * which would then all share one result.
 */
function chosenKey(value: unknown, option: 'key' | 'thisKey', name: string): unknown {
  if (value !== undefined) return value;
  throw new InvalidUsageError(
    `the ${option} option of ${name} returned undefined, under which every call would share one result`,
    `return what stands for ${option === 'key' ? 'the arguments' : 'this'} ` +
      '(a function body in braces needs return), or null where calls are to share one result',
  );
}

/**
 * An arrow function reading the `this` (or `arguments`) of the function that made it (`this.fit =
 * memorious((x) => x * this.k)` in a constructor): each instance's arrow has the same code and a
 * `this` of its own, which no key can see, so every instance would share the first one's results.
 */
function enclosingThisError(name: string): InvalidUsageError {
  return new InvalidUsageError(
    `${name} is an arrow function reading the \`this\` or \`arguments\` of the function that made it, ` +
      "which no key can see: every object's function would share one result",
    'write it as a method with @memorious, or as a function expression bound to its object ' +
      '(memorious(function (x) { … this … }, { name }).bind(this)), whose `this` joins the key; ' +
      'pass what it reads from arguments as an argument',
  );
}

/** A failure record not looked for yet. */
const UNREAD = Symbol('unread');

/** Any function memorious can wrap: methods included, so `this` is any. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export type AnyFunction = (this: any, ...args: any[]) => any;

/** Everything a wrapped function works out once, at its first call. */
interface Prepared {
  readonly name: string;
  readonly definition: DefinitionDescription;
  readonly parameters: readonly Parameter[];
  readonly readsThis: boolean;
  /** Whether the function may read its `arguments` object (one whose code cannot be read may). */
  readonly readsArguments: boolean;
  /** Whether the function is sloppy code, whose `this` is the global object when it is called without one. */
  readonly sloppy: boolean;
  readonly store: VersionStore;
  metadataWritten: boolean;
  /** Whether the version has failure records here; undefined until a call succeeds and looks. */
  hasFailures?: boolean;
}

/** The state behind one wrapped function. */
export class MemoizedFunction {
  readonly inFlight = new Map<string, Promise<unknown>>();
  /** Computations under way that were made again with arguments changed meanwhile: see {@link changedWhileWaiting}. */
  private readonly remade = new WeakSet<Promise<unknown>>();
  readonly cacheDir: string;
  readonly lock: LockSettings | undefined;
  readonly remote: RemoteLink | undefined;
  /**
   * The remote a call may wait for (read through, failures counted and shared): only an
   * async function's calls can; any function's results are written through to `remote`
   * (docs/remote.md).
   */
  private readonly awaitedRemote: RemoteLink | undefined;
  /** Whether `fn` is an `async function`: every call returns a Promise, so a hit may wait for its read. */
  readonly async: boolean;
  readonly onEvent: EventListener | undefined;
  readonly mode: CallMode;
  readonly stats = new CallStats();
  readonly policy: RecordPolicy | undefined;
  private prepared: Prepared | undefined;
  private preparing = false;
  private cacheDirPrepared = false;
  /** Large configuration files' content hashes, kept in the cache directory between processes. */
  private readonly fileHashes: FileHashes;

  /** `options` are checked ({@link checkOptions}); they are resolved here, once. */
  constructor(
    readonly fn: AnyFunction,
    private readonly nameOrResolver: string | ((self: unknown) => string),
    readonly site: DefinitionSite,
    readonly options: MemoriousOptions,
  ) {
    const resolved = resolveOptions(options, site.file);
    this.cacheDir = resolved.cacheDir;
    this.fileHashes = new FileHashes(this.cacheDir);
    this.lock = resolved.lock;
    this.remote = resolved.remote;
    this.async = isAsyncFunction(fn);
    this.awaitedRemote = this.async ? this.remote : undefined;
    this.onEvent = resolved.onEvent;
    this.mode = resolved.mode;
    this.policy = resolved.policy;
  }

  /**
   * Works out name, definition hash and parameters; lazily, so module-level helpers
   * declared after the function are initialized. A decorated method's name needs the
   * instance (`self`) to find its class; without one, the result is not kept.
   */
  prepare(self?: unknown): Prepared {
    if (this.prepared) return this.prepared;
    const keep = typeof this.nameOrResolver === 'string' || self !== undefined;
    if (this.preparing) {
      throw new InvalidUsageError('a memorious function was called while its definition was being hashed');
    }
    this.preparing = true;
    try {
      const name = typeof this.nameOrResolver === 'string' ? this.nameOrResolver : this.nameOrResolver(self);
      const definition = analyzeDefinition(this.fn, {
        name,
        site: this.site,
        deps: this.options.deps,
        version: this.options.version,
        files: this.options.files,
      });
      for (const warning of definition.warnings) {
        report(
          { type: 'definition', code: 'EDEFINITION', function: name, message: `${name}: ${warning}` },
          this.onEvent,
          `definition:${name}:${warning}`,
        );
      }
      const running = Function.prototype.toString.call(this.fn);
      const parsed = parseFunctionSource(running);
      // The function as its file spells it, where that is not the code that runs.
      const written =
        parsed && definition.source !== running ? parseFunctionSource(definition.source, 'ts') : undefined;
      if (parsed && readsEnclosingThis(parsed.node)) throw enclosingThisError(name);
      const parameters = parsed ? readParameters(parsed.node) : positionalParameters(this.fn.length);
      const prepared: Prepared = {
        name,
        definition,
        parameters: written ? withWrittenNames(parameters, written.node) : parameters,
        readsThis: parsed ? readsThis(parsed.node) : true,
        readsArguments: parsed ? readsArguments(parsed.node) : true,
        sloppy: isSloppy(this.fn),
        store: new VersionStore(this.cacheDir, functionDirName(name), definition.hash, definition.projectDir),
        metadataWritten: false,
      };
      if (this.options.ignore) checkIgnored(prepared.parameters, this.options.ignore, name);
      if (keep) this.prepared = prepared;
      return prepared;
    } finally {
      this.preparing = false;
    }
  }

  /** What stands for `this` in the call's key; undefined when the key has no `this`. */
  thisPart(prepared: Prepared, self: unknown): KeyParts['self'] {
    const rule = this.options.thisKey ?? 'auto';
    if (rule === 'ignore') return undefined;
    if (typeof rule === 'function') {
      const value = chosenKey(rule(self), 'thisKey', prepared.name);
      // What thisKey returns may be of any class: only the instance itself may be of one the definition covers.
      return value === self && classCovers(self, this.fn) ? { value } : { value, classUncovered: true };
    }
    if (!prepared.readsThis) return undefined;
    if (seesGlobalObject(self, prepared.sloppy)) throw globalThisError(prepared.name);
    if (self === undefined || self === globalThis) return undefined;
    return classCovers(self, this.fn) ? { value: thisState(self) } : { value: thisState(self), classUncovered: true };
  }

  /** The call's named input and key (its argument hash). */
  keyOf(
    prepared: Prepared,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
  ): { readonly input: Record<string, unknown>; readonly key: string } {
    const bound = bindArguments(prepared.parameters, args);
    const { ignore, key: chooseKey } = this.options;
    const input = ignore ? withoutIgnored(bound, ignore, prepared.readsArguments ? args.length : undefined) : bound;
    const chosen = chooseKey ? { value: chosenKey(chooseKey.apply(self, args), 'key', prepared.name) } : undefined;
    return {
      input,
      key: withConfiguration(
        argumentHash({
          input,
          seed: seed === undefined ? undefined : seedInKey(seed),
          self: this.thisPart(prepared, self),
          chosen,
        }),
        prepared.definition.configuration,
        bound,
        this.fileHashes,
      ),
    };
  }

  /**
   * The seed a call runs under: the one `withSeed` gave; else, inside a seeded call, one
   * of its own (seeding.ts), so that its result and the enclosing call's are the same
   * whether it is computed or a hit.
   */
  private seedOf(self: unknown, args: unknown[], given: Seed | undefined): Seed | undefined {
    if (given !== undefined) return given;
    const enclosing = enclosingSeed();
    if (enclosing === undefined) return undefined;
    const prepared = this.prepare(self);
    return nestedSeed(enclosing, prepared.name, this.keyOf(prepared, self, args, undefined).key);
  }

  call(self: unknown, args: unknown[], given: Seed | undefined): unknown {
    const seed = this.seedOf(self, args, given);
    // FUNES_DISABLE bypasses the cache, its locks and leases included.
    if (this.mode === 'disable') return this.invoke(self, args, seed);
    // Only an async call can wait for a remote lease; the local lock alone would not be compute-once.
    if (this.lock && this.remote && !this.async) {
      throw new SyncLockError(this.fn.name || 'the function', this.remote.label);
    }
    if (this.mode !== undefined) return this.callIn(this.mode, self, args, given, seed);
    return this.lookUp(self, args, seed);
  }

  /**
   * A call under FUNES_REFRESH or `funes why`; `given`: the seed `withSeed` gave, `seed`: the one it runs under.
   */
  private callIn(
    mode: Exclude<CallMode, 'disable' | undefined>,
    self: unknown,
    args: unknown[],
    given: Seed | undefined,
    seed: Seed | undefined,
  ): unknown {
    const prepared = this.prepare(self);
    if (mode === 'why') {
      const request = whyRequest();
      if (request?.name !== prepared.name) return this.readOnly(prepared, self, args, seed);
      // Explained as made: under its seed, which for a call made inside a seeded one depends on its arguments.
      const asked = request.args ? [...request.args] : args;
      answerWhy(request, explainCall(this, self, asked, request.args ? this.seedOf(self, asked, given) : seed));
    }
    const { input, key } = this.keyOf(prepared, self, args, seed);
    return this.recompute(prepared, key, self, args, seed, input);
  }

  /**
   * A call `funes why` meets before the one it explains: its stored result when there is one, else computed
   * and not stored. Explaining is no use of the code: a version marked used, or stored, by a run of an edit
   * about to be undone would become current, and `gc` would then remove the version the code uses again.
   */
  private readOnly(prepared: Prepared, self: unknown, args: unknown[], seed: Seed | undefined): unknown {
    const found = this.readStored(prepared, this.keyOf(prepared, self, args, seed).key, false);
    return found.status === 'hit' ? returned(found.record) : this.invoke(self, args, seed);
  }

  /** A call answered from the cache when it can be, else computed and stored. */
  private lookUp(self: unknown, args: unknown[], seed: Seed | undefined): unknown {
    const prepared = this.prepare(self);
    this.markUsed(prepared);
    const { input, key } = this.keyOf(prepared, self, args, seed);
    const started = this.onEvent ? performance.now() : 0;
    const reading = this.readStored(prepared, key, this.async);
    if (reading instanceof Promise) {
      return reading.then((read) => {
        const found = this.lookedUp(read, prepared, key, input, started);
        return found ? found.output : this.miss(prepared, key, self, args, seed, input, true);
      });
    }
    const found = this.lookedUp(reading, prepared, key, input, started);
    return found ? returned(found) : this.miss(prepared, key, self, args, seed, input);
  }

  /**
   * Reads a call's stored output; with `maxAge` or `validate`, the whole record, which
   * they judge. `overlapped`: a large output may be read while hashed, as a Promise.
   */
  private readStored(prepared: Prepared, key: string, overlapped: false): Lookup;
  private readStored(prepared: Prepared, key: string, overlapped: boolean): Lookup | Promise<Lookup>;
  private readStored(prepared: Prepared, key: string, overlapped: boolean): Lookup | Promise<Lookup> {
    if (!this.policy) return overlapped ? prepared.store.readOutputOverlapped(key) : prepared.store.readOutput(key);
    const found = prepared.store.read(key);
    if (found.status !== 'hit') return found;
    const refusal = this.policy.refuses(found.record);
    return refusal ? { status: 'refused', reason: refusal } : found;
  }

  /** Calls the function itself, seeded when asked: a call that bypasses the cache (FUNES_DISABLE). */
  private invoke(self: unknown, args: unknown[], seed: Seed | undefined): unknown {
    const invoke = () => this.fn.apply(self, args);
    return seed === undefined ? invoke() : runSeeded(seed, invoke);
  }

  /** `wrapped.refresh(...)` and FUNES_REFRESH: computes and replaces the stored result, whatever is stored. */
  private recompute(
    prepared: Prepared,
    key: string,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
    input: Record<string, unknown>,
  ): unknown {
    this.stats.miss();
    if (this.onEvent) this.emit('miss', prepared, key, input, 0, { reason: 'refresh' });
    return this.succeeding(prepared, key, this.compute(prepared, key, self, args, seed, input));
  }

  /** `wrapped.refresh(...args)`; `given`: the seed of `wrapped.withSeed(seed).refresh(...args)`. */
  refresh(self: unknown, args: unknown[], given?: Seed): unknown {
    const seed = this.seedOf(self, args, given);
    if (this.mode === 'disable') return this.invoke(self, args, seed);
    const prepared = this.prepare(self);
    this.markUsed(prepared);
    const { input, key } = this.keyOf(prepared, self, args, seed);
    return this.recompute(prepared, key, self, args, seed, input);
  }

  /**
   * The stored output of a call, never computing: `wrapped.peek(...args)` and `wrapped.isCached(...args)`;
   * `given`: the seed of `wrapped.withSeed(seed).peek(...args)`.
   */
  stored(self: unknown, args: unknown[], given?: Seed): StoredOutput | undefined {
    // Under FUNES_DISABLE a call computes, so nothing counts as stored, and the cache is not read.
    if (this.mode === 'disable') return undefined;
    const prepared = this.prepare(self);
    this.markUsed(prepared);
    const { key } = this.keyOf(prepared, self, args, this.seedOf(self, args, given));
    const found = this.readStored(prepared, key, false);
    if (found.status !== 'hit') this.unusable(found, prepared, key);
    return found.status === 'hit' ? found.record : undefined;
  }

  /**
   * Removes this version's stored results, or with `allVersions` those of every version of this function
   * (name and module) this project used: `wrapped.clear()`.
   * Returns how many results were removed.
   */
  clear(allVersions: boolean): number {
    const prepared = this.prepare();
    const functionDir = dirname(prepared.store.dir);
    const versions = allVersions
      ? clearableVersions(
        functionDir,
        { name: prepared.name, module: prepared.definition.modulePath ?? null },
        prepared.definition.projectDir,
      )
      : [prepared.store.dir];
    let removed = 0;
    for (const dir of versions) {
      const entries = listEntries(dir).length;
      if (removeVersionDir(dir)) removed += entries;
      // Cleared, a version starts afresh: its calls' failures are forgotten with its results.
      forgetFailures(this.cacheDir, prepared.store.functionDir, basename(dir));
    }
    prepared.metadataWritten = false;
    prepared.hasFailures = false;
    return removed;
  }

  /** Delivers a call event; only called when someone listens, so no event is built otherwise. */
  private emit(
    type: CallEvent['type'],
    prepared: Prepared,
    key: string,
    input: Record<string, unknown>,
    ms: number,
    extra?: { readonly reason?: MissReason; readonly computedElsewhere?: boolean },
  ): void {
    this.onEvent?.({
      type,
      function: prepared.name,
      version: prepared.definition.hash,
      argumentHash: key,
      input,
      ms,
      ...extra,
    } as CallEvent);
  }

  /**
   * A call whose output is not stored: shares a computation under
   * way, else computes (under the lock, through the remote, when on).
   */
  private miss(
    prepared: Prepared,
    key: string,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
    input: Record<string, unknown>,
    waited = false,
  ): unknown {
    const pending = this.inFlight.get(key);
    if (pending) return this.joined(prepared, key, pending, () => this.lookUp(self, args, seed));
    const changed = waited ? this.changedWhileWaiting(prepared, key, self, args, seed) : undefined;
    if (changed) return this.rememberingFailures(prepared, changed.key, self, args, seed, changed.input);
    const remote = this.awaitedRemote;
    const lock = this.lock;
    if (!remote && !lock) {
      return this.inFlightWhile(key, this.rememberingFailures(prepared, key, self, args, seed, input));
    }
    // An async function's call computes once the lock or the remote has answered, after its caller went on.
    const computeHere = () => {
      const now = this.async ? this.changedWhileWaiting(prepared, key, self, args, seed) : undefined;
      return this.rememberingFailures(prepared, now?.key ?? key, self, args, seed, now?.input ?? input);
    };
    const compute = !remote
      ? computeHere
      : lock
        ? () => this.computeLeased(remote, prepared, key, lock, computeHere)
        : () => this.readThrough(remote, prepared, key, computeHere);
    return this.inFlightWhile(key, lock ? this.computeLocked(prepared, key, input, lock, compute) : compute());
  }

  /**
   * What a call joining a computation under way returns: the stored result, read as a hit reads it, so that
   * no caller's change to its result reaches another's; the computed one itself when it could not be stored;
   * where the computation was made again with arguments changed meanwhile, the joining call's own (`again`).
   */
  private joined(prepared: Prepared, key: string, pending: Promise<unknown>, again: () => unknown): Promise<unknown> {
    return pending.then((output) => {
      const found = this.readStored(prepared, key, false);
      if (found.status === 'hit') return found.record.output;
      return this.remade.has(pending) ? again() : output;
    });
  }

  /**
   * Whether a call that waited — for its stored result's read, a lock, the remote — had its arguments (or
   * `this`) changed meanwhile by its caller, so that its key does not say what the function would compute
   * with; if so, their input and key as they are. Such a call is computed at once under that key: under the key
   * it was made with, its result would be stored as that of arguments it was not computed from. (Waiting again,
   * for their lock, a value that changes at every read, a getter's count, would make it wait forever.)
   */
  private changedWhileWaiting(
    prepared: Prepared,
    key: string,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
  ): { readonly input: Record<string, unknown>; readonly key: string } | undefined {
    const now = this.keyOf(prepared, self, args, seed);
    if (now.key === key) return undefined;
    const running = this.inFlight.get(key);
    if (running) this.remade.add(running);
    report(
      {
        type: 'arguments-changed',
        code: 'EARGSCHANGED',
        function: prepared.name,
        argumentHash: key,
        message: `${prepared.name}: the arguments of a call were changed while it waited for the cache, a lock ` +
            'or the remote; it is made with them as they are now, under their own key — pass a copy to ' +
            'change an argument after the call',
      },
      this.onEvent,
      `arguments-changed:${prepared.name}`,
    );
    return now;
  }

  /** A miss's result; while it is a Promise, the calls of the same key that come meanwhile join it. */
  private inFlightWhile(key: string, result: unknown): unknown {
    if (!isThenable(result)) return result;
    const promise = Promise.resolve(result).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /**
   * The stored output a call's read found, counted and reported
   * as a hit or a miss; a damaged or unreadable object is a miss.
   */
  private lookedUp(
    found: Lookup,
    prepared: Prepared,
    key: string,
    input: Record<string, unknown>,
    started: number,
  ): StoredOutput | undefined {
    if (found.status === 'hit') {
      this.stats.hit(prepared.store, key);
      if (this.onEvent) this.emit('hit', prepared, key, input, performance.now() - started);
      return found.record;
    }
    this.stats.miss();
    this.unusable(found, prepared, key);
    if (this.onEvent) {
      this.emit('miss', prepared, key, input, performance.now() - started, { reason: missReason(found) });
    }
    return undefined;
  }

  /** Reports a read that found a damaged or unreadable object. */
  private unusable(found: Exclude<Lookup, { status: 'hit' }>, prepared: Prepared, key: string): void {
    if (found.status === 'damaged') {
      const { name: fn, definition } = prepared;
      report(
        {
          type: 'damaged',
          code: 'EINTEGRITY',
          file: found.file,
          reason: found.reason,
          message: `${found.file} is damaged (${found.reason}); recomputing it`,
          function: fn,
          version: definition.hash,
          argumentHash: key,
        },
        this.onEvent,
      );
    } else if (found.status === 'unreadable') {
      const cause = found.error.code ?? 'EIO';
      report(
        {
          type: 'read-failed',
          code: 'ECACHEREAD',
          cause,
          file: found.file,
          message: `cannot read the cache (${cause} on ${found.file}); computing without it`,
        },
        this.onEvent,
        `read:${cause}:${this.cacheDir}`,
      );
    }
  }

  /** Runs the function and stores its result (once a returned Promise resolves). */
  private compute(
    prepared: Prepared,
    key: string,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
    input: Record<string, unknown>,
  ): unknown {
    const reads = prepared.definition.configuration;
    const configuration =
      reads.length > 0
        ? configurationState(reads, bindArguments(prepared.parameters, args), this.fileHashes)
        : undefined;
    // The input (and `this`) as the call starts: the function may change them.
    const given = snapshotInput(input, codeHash);
    const recordInput = withSeedInput(given, seed);
    const part = this.thisPart(prepared, self);
    const recordThis = part && { value: snapshot(part.value, codeHash) };
    const started = performance.now();
    const result = this.invoke(self, args, seed);
    if (!isThenable(result)) {
      this.save(prepared, key, {
        input: recordInput,
        this: recordThis,
        output: result,
        time: (performance.now() - started) / 1000,
        seed,
        async: false,
        configuration,
      });
      return result;
    }
    return Promise.resolve(result).then((output) => {
      const saving = this.save(prepared, key, {
        input: recordInput,
        this: recordThis,
        output,
        time: (performance.now() - started) / 1000,
        seed,
        async: true,
        configuration,
      });
      return saving ? saving.then(() => output) : output;
    });
  }

  /** Live sharing: a call missing locally is read from the remote and kept locally, else computed. */
  private async readThrough(
    remote: RemoteLink,
    prepared: Prepared,
    key: string,
    compute: () => unknown,
  ): Promise<unknown> {
    const hit = await remote.read(prepared.store, key, this.onEvent);
    return hit && !this.policy?.refuses(hit.record) ? this.keepHit(prepared, key, hit) : compute();
  }

  /** A result read from the remote, kept in the local cache; returns its output. */
  private keepHit(prepared: Prepared, key: string, hit: RemoteHit): unknown {
    this.keep(prepared, key, { parts: [hit.bytes], size: hit.bytes.length });
    return hit.record.output;
  }

  /**
   * Computes a call, recording its failure (here, and on the remote when on). With the
   * `retries` option, a call that failed more often than allowed — on any machine sharing
   * the remote — fails at once with `CallFailedError` (`EFAILED`) instead.
   */
  private rememberingFailures(
    prepared: Prepared,
    key: string,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
    input: Record<string, unknown>,
  ): unknown {
    const retries = this.options.retries;
    // Most calls never failed: without retries to enforce, no miss pays for looking for a record.
    if (retries === undefined) return this.attempt(prepared, key, UNREAD, self, args, seed, input);
    const here = this.failureHere(prepared, key);
    const remote = this.awaitedRemote;
    if (!remote) return this.attempt(prepared, key, here, self, args, seed, input);
    return remote
      .failures(prepared.store, key, retries + 1, this.onEvent)
      .then((there) => {
        const known = there && there.attempts > (here?.attempts ?? 0) ? there : here;
        return this.attempt(prepared, key, known, self, args, seed, input);
      });
  }

  /**
   * Computes a call unless it failed more often than `retries` allows; `known` is the call's
   * failure record when retries are counted, else {@link UNREAD}: read only if the call fails again.
   */
  private attempt(
    prepared: Prepared,
    key: string,
    known: FailureRecord | undefined | typeof UNREAD,
    self: unknown,
    args: unknown[],
    seed: Seed | undefined,
    input: Record<string, unknown>,
  ): unknown {
    if (known !== UNREAD && known && known.attempts > (this.options.retries ?? Infinity)) {
      throw new CallFailedError(`${prepared.name} (${key.slice(0, 12)})`, known);
    }
    let result: unknown;
    try {
      result = this.compute(prepared, key, self, args, seed, input);
    } catch (error) {
      return this.failed(prepared, key, known, error);
    }
    return this.succeeding(
      prepared,
      key,
      isThenable(result) ? Promise.resolve(result).catch((error) => this.failed(prepared, key, known, error)) : result,
      known,
    );
  }

  /**
   * `result`, once the call has succeeded: at once, or when its promise fulfils. `known`:
   * its failure record as read before it ran, when retries are counted.
   */
  private succeeding(
    prepared: Prepared,
    key: string,
    result: unknown,
    known: FailureRecord | undefined | typeof UNREAD = UNREAD,
  ): unknown {
    if (!isThenable(result)) {
      this.succeeded(prepared, key, known);
      return result;
    }
    return Promise.resolve(result).then((value) => {
      this.succeeded(prepared, key, known);
      return value;
    });
  }

  /**
   * A call that succeeds is not a failed one: its failure record, if any, goes.
   * Whether the version has any is looked up once, so most calls pay nothing for it.
   */
  private succeeded(prepared: Prepared, key: string, known: FailureRecord | undefined | typeof UNREAD): void {
    const { functionDir, definitionHash } = prepared.store;
    prepared.hasFailures ??= hasFailures(this.cacheDir, functionDir, definitionHash);
    if (prepared.hasFailures) forgetFailures(this.cacheDir, functionDir, definitionHash, key);
    // On the remote, where retries count every machine's failures: only they read them, so
    // only with retries are there any to forget (a refresh reads them first).
    const retries = this.options.retries;
    if (retries === undefined || !this.awaitedRemote || known === undefined) return;
    const attempts = known === UNREAD ? undefined : known.attempts;
    this.awaitedRemote.forgetFailures(prepared.store, key, attempts, retries + 1, this.onEvent);
  }

  /** Records a call's failure, here and on the remote when on, and throws its error again. */
  private failed(
    prepared: Prepared,
    key: string,
    known: FailureRecord | undefined | typeof UNREAD,
    error: unknown,
  ): never {
    const record = failureOf(error, (known === UNREAD ? this.failureHere(prepared, key) : known)?.attempts ?? 0);
    const { functionDir, definitionHash } = prepared.store;
    writeFailure(this.cacheDir, functionDir, definitionHash, key, record);
    prepared.hasFailures = true;
    this.awaitedRemote?.recordFailure(prepared.store, key, record, this.onEvent);
    throw error;
  }

  /** The call's failure record in the local cache, if it failed before. */
  private failureHere(prepared: Prepared, key: string): FailureRecord | undefined {
    const { functionDir, definitionHash } = prepared.store;
    return readFailure(this.cacheDir, functionDir, definitionHash, key);
  }

  /**
   * Live sharing with the lock: the call is computed once across every machine sharing the remote (remote-lease.ts).
   */
  private computeLeased(
    remote: RemoteLink,
    prepared: Prepared,
    key: string,
    settings: LockSettings,
    compute: () => unknown,
  ): Promise<unknown> {
    const lease = { ttlMs: settings.leaseMs, timeoutMs: settings.timeoutMs, skip: settings.skip };
    const hit = (found: RemoteHit) =>
      this.policy?.refuses(found.record) ? undefined : { value: this.keepHit(prepared, key, found) };
    return remote.computeOnce(prepared.store, key, lease, { hit, compute }, this.onEvent);
  }

  /**
   * Computes under the key's cross-process lock, or returns what the lock's holder stored
   * while this call waited. When no lock can be created (an unwritable cache) the call
   * computes without one, as it would without the option.
   */
  private computeLocked(
    prepared: Prepared,
    key: string,
    input: Record<string, unknown>,
    settings: LockSettings,
    compute: () => unknown,
  ): unknown {
    this.prepareCacheDir();
    const file = lockPath(prepared.store.dir, key);
    const finished = (): StoredOutput | undefined => {
      const found = this.readStored(prepared, key, false);
      return found.status === 'hit' ? found.record : undefined;
    };
    const blocking = !this.async;
    const proceed = (outcome: LockOutcome<StoredOutput>) => {
      if (outcome.waitedMs !== undefined && this.onEvent) {
        this.emit('lock-wait', prepared, key, input, outcome.waitedMs, {
          computedElsewhere: outcome.done !== undefined,
        });
      }
      return outcome.done ? returned(outcome.done) : computeHolding(outcome.lock, settings, compute, blocking);
    };
    const unlocked = (error: unknown) => {
      if (error instanceof FunesError) throw error;
      this.reportWriteFailure(prepared, error);
      return compute();
    };
    if (!blocking) return acquireLock(file, prepared.store.dir, finished, settings).then(proceed, unlocked);
    let outcome: LockOutcome<StoredOutput>;
    try {
      outcome = acquireLockSync(file, prepared.store.dir, finished, settings);
    } catch (error) {
      return unlocked(error);
    }
    return proceed(outcome);
  }

  /**
   * Stores a call's record, and shares it when a remote is on. A Promise's result is
   * hashed while it is written when large: the Promise returned then ends with the write.
   */
  private save(prepared: Prepared, key: string, fields: RecordFields<unknown>): void | Promise<void> {
    let object: EncodedObject;
    try {
      object = encodeRecord(makeRecord(fields), {
        hashWhileWriting: fields.async,
        address: { definitionHash: prepared.definition.hash, argumentHash: key },
      });
    } catch (error) {
      if (!(error instanceof NotSerializableError)) throw error;
      report(
        {
          type: 'not-serializable',
          code: 'ENOTSERIALIZABLE',
          function: prepared.name,
          path: error.path,
          message: `${prepared.name}: result not cached: ${error.message}; ${error.hint}`,
        },
        this.onEvent,
        `serialize:${prepared.name}:${error.path}`,
      );
      return;
    }
    const kept = this.keep(prepared, key, object);
    if (typeof kept !== 'boolean') return kept.then((done) => this.written(prepared, key, fields, object, done));
    this.written(prepared, key, fields, object, kept);
  }

  /** After a write: reports the stored call and shares it when a remote is on, if `done`. */
  private written(
    prepared: Prepared,
    key: string,
    fields: RecordFields<unknown>,
    object: EncodedObject,
    done: boolean,
  ): void {
    if (!done) return;
    if (this.onEvent) this.emit('store', prepared, key, fields.input, fields.time * 1000);
    this.remote?.write(prepared.store, key, object.parts, this.onEvent);
  }

  /** Before the first write: a cache directory made here gets its `.gitignore`. */
  private prepareCacheDir(): void {
    if (this.cacheDirPrepared) return;
    prepareCacheDir(this.cacheDir);
    this.cacheDirPrepared = true;
  }

  /**
   * Stores an object (and the version's metadata, the first time); whether it was stored, later for an unsealed object.
   */
  private keep(prepared: Prepared, key: string, object: EncodedObject): boolean | Promise<boolean> {
    try {
      if (!prepared.metadataWritten) {
        this.prepareCacheDir();
        prepared.store.writeMetadata(versionMetadata(prepared.name, prepared.definition));
        prepared.metadataWritten = true;
      }
      const writing = prepared.store.write(key, object);
      return writing
        ? writing.then(
            () => true,
            (error) => this.reportWriteFailure(prepared, error),
          )
        : true;
    } catch (error) {
      return this.reportWriteFailure(prepared, error);
    }
  }

  /**
   * One warning per cause and cache directory: a full disk warns
   * once, not at every call. Returns false: nothing was stored.
   */
  private reportWriteFailure(prepared: Prepared, error: unknown): false {
    const cause = (error as NodeJS.ErrnoException).code ?? 'EIO';
    report(
      {
        type: 'write-failed',
        code: 'ECACHEWRITE',
        cause,
        file: prepared.store.dir,
        message: `cannot write to the cache (${cause} in ${prepared.store.dir}); ` +
            `results are returned but not stored — ${hintFor(cause)}`,
      },
      this.onEvent,
      `write:${cause}:${this.cacheDir}`,
    );
    return false;
  }

  /** The current version's records, for {@link loadCachedResults}. */
  version(): VersionStore {
    const prepared = this.prepare();
    this.markUsed(prepared);
    return prepared.store;
  }

  /** Marks the version used, with what its `definition.json` holds should it be missing. */
  private markUsed(prepared: Prepared): void {
    prepared.store.markUsed(prepared.name, prepared.definition);
  }
}

/** What reading a call's stored output finds: a record `maxAge` or `validate` refused is not used. */
type Lookup = ReadResult<StoredOutput> | { readonly status: 'refused'; readonly reason: Refusal };

function missReason(found: Exclude<Lookup, { status: 'hit' }>): MissReason {
  if (found.status === 'refused') return found.reason;
  return found.status === 'damaged' ? 'damaged' : 'absent';
}

/** What a call returns for a stored output: a Promise when the function returned one. */
function returned(record: StoredOutput): unknown {
  return record.async ? Promise.resolve(record.output) : record.output;
}

/** Whether `fn` is an `async function`, whose callers can wait for a lock without blocking. */
function isAsyncFunction(fn: AnyFunction): boolean {
  return fn.constructor?.name === 'AsyncFunction';
}

/**
 * Runs `compute` while holding `lock`; the lock goes once the result is stored (or the
 * call fails). A `blocking` (not async) function's lease is renewed from a worker thread
 * from the start, as its computation blocks this thread's timers.
 */
function computeHolding(lock: HeldLock, settings: LockSettings, compute: () => unknown, blocking: boolean): unknown {
  if (blocking) lock.keepAlive(settings.leaseMs, { blocking });
  let result: unknown;
  try {
    result = compute();
  } catch (error) {
    lock.release();
    throw error;
  }
  if (!isThenable(result)) {
    lock.release();
    return result;
  }
  if (!blocking) lock.keepAlive(settings.leaseMs);
  return Promise.resolve(result).finally(() => lock.release());
}

function hintFor(cause: string): string {
  switch (cause) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free disk space or prune the cache with `funes gc`';
    case 'EACCES':
    case 'EPERM':
      return 'make the cache directory writable or choose another with FUNES_CACHE_DIR';
    case 'EROFS':
      return 'the filesystem is read-only; choose another cache directory with FUNES_CACHE_DIR';
    case 'ENOTDIR':
      return 'a file stands where the cache needs a directory (the cache directory or one above it); ' +
          'move it, or choose another cache directory with FUNES_CACHE_DIR';
    default:
      return 'check the cache directory';
  }
}
