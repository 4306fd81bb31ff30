/**
 * A memorious function's options, checked when it is wrapped and settled once with the
 * environment's defaults (FUNES_CACHE_DIR, FUNES_LOCK, FUNES_REMOTE, FUNES_LOG,
 * FUNES_DISABLE, FUNES_REFRESH), so a call reads no option and no variable.
 */
import { resolveCacheDir } from './cache-location.js';
import { callMode, isOn, type CallMode } from './call-mode.js';
import { InvalidUsageError } from './errors.js';
import { nearest } from './nearest-name.js';
import { withLog } from './event-log.js';
import type { EventListener } from './events.js';
import { recordPolicy, type RecordPolicy } from './freshness.js';
import { DEFAULT_LEASE_MS, DEFAULT_LOCK_TIMEOUT_MS, type LockSettings } from './lock.js';
import { refuseUnknownOptions } from './option-names.js';
import type { MemoriousOptions } from './options.js';
import { remoteLinkFor, type RemoteLink } from './remote-store.js';

/** What the options and the environment settle for one wrapped function. */
export interface ResolvedOptions {
  /** The `cacheDir` option, else FUNES_CACHE_DIR, else the project's `./cache`. */
  readonly cacheDir: string;
  /** Cross-process locking, when on (the `lock` option, else FUNES_LOCK). */
  readonly lock: LockSettings | undefined;
  /** Live sharing, when on (the `remote` option, else FUNES_REMOTE). */
  readonly remote: RemoteLink | undefined;
  /** The `onEvent` option joined by the FUNES_LOG printer; undefined when nobody listens, so no event is built. */
  readonly onEvent: EventListener | undefined;
  /** FUNES_DISABLE and FUNES_REFRESH (or a `funes why` run). */
  readonly mode: CallMode;
  /** `maxAge` and `validate`: which stored records may be used; undefined (every one) by default. */
  readonly policy: RecordPolicy | undefined;
}

/** Settles checked options with the environment's defaults; `definingFile` places the default cache directory. */
export function resolveOptions(options: MemoriousOptions, definingFile: string | undefined): ResolvedOptions {
  const cacheDir = resolveCacheDir(options.cacheDir, definingFile);
  return {
    cacheDir,
    lock: lockSettings(options.lock),
    remote: remoteLinkFor(options.remote, cacheDir),
    onEvent: withLog(options.onEvent),
    mode: callMode(),
    policy: recordPolicy(options),
  };
}

/** `FUNES_LOCK`: `1` or `true`, `skip`, or off. */
function lockFromEnvironment(): boolean | 'skip' {
  if (/^skip$/i.test(process.env.FUNES_LOCK ?? '')) return 'skip';
  return isOn('FUNES_LOCK', process.env, 'skip to fail at once on a call another process is computing, ');
}

/** The lock settings from the `lock` option, or from `FUNES_LOCK` when the option is not given. */
function lockSettings(option: MemoriousOptions['lock']): LockSettings | undefined {
  const enabled = option ?? lockFromEnvironment();
  if (!enabled) return undefined;
  const settings = typeof enabled === 'object' ? enabled : {};
  return {
    timeoutMs: settings.timeout ?? DEFAULT_LOCK_TIMEOUT_MS,
    leaseMs: settings.lease ?? DEFAULT_LEASE_MS,
    skip: enabled === 'skip' || settings.skip === true,
  };
}

