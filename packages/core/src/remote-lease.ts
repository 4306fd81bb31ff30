/**
 * Compute-once across machines (the `lock` option with a remote): before computing a call
 * missing everywhere, a process takes the call's lease on the remote; the others wait and
 * read the result it writes through, or with `lock: 'skip'` move on at once. A lease names
 * its holder and lapses unless renewed; the remote's server judges when it has lapsed, so
 * machines' clocks never matter, and a lapsed lease (its holder killed) is taken over.
 *
 * Core knows leases only through {@link RemoteStore.lease}: `@funes/sync` implements them
 * with S3 conditional writes or, for servers without them, Redis. Renewal runs in the
 * lease-renewal worker thread, so a computation that blocks this thread (a sync loop in an
 * async function) still keeps its lease.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseHeldError, LockTimeoutError } from './errors.js';
import { renewLeaseFromWorker, type LeaseLoss } from './lease-renewal.js';

export type { LeaseLoss } from './lease-renewal.js';

/** Who holds a lease. */
export interface LeaseHolder {
  readonly host: string;
  readonly pid: number;
}

/**
 * How a worker thread renews a lease: `module` (a URL) exports
 * `renewLease(state): Promise<boolean>`, false once the lease is lost.
 */
export interface LeaseRenewal {
  readonly module: string;
  readonly state: unknown;
}

/** A lease this process holds. */
export interface HeldLease {
  /** How the lease is renewed; none for a lease that needs no renewal. */
  readonly renewal?: LeaseRenewal;
  /**
   * Gives the lease up, so a waiter may take it at once (a result stored meanwhile is read
   * instead). Resolves whether the lease was still this process's: false when it had lapsed
   * and another process may have taken it over.
   */
  release(): Promise<boolean>;
}

/** What an attempt to take a lease found: the lease, or the live lease of another process. */
export type LeaseAttempt =
  | { readonly lease: HeldLease; readonly heldBy?: undefined }
  | { readonly heldBy: LeaseHolder; readonly lease?: undefined };

/** How a call waits for a lease. */
export interface LeaseSettings {
  /** How long a lease lasts without renewal; renewed every third of it. */
  readonly ttlMs: number;
  /** Longest wait for a live holder, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether a call whose lease another holds fails at once with {@link LeaseHeldError} instead of waiting. */
  readonly skip: boolean;
}

/** Remote polls start at this and back off to the maximum: each is a request to the server. */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;

/** What {@link computeOnce} does with a call. */
export interface LeasedCall<T> {
  /** What the call is, for messages: its remote key. */
  readonly what: string;
  /** Takes (or finds taken) the call's lease. */
  lease(ttlMs: number): Promise<LeaseAttempt>;
  /** The call's result on the remote, if it is there. */
  read(): Promise<T | undefined>;
  /** Computes the call and sends its result to the remote, resolving once it is there. */
  compute(): Promise<T>;
  /** Hears that the lease held while computing was lost (at most once per call for `lapsed`). */
  lost(loss: LeaseLoss): void;
}

/**
 * Reads the call's result from the remote, else computes it under its lease, else waits
 * for the holder's result (or its lease to lapse). Throws {@link LeaseHeldError} with
 * `skip`, and {@link LockTimeoutError} after `timeoutMs` of waiting.
 */
export async function computeOnce<T>(call: LeasedCall<T>, settings: LeaseSettings): Promise<T> {
  const startedAt = Date.now();
  let delay = FIRST_POLL_MS;
  for (;;) {
    const found = await call.read();
    if (found !== undefined) return found;
    const attempt = await call.lease(settings.ttlMs);
    if (attempt.lease) {
      const outcome = await computeHolding(call, attempt.lease, settings);
      if (outcome) return outcome.value;
      // It lapsed before its renewal could start, and may be another process's: wait as for any holder.
    } else if (settings.skip) {
      throw new LeaseHeldError(call.what, attempt.heldBy);
    }
    const waited = Date.now() - startedAt;
    if (waited >= settings.timeoutMs) throw new LockTimeoutError(call.what, attempt.heldBy, waited);
    await sleep(Math.min(delay, settings.timeoutMs - waited));
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
}

/**
 * Computes under a held lease, once its first renewal has kept it: the renewer's start-up
 * (a worker thread loading the remote's client) can outlast a short lease, and a lease
 * that lapsed meanwhile may be another process's (undefined is returned: nothing was
 * computed). A lease lost later (renewals refused, or the lease lapsed and another process
 * took it over) does not stop the computation: its result is returned and stored here,
 * and on the remote only if no other holder stored one first (remote writes are
 * create-only). The loss is reported as the renewer finds it, or at the latest by the
 * release, which tells whether the lease was still this process's.
 */
async function computeHolding<T>(
  call: LeasedCall<T>,
  lease: HeldLease,
  settings: LeaseSettings,
): Promise<{ value: T } | undefined> {
  let lapsed = false;
  let computing = false;
  const lost = (loss: LeaseLoss) => {
    if (loss.kind === 'lapsed') {
      if (lapsed) return;
      lapsed = true;
    }
    call.lost(loss);
  };
  const renewing = lease.renewal && renewLeaseFromWorker(lease.renewal, settings.ttlMs / 3, lost);
  try {
    // The previous holder may have stored the result and released between our read and our lease.
    const [found, first] = await Promise.all([call.read(), renewing?.first]);
    if (found !== undefined) return { value: found };
    if (first === 'lapsed') return undefined;
    computing = true;
    return { value: await call.compute() };
  } finally {
    renewing?.stop();
    // A release that fails says nothing either way: the lease lapses by itself.
    const released = await lease.release().catch(() => true);
    if (!released && computing) lost({ kind: 'lapsed' });
  }
}
