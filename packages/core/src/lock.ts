/**
 * Compute-once across processes (the `lock` option). Before computing a call, a process
 * creates the call's lock file (`.lock-<argument-hash>` in the version directory, see
 * layout.ts); the others wait until the object appears and read it. A lock whose holder
 * is gone (see {@link isStale}) is taken over.
 *
 * A lock file is created complete — written to a temp file, then hard-linked into place,
 * which fails when one exists — so nobody ever reads a half-written lock. Taking over a
 * stale lock: create `<lock>.break-<token>` exclusively (one winner per stale lock), check
 * the lock still has the text judged stale, remove it, then remove the break file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseHeldError, LockTimeoutError } from './errors.js';
import { renewFromWorker } from './lease-renewal.js';
import {
  formatLockOwner,
  isStale,
  parseLockOwner,
  type LockOwner,
  type ProcessState,
  type StaleContext,
} from './lock-owner.js';
import { NotRegularFileError, readRegularFile } from './regular-file.js';
import { createFileAtomic, removeQuietly } from './store.js';

/** How a call waits for another process's lock. */
export interface LockSettings {
  /** Longest wait for a live holder, in milliseconds. */
  readonly timeoutMs: number;
  /** How long a lock of another host (or a lease on a remote) stays valid without being renewed. */
  readonly leaseMs: number;
  /** Fail at once with {@link LeaseHeldError} instead of waiting for a live holder. */
  readonly skip: boolean;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 60 * 60 * 1000;
export const DEFAULT_LEASE_MS = 60 * 1000;
/** Polling starts fast (most computations that others wait for are short) and backs off. */
const FIRST_POLL_MS = 1;
const MAX_POLL_MS = 100;
/**
 * A break file older than this was left by a process killed while taking a lock over; taking over takes microseconds.
 */
const BREAK_GRACE_MS = 10_000;

/** What /proc says of a local process (Linux): its state letter and start time; undefined elsewhere or when gone. */
function procStat(pid: number): { readonly state: string; readonly started: string | null } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain
    // spaces and parentheses: state is field 3, starttime field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', started: fields[19] ?? null };
  } catch {
    return undefined;
  }
}

/** Start time of a local process (Linux), to tell a holder from a later process given the same pid. */
function processStarted(pid: number): string | null {
  return procStat(pid)?.started ?? null;
}

function probe(pid: number): ProcessState {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return { alive: false };
  }
  const stat = procStat(pid);
  // A zombie (Z) or dead (X) process has exited; only its parent has not reaped it yet.
  if (stat?.state === 'Z' || stat?.state === 'X') return { alive: false };
  return { alive: true, started: stat?.started ?? null };
}

/** This process as lock files name it, looked up once. */
let here: { readonly host: string; readonly started: string | null } | undefined;
const self = () => (here ??= { host: hostname(), started: processStarted(process.pid) });
const context = (leaseMs: number): StaleContext => ({ host: self().host, probe, leaseMs });

/** A lock file's text; a FIFO or a device in its place reads as empty, which no lock is (damage: stale). */
function readText(file: string): string | undefined {
  try {
    return readRegularFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof NotRegularFileError) return '';
    throw error;
  }
}

/** A lock file as found now: its text, what it says, and how long since it was taken or renewed. */
interface FoundLock {
  readonly text: string;
  readonly owner: LockOwner | undefined;
  readonly ageMs: number;
}

function readLock(file: string): FoundLock | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const ageMs = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  return { text, owner: parseLockOwner(text), ageMs };
}

const BREAK_MARK = '.break-';

/**
 * Who holds a lock file and whether it is stale — for tools such as `funes gc`, which may
 * remove stale ones. A break file (`<lock>.break-<token>`) is stale once abandoned.
 * Undefined when the file is gone.
 */
export function inspectLock(
  file: string,
): { readonly owner: LockOwner | undefined; readonly stale: boolean } | undefined {
  const found = readLock(file);
  if (!found) return undefined;
  return { owner: found.owner, stale: isStaleFound(found, basename(file).includes(BREAK_MARK), DEFAULT_LEASE_MS) };
}

/**
 * A break file names the process taking a lock over, like a lock does, so one left by a
 * process killed mid-takeover is stale as soon as that process is gone. One without a
 * readable owner (cut short by a crash, or written by another tool) is stale after a grace period.
 */
function isStaleFound(found: FoundLock, isBreakFile: boolean, leaseMs: number): boolean {
  if (isBreakFile && !found.owner) return found.ageMs > BREAK_GRACE_MS;
  return isStale(found.owner, found.ageMs, context(leaseMs));
}

function ownerText(): string {
  return formatLockOwner({
    pid: process.pid,
    ...self(),
    token: randomBytes(8).toString('hex'),
    acquiredAt: new Date().toISOString(),
  });
}

/**
 * Removes a lock judged stale from `staleText`, unless another process is taking it
 * over or already has. Returns whether to try for the lock again at once: true when
 * this process removed it or found it already replaced, false while another takes it over.
 */