/** Throws EINVALID, saying the fix, for options that are not {@link MemoriousOptions}. */
export function checkOptions(options: unknown): asserts options is MemoriousOptions {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') {
    throw new InvalidUsageError('memorious options must be an object, e.g. { cacheDir: "./cache" }');
  }
  refuseUnknownOptions(options);
  const o = options as MemoriousOptions;
  if (o.cacheDir !== undefined && (typeof o.cacheDir !== 'string' || o.cacheDir === '')) {
    throw new InvalidUsageError('the cacheDir option must be a non-empty path string');
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) {
    throw new InvalidUsageError('the name option must be a non-empty string');
  }
  if (o.version !== undefined && (typeof o.version !== 'string' || o.version === '')) {
    throw new InvalidUsageError('the version option must be a non-empty string such as "v2"');
  }
  if (o.deps !== undefined && !Array.isArray(o.deps)) {
    throw new InvalidUsageError('the deps option must be an array of values or functions');
  }
  if (o.files !== undefined && (!Array.isArray(o.files) || o.files.some((f) => typeof f !== 'string' || f === ''))) {
    throw new InvalidUsageError("the files option must be an array of path patterns such as ['data/*.csv']");
  }
  if (
    o.ignore !== undefined &&
    (!Array.isArray(o.ignore) || o.ignore.some((name) => typeof name !== 'string' || name === ''))
  ) {
    throw new InvalidUsageError(
      "the ignore option must be an array of parameter names such as ['logger', 'onProgress']",
    );
  }
  if (o.key !== undefined && typeof o.key !== 'function') {
    throw new InvalidUsageError(
      'the key option must be a function of the arguments returning what stands for them, ' +
          'such as key: (data, lr) => ({ data: data.id, lr })',
    );
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') {
    // Else the first call would fail on a raw TypeError where it reports its first event.
    throw new InvalidUsageError(
      'the onEvent option must be a function receiving each event, such as onEvent: (event) => console.log(event)',
    );
  }
  if (o.thisKey !== undefined && o.thisKey !== 'auto' && o.thisKey !== 'ignore' && typeof o.thisKey !== 'function') {
    throw new InvalidUsageError("the thisKey option must be 'auto', 'ignore' or a function");
  }
  if (o.retries !== undefined && !(Number.isSafeInteger(o.retries) && o.retries >= 0)) {
    throw new InvalidUsageError('the retries option must be a whole number of retries, 0 or more');
  }
  if (
    o.remote !== undefined &&
    o.remote !== false &&
    !(typeof o.remote === 'string'
      ? o.remote !== ''
      : typeof o.remote?.get === 'function' && typeof o.remote?.put === 'function')
  ) {
    throw new InvalidUsageError(
      "the remote option must be a configured remote's name, an s3:// URL, " +
          "an object with get and put methods, or false",
    );
  }
  checkLock(o.lock);
}

/** What the lock option's object may hold: a misspelt `timout` would otherwise leave the wait at an hour. */
const LOCK_SETTINGS = ['timeout', 'lease', 'skip'];

/**
 * The longest lease: it is renewed every third of it by a timer, and Node runs a timer
 * longer than a signed 32-bit count of milliseconds at once, which would renew it without pause.
 */
const MAX_LEASE_MS = 2 ** 31 - 1;

/**
 * The shortest lease: its holder renews it every third of it, each time with a request to
 * a server, which must fit in that time with room to spare; a shorter one would lapse
 * under its holder again and again.
 */
const MIN_LEASE_MS = 1000;

function checkLock(lock: MemoriousOptions['lock']): void {
  const usage =
    "the lock option must be true, false, 'skip' or { timeout, lease: <milliseconds>, skip: <boolean> } " +
    'with positive durations';
  if (lock === undefined || typeof lock === 'boolean' || lock === 'skip') return;
  if (typeof lock !== 'object' || lock === null) throw new InvalidUsageError(usage);
  for (const key of Object.keys(lock)) {
    if (LOCK_SETTINGS.includes(key)) continue;
    const near = nearest(key, LOCK_SETTINGS);
    throw new InvalidUsageError(
      `the lock option has no setting '${key}'${near ? `; did you mean '${near}'?` : ''}; ${usage}`,
    );
  }
  const { timeout, lease, skip } = lock;
  const positive = (ms: unknown) => ms === undefined || (typeof ms === 'number' && ms > 0);
  if (!positive(timeout) || !positive(lease) || (skip !== undefined && typeof skip !== 'boolean')) {
    throw new InvalidUsageError(usage);
  }
  if (lease !== undefined && lease < MIN_LEASE_MS) {
    throw new InvalidUsageError(
      `the lock option's lease must be at least ${MIN_LEASE_MS} ms; got ${lease}: its holder renews it every ` +
        'third of it, each time with a request to the remote, which a shorter lease leaves no time for',
    );
  }
  if (lease !== undefined && !(lease <= MAX_LEASE_MS)) {
    throw new InvalidUsageError(
      `the lock option's lease must be at most ${MAX_LEASE_MS} ms (about 24 days); got ${lease}: it is how long ` +
        "a killed holder's lease keeps others waiting, renewed every third of it while the holder computes",
    );
  }
}
