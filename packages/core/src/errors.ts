/**
 * Every error Funes raises is a {@link FunesError} with a stable `code`, so
 * callers (and the CLI) can branch on the code rather than on message text.
 * The message says what went wrong; the hint says what to do about it.
 */
export class FunesError extends Error {
  /**
   * True for an error from any copy of @funes/core in the process, not only this one: a
   * bundled tool (the `funes` command) catches errors raised by packages it loads, which
   * bring their own copy. Subclasses keep the usual check.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== FunesError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && FUNES_ERROR in value;
  }

  /** A stable, documented identifier such as `EUNHASHABLE`. */
  readonly code: string;
  /**
   * What to do about it, one sentence; printed by the CLI after the message. Absent when the
   * message says it already, and then no own property, so Node prints no empty hint.
   */
  declare readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Marks every FunesError, whichever copy of @funes/core made it. */
const FUNES_ERROR = Symbol.for('@funes/core FunesError');
Object.defineProperty(FunesError.prototype, FUNES_ERROR, { value: true });

/** A value returned by a memorious function cannot be restored faithfully, so it is not cached. */
export class NotSerializableError extends FunesError {
  /** Where in the result the offending value sits, e.g. `output.model.predict`. */
  readonly path: string;

  constructor(path: string, what: string) {
    super('ENOTSERIALIZABLE', `${path} is ${what}, which Funes cannot store and restore faithfully`, {
      hint: 'return plain data (objects, arrays, Map, Set, Date, typed arrays, …) to have the result cached',
    });
    this.path = path;
  }
}

/** An argument (or `this`) cannot be turned into a stable cache key. */
export class UnhashableArgumentError extends FunesError {
  /** Where in the arguments the offending value sits, e.g. `args.config.callback`. */
  readonly path: string;

  constructor(path: string, what: string, hint: string) {
    super('EUNHASHABLE', `${path} is ${what}, which cannot be part of a cache key`, { hint });
    this.path = path;
  }
}

/** `memorious` was called with something it cannot work with. */
export class InvalidUsageError extends FunesError {
  constructor(message: string, hint?: string) {
    super('EINVALID', message, { hint });
  }
}

/** Who holds a lock, as its lock file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

/** A call waited longer than the lock timeout for another process to finish computing the same key. */
export class LockTimeoutError extends FunesError {
  /** The lock file waited on. */
  readonly file: string;
  /** The process holding it, when its lock file could be read. */
  readonly holder: LockHolder | undefined;
  /** How long the call waited, in milliseconds. */
  readonly waitedMs: number;

  constructor(file: string, holder: LockHolder | undefined, waitedMs: number) {
    const who = holder ? `process ${holder.pid} on ${holder.host}` : 'another process';
    super(
      'ELOCKTIMEOUT',
      `waited ${Math.round(waitedMs / 1000)} s for ${who} to compute the same call (lock ${file})`,
      {
        hint: 'raise the wait with { lock: { timeout } } (milliseconds), ' +
            'or stop that process if it is stuck: its lock is then taken over',
      },
    );
    this.file = file;
    this.holder = holder;
    this.waitedMs = waitedMs;
  }
}

/**
 * With `lock: 'skip'`, a call whose key another process is computing: it is not waited for.
 * Come back to the call later (it is then read, or computed if that process failed).
 */
export class LeaseHeldError extends FunesError {
  /** The process computing the call, when known. */
  readonly holder: LockHolder | undefined;

  constructor(what: string, holder: LockHolder | undefined) {
    super(
      'ELEASEHELD',
      `${holder ? `process ${holder.pid} on ${holder.host}` : 'another process'} is ` +
          `computing ${what}; skipped (lock: 'skip')`,
      {
        hint: 'call again later to read its result',
      },
    );
    this.holder = holder;
  }
}

/**
 * `lock` was asked for with a remote that cannot hold compute-once leases: its server does
 * not honour conditional writes and no `FUNES_LOCK_URL` names a Redis server. Computing
 * anyway would duplicate work while claiming not to.
 */
export class NoLeaseError extends FunesError {
  constructor(remote: string, why: string) {
    super('ENOLEASE', `lock: true cannot take compute-once leases on ${remote}: ${why}`, {
      hint: 'set FUNES_LOCK_URL=redis://host:port to lease through Redis, ' +
          'use a server with conditional writes (AWS S3, MinIO, Ceph RGW, R2), or turn the lock option off',
    });
  }
}

/**
 * `lock` was asked for with a remote on a function that is not `async`: its calls return
 * synchronously, so they cannot wait for a lease on the remote. Computing under the local
 * lock only would let two machines compute the same call while claiming compute-once.
 */
export class SyncLockError extends FunesError {
  constructor(fn: string, remote: string) {
    super(
      'ESYNCLOCK',
      `lock: true with remote ${remote} needs ${fn} to be async: a synchronous ` +
          `call cannot wait for a compute-once lease`,
      {
        hint: 'declare the function async (async function …), or turn the lock option off (FUNES_LOCK), ' +
            'or drop the remote (FUNES_REMOTE) for it',
      },
    );
  }
}