function breakLock(file: string, staleText: string): boolean {
  const breaker = `${file}${BREAK_MARK}${parseLockOwner(staleText)?.token ?? 'damaged'}`;
  if (!createFileAtomic(breaker, dirname(file), [Buffer.from(ownerText())])) {
    // Another process is taking over; if it was killed doing so, clear its break file for the next try.
    const found = readLock(breaker);
    if (found && isStaleFound(found, true, DEFAULT_LEASE_MS) && readText(breaker) === found.text) {
      removeQuietly(breaker);
    }
    return false;
  }
  try {
    if (readText(file) === staleText) unlinkSync(file);
    return true;
  } finally {
    removeQuietly(breaker);
  }
}

/** A lock this process holds. */
export class HeldLock {
  private heartbeat: NodeJS.Timeout | undefined;
  private stopRenewing: (() => void) | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  /**
   * Renews the lock's lease, for waiters on other hosts (on this host none is needed),
   * every third of it: from a timer while the event loop runs, or with `blocking` from a
   * worker thread, for a sync computation that blocks this thread's timers.
   */
  keepAlive(leaseMs: number, { blocking = false } = {}): void {
    if (blocking) {
      this.stopRenewing = renewFromWorker(this.file, leaseMs / 3);
      return;
    }
    this.heartbeat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(this.file, now, now);
      } catch {
        // Taken over or removed: nothing to renew.
      }
    }, leaseMs / 3);
    this.heartbeat.unref();
  }

  /** Removes the lock if it is still this acquisition's. */
  release(): void {
    clearInterval(this.heartbeat);
    this.stopRenewing?.();
    try {
      if (readText(this.file) === this.text) unlinkSync(this.file);
    } catch {
      // Left for the next caller to take over as stale.
    }
  }
}

/**
 * What waiting for a lock ends with: holding it, or the result another process stored
 * meanwhile; `waitedMs` when another process held the lock and this one waited.
 */
export type LockOutcome<T> = (
  { readonly lock: HeldLock; readonly done?: undefined } | { readonly done: T; readonly lock?: undefined }
) & { readonly waitedMs?: number };

type Step<T> = LockOutcome<T> | { readonly waitMs: number };

/** One wait for one lock, advanced a step at a time by a sync or an async loop. */
class LockWait<T> {
  readonly startedAt = Date.now();
  private delay = FIRST_POLL_MS;

  constructor(
    private readonly file: string,
    private readonly dir: string,
    private readonly finished: () => T | undefined,
    private readonly settings: LockSettings,
  ) {}

  step(): Step<T> {
    const result = this.finished();
    if (result !== undefined) return { done: result };
    const text = ownerText();
    if (createFileAtomic(this.file, this.dir, [Buffer.from(text)])) {
      const lock = new HeldLock(this.file, text);
      // The holder may have stored the result and released between our check and our lock.
      const late = this.finished();
      if (late === undefined) return { lock };
      lock.release();
      return { done: late };
    }
    const held = readLock(this.file);
    if (!held) return { waitMs: 0 };
    const { owner } = held;
    if (isStale(owner, held.ageMs, context(this.settings.leaseMs)) && breakLock(this.file, held.text)) {
      return { waitMs: 0 };
    }
    const holder = owner && { pid: owner.pid, host: owner.host };
    if (this.settings.skip) throw new LeaseHeldError(this.file, holder);
    const waited = Date.now() - this.startedAt;
    if (waited >= this.settings.timeoutMs) throw new LockTimeoutError(this.file, holder, waited);
    const waitMs = Math.min(this.delay, this.settings.timeoutMs - waited);
    this.delay = Math.min(this.delay * 2, MAX_POLL_MS);
    return { waitMs };
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Takes the lock `file` (in `dir`) or, if another process holds it, waits — blocking the
 * thread — until `finished` returns the result it stored, or the lock is free or stale.
 * Throws {@link LockTimeoutError} after `settings.timeoutMs`.
 */
export function acquireLockSync<T>(
  file: string,
  dir: string,
  finished: () => T | undefined,
  settings: LockSettings,
): LockOutcome<T> {
  const wait = new LockWait(file, dir, finished, settings);
  for (let waited = false; ; waited = true) {
    const step = wait.step();
    if (!('waitMs' in step)) return waited ? { ...step, waitedMs: Date.now() - wait.startedAt } : step;
    if (step.waitMs > 0) Atomics.wait(sleeper, 0, 0, step.waitMs);
  }
}

/** {@link acquireLockSync} for async functions: waits without blocking the event loop. */
export async function acquireLock<T>(
  file: string,
  dir: string,
  finished: () => T | undefined,
  settings: LockSettings,
): Promise<LockOutcome<T>> {
  const wait = new LockWait(file, dir, finished, settings);
  for (let waited = false; ; waited = true) {
    const step = wait.step();
    if (!('waitMs' in step)) return waited ? { ...step, waitedMs: Date.now() - wait.startedAt } : step;
    await sleep(step.waitMs);
  }
}
