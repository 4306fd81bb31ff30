import type { EventListener } from './events.js';
import type { CachedRecord } from './record.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- RemoteStore: for the TSDoc links
import type { RemoteOption, RemoteStore } from './remote-store.js';

/**
 * Options of {@link memorious}. All are optional.
 *
 * @example
 * ```ts
 * const train = memorious(async function train(lr: number, epochs = 10) { … }, {
 *   cacheDir: '/data/funes',
 *   deps: [DATASET_VERSION],
 * });
 * ```
 */
export interface MemoriousOptions {
  /**
   * The cache directory. Resolved once, when the function is wrapped.
   * @default process.env.FUNES_CACHE_DIR, else `./cache` under the working directory
   */
  readonly cacheDir?: string;
  /**
   * The function's name in the cache (its directory). Required for anonymous functions.
   * @default fn.name; for a decorated method, `ClassName.method`
   */
  readonly name?: string;
  /**
   * Extra values or functions that the definition hash covers: change one and the
   * function's old results are not used.
   * @default []
   */
  readonly deps?: readonly unknown[];
  /**
   * Files the function reads that analysis cannot see (a path built at run time):
   * patterns relative to the working directory, with `*`, `?` and `**`. The content
   * of every matching file joins each call's key, as for files the code reads by a
   * path written in it.
   * @default []
   * @example
   * ```ts
   * const fit = memorious(function fit(name: string) { … }, { files: ['data/*.csv'] });
   * ```
   */
  readonly files?: readonly string[];
  /**
   * Pins the definition by hand: results are kept for as long as `version` stays the
   * same, whatever changes in the code.
   */
  readonly version?: string;
  /**
   * How `this` enters the key. `'auto'`: when the function's code reads `this`, its
   * state (own enumerable properties, or what its `[funesKey]()` returns) is part of
   * the key, so instances with different state never share results. `'ignore'`: never.
   * A function: the value it returns for `this` stands for it in the key (not `undefined`).
   * @default 'auto'
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a function of the user's own class must fit
  readonly thisKey?: 'auto' | 'ignore' | ((self: any) => unknown);
  /**
   * Arguments, by parameter name (after defaults are filled in), left out of the key and
   * out of the stored record: a logger, a progress callback, a client that does not change
   * the result. Destructured parameters are named by position (`'arguments[1]'`). A function
   * that reads its `arguments` keeps how many were passed, as `arguments.length`, where one is left out.
   * @default []
   * @example
   * ```ts
   * const train = memorious(async function train(lr: number, logger: Logger) { … }, { ignore: ['logger'] });
   * ```
   */
  readonly ignore?: readonly string[];
  /**
   * Chooses what stands for the arguments in the key: called with the call's arguments,
   * its result is hashed canonically (as arguments are) in their place. The record still
   * stores the arguments. `undefined` is refused (EINVALID): return `null` for calls that
   * are to share one result.
   * @example
   * ```ts
   * const fit = memorious(function fit(data: Dataset, lr: number) { … }, {
   *   key: (data, lr) => ({ data: data.id, lr }),
   * });
   * ```
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a function of the user's own argument types must fit
  readonly key?: (...args: any[]) => unknown;
  /**
   * Receives reports of damaged objects replaced, results not stored and cache write
   * failures, every time they happen. They are also emitted as process warnings (write
   * and read failures once per cause and cache directory).
   */
  readonly onEvent?: EventListener;
  /**
   * Compute each call at most once across processes sharing the cache directory: the
   * first process to miss a key computes it while the others wait and then read its
   * result. A lock left by a killed process is taken over. Waiting ends with a
   * `LockTimeoutError` (`ELOCKTIMEOUT`) after `timeout` milliseconds.
   *
   * Async functions wait without blocking the event loop; other functions block the
   * thread while they wait. Without locks, processes that miss the same key at the same
   * time each compute it, and the store keeps one complete result.
   *
   * With a remote (the `remote` option or `FUNES_REMOTE`), an `async` function's calls are
   * computed once across every machine sharing it: the first to miss a call takes its
   * lease on the remote (or in Redis, `FUNES_LOCK_URL`), renewed while it computes; the
   * others wait and read its result. A lease not renewed for `lease` milliseconds (its
   * holder killed) is taken over. A remote that can hold no lease fails the call
   * (`ENOLEASE`) rather than duplicate work; so does a function that is not `async`
   * (`ESYNCLOCK`), which cannot wait for a lease. See docs/remote.md.
   *
   * `'skip'` (or `skip: true`): a call that another process is computing fails at once
   * with `LeaseHeldError` (`ELEASEHELD`) instead of waiting, so a sweep moves on to its
   * next point and comes back later.
   *
   * @default true when the environment variable `FUNES_LOCK` is `1` or `true` (`'skip'`
   * when it is `skip`), else false; `timeout` defaults to one hour, `lease` to one minute
   * (at least one second)
   * @example
   * ```ts
   * const simulate = memorious(async function simulate(p: Params) { … }, { lock: { timeout: 6 * 3600_000 } });
   * ```
   */
  readonly lock?: boolean | 'skip' | { readonly timeout?: number; readonly lease?: number; readonly skip?: boolean };
  /**
   * Live sharing through a remote: a configured remote's name (`funes remote add`), an
   * `s3://bucket/prefix[?endpoint=…]` URL, or a {@link RemoteStore}. On a local miss an
   * `async` function's call is read from the remote before it is computed; every result
   * stored is written to the remote in the background, flushed before the process exits.
   * A failing remote is reported as a warning and never fails a call. Names and URLs are
   * opened with `@funes/sync`, which must be installed. See docs/remote.md.
   *
   * @default process.env.FUNES_REMOTE when set; `false` ignores it
   * @example
   * ```ts
   * const simulate = memorious(async function simulate(p: Params) { … }, { remote: 'origin' });
   * ```
   */
  readonly remote?: RemoteOption;
  /**
   * Failed calls are remembered (with their error, attempts and host; `funes log` lists
   * them). With `retries`, a call that has failed more than `retries` times — counted
   * across every machine sharing the remote — is not run again: it fails at once with
   * `CallFailedError` (`EFAILED`), so a point that keeps crashing is not retried forever.
   * A new version of the function starts afresh.
   * @default undefined: failed calls are always run again
   * @example
   * ```ts
   * const simulate = memorious(async function simulate(p: Params) { … }, {
   *   remote: 'origin',
   *   lock: true,
   *   retries: 2,
   * });
   * ```
   */
  readonly retries?: number;
  /**
   * Results that age: a record stored longer ago than this is not used; the call computes
   * and replaces it (for results of HTTP or LLM calls). Milliseconds, or a number with a
   * unit: `ms`, `s`, `m`, `h`, `d`, `w`.
   * @default forever
   * @example
   * ```ts
   * const fetchRates = memorious(async function fetchRates(day: string) { … }, { maxAge: '7d' });
   * ```
   */
  readonly maxAge?: string | number;
  /**
   * Decides whether a stored record may be used; when it returns false, the call computes
   * and replaces it. It sees the whole record: `input`, `output`, `time`, `createdAt`, ….
   * @default every record is used
   * @example
   * ```ts
   * // Keep only results that took over a second: quick ones were failures.
   * const train = memorious(async function train(lr: number) { … }, { validate: (record) => record.time > 1 });
   * ```
   */
  readonly validate?: (record: CachedRecord) => boolean;
}
