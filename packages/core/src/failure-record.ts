/**
 * Failures are remembered: a call that throws is recorded, so that with the `retries`
 * option a point that keeps crashing is tried a bounded number of times across every
 * process and machine, then fails at once (`EFAILED`) instead of being retried forever.
 *
 * A cache keeps one record per failed call, rewritten at each failure:
 * `<cacheDir>/.funes/failures/<function-dir>/<definition-hash>/<argument-hash>.json`
 * (`.funes` never collides with a function directory). On a remote, each attempt is its
 * own create-only object, `<prefix>/.funes/failures/<…>/<argument-hash>/<attempt>`, so
 * machines count attempts without overwriting each other. A later success does not remove
 * a record: `funes log` lists the failed points of a version, stored or not.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { FunesError } from './errors.js';
import { makeDirectory } from './make-directory.js';
import { isHash } from './layout.js';
import { readRegularFile } from './regular-file.js';
import { writeFileAtomic } from './store.js';

/** What a failed call left: the last error, how many attempts failed, and where the last one ran. */
export interface FailureRecord {
  readonly attempts: number;
  readonly error: { readonly name: string; readonly message: string; readonly code?: string };
  readonly host: string;
  readonly pid: number;
  /** ISO time of the last failure. */
  readonly at: string;
}

/** A failed point of a version, as `funes log` lists it. */
export interface FailedPoint extends FailureRecord {
  readonly argumentHash: string;
}

export const FAILURES_DIR = join('.funes', 'failures');

/** With the `retries` option, a call that already failed more times than allowed: it is not run again. */
export class CallFailedError extends FunesError {
  readonly record: FailureRecord;

  constructor(what: string, record: FailureRecord) {
    super(
      'EFAILED',
      `${what} failed ${record.attempts} time${record.attempts === 1 ? '' : 's'} (last on ` +
          `${record.host}: ${record.error.name}: ${record.error.message}); ` +
        'not run again: raise the retries option, or fix the cause and change the ' +
        'function (a new version starts afresh)',
    );
    this.record = record;
  }
}

/** The record of a new failure after `previous` attempts (pure). */
export function failureOf(error: unknown, previous: number): FailureRecord {
  return {
    attempts: previous + 1,
    error: describeThrown(error),
    host: hostname(),
    pid: process.pid,
    at: new Date().toISOString(),
  };
}

/**
 * What a failure record says of the value a call threw. Reading it must not throw: that
 * error, not the call's own, would reach the caller — a null-prototype object has no
 * text, and a getter, a `toString` or a revoked Proxy may throw.
 */
function describeThrown(error: unknown): FailureRecord['error'] {
  try {
    const e = error as { name?: unknown; message?: unknown; code?: unknown } | null;
    const isObject = typeof e === 'object' && e !== null;
    return {
      name: isObject && typeof e.name === 'string' ? e.name : typeof error,
      message: isObject && typeof e.message === 'string' ? e.message : textOf(error),
      ...(isObject && typeof e.code === 'string' && { code: e.code }),
    };
  } catch {
    return { name: typeof error, message: textOf(error) };
  }
}

/** `String(value)`, or how `util.inspect` shows it where that throws. */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return inspect(value, { depth: 1, breakLength: Infinity });
    } catch {
      return `a thrown ${typeof value} that cannot be shown`;
    }
  }
}

/** A record's text read back; undefined for anything else. */
export function parseFailure(text: string): FailureRecord | undefined {
  try {
    const value = JSON.parse(text) as FailureRecord;
    return Number.isSafeInteger(value?.attempts) &&
      typeof value.error?.message === 'string' &&
      typeof value.host === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

function versionDir(cacheDir: string, functionDir: string, definitionHash: string): string {
  return join(cacheDir, FAILURES_DIR, functionDir, definitionHash);
}

/** The local record of a call, if it failed here (or was told so by a remote). */
export function readFailure(
  cacheDir: string,
  functionDir: string,
  definitionHash: string,
  argumentHash: string,
): FailureRecord | undefined {
  try {
    return parseFailure(
      readRegularFile(join(versionDir(cacheDir, functionDir, definitionHash), `${argumentHash}.json`), 'utf8'),
    );
  } catch {
    return undefined;
  }
}

/** Keeps a call's failure record (replacing the previous one); a cache that cannot be written keeps none. */
export function writeFailure(
  cacheDir: string,
  functionDir: string,
  definitionHash: string,
  argumentHash: string,
  record: FailureRecord,
): void {
  const dir = versionDir(cacheDir, functionDir, definitionHash);
  try {
    makeDirectory(dir);
    writeFileAtomic(join(dir, `${argumentHash}.json`), dir, [Buffer.from(`${JSON.stringify(record)}\n`)]);
  } catch {
    // Remembering a failure is best effort: the call's own error is what the caller gets.
  }
}

/** Whether a version has local failure records. */
export function hasFailures(cacheDir: string, functionDir: string, definitionHash: string): boolean {
  return existsSync(versionDir(cacheDir, functionDir, definitionHash));
}

/**
 * Forgets the local failure records of a call that has since succeeded, or, without
 * `argumentHash`, of every call of a version (`clear()`): a call stored once is not failed.
 */
export function forgetFailures(
  cacheDir: string,
  functionDir: string,
  definitionHash: string,
  argumentHash?: string,
): void {
  const dir = versionDir(cacheDir, functionDir, definitionHash);
  try {
    rmSync(argumentHash === undefined ? dir : join(dir, `${argumentHash}.json`), { recursive: true, force: true });
  } catch {
    // Best effort, as recording them is: a cache that cannot be written keeps them.
  }
}

/** The versions with local failure records, by function directory and definition hash. */
export function listFailedVersions(cacheDir: string): { functionDir: string; definitionHash: string }[] {
  const root = join(cacheDir, FAILURES_DIR);
  const found: { functionDir: string; definitionHash: string }[] = [];
  const names = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const functionDir of names(root)) {
    for (const hash of names(join(root, functionDir))) {
      if (isHash(hash)) found.push({ functionDir, definitionHash: hash });
    }
  }
  return found;
}

/** Every failed point of a version, most recent first. */
export function listFailures(cacheDir: string, functionDir: string, definitionHash: string): FailedPoint[] {
  const dir = versionDir(cacheDir, functionDir, definitionHash);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const points: FailedPoint[] = [];
  for (const name of names) {
    const match = /^([0-9a-f]{64})\.json$/.exec(name);
    const record = match && readFailure(cacheDir, functionDir, definitionHash, match[1]);
    if (match && record) points.push({ argumentHash: match[1], ...record });
  }
  return points.sort((a, b) => b.at.localeCompare(a.at));
}
