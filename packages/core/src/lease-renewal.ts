/**
 * Renewing lock leases while the thread that holds them is blocked. A sync function
 * computing under a lock blocks the event loop, so no timer of this thread can touch its
 * lock file; one worker thread per process does it instead, for every lease it is given:
 * local lock files (touched) and leases on a remote (renewed by the module that made them,
 * loaded into the worker, see remote-lease.ts).
 */
import { Worker } from 'node:worker_threads';

/**
 * The worker, as source: every `everyMs` until told to stop, it touches each file it is
 * given, or calls `renewLease(state)` of each lease's module (one renewal at a time per
 * lease). A lease is also renewed at once, and its first successful renewal reported back
 * (`renewed`): its holder waits for that before computing, since loading the module and
 * connecting can take longer than a short lease. A lease found lost (`renewLease` resolved
 * false) stops being renewed and is reported back; a renewal that fails (the server
 * refuses or cannot be reached) is reported once and tried again. Inline so that it runs
 * the same from the built package and from its sources.
 */
const RENEWER = `
const { parentPort } = require('node:worker_threads');
const { utimesSync } = require('node:fs');
const timers = new Map();
function stop(id) {
  clearInterval(timers.get(id));
  timers.delete(id);
}
function leaseRenewer(id, { module, state }) {
  const loading = import(module);
  let busy = false;
  let refused = false;
  let renewed = false;
  return () => {
    if (busy) return;
    busy = true;
    loading
      .then((m) => m.renewLease(state))
      .then(
        (held) => {
          if (!timers.has(id)) return;
          if (held) {
            if (!renewed) parentPort.postMessage({ id, renewed: true });
            renewed = true;
            return;
          }
          stop(id);
          parentPort.postMessage({ id, loss: { kind: 'lapsed' } });
        },
        (error) => {
          if (refused || !timers.has(id)) return;
          refused = true;
          const code = typeof error?.code === 'string' ? error.code : 'EREMOTE';
          parentPort.postMessage({ id, loss: { kind: 'refused', code, detail: String(error?.message ?? error) } });
        },
      )
      .finally(() => { busy = false; });
  };
}
parentPort.on('message', ({ id, file, renewal, everyMs }) => {
  stop(id);
  if (file === undefined && renewal === undefined) return;
  const renew = file !== undefined ? () => {
    const now = new Date();
    try { utimesSync(file, now, now); } catch {}
  } : leaseRenewer(id, renewal);
  timers.set(id, setInterval(renew, everyMs));
  if (renewal !== undefined) renew();
});
`;

/**
 * How a lease renewed from the worker was lost: it `lapsed` (its renewal found it no
 * longer this process's: another took it over, or it expired), or a renewal was
 * `refused` (the server answered with an error or could not be reached), after which
 * it may lapse.
 */
export type LeaseLoss =
  { readonly kind: 'lapsed' } | { readonly kind: 'refused'; readonly code: string; readonly detail: string };

/**
 * What the first renewal of a lease found, which its holder awaits before computing: the
 * lease is `held`; it `lapsed` before the renewer could start (another process may hold it
 * now); or `unknown` (the renewal failed, or no worker renews leases: the lease may lapse).
 */
export type FirstRenewal = 'held' | 'lapsed' | 'unknown';

/** A lease renewed from the worker. */
export interface LeaseRenewing {
  /** Settles once the lease's first renewal has been tried; never rejects. */
  readonly first: Promise<FirstRenewal>;
  /** Stops renewing it. */
  stop(): void;
}

let renewer: Worker | undefined;
let leases = 0;
/** What a lease renewed from the worker is told: its first renewal (until settled), then its losses. */
interface LeaseListener {
  first?: (outcome: FirstRenewal) => void;
  readonly lost: (loss: LeaseLoss) => void;
}

/** Each lease renewed from the worker's listener, by renewal id. */
const listeners = new Map<number, LeaseListener>();

/** How many holders await a first renewal: the worker keeps the process alive meanwhile, as a request would. */
let awaited = 0;

/** A lease's first renewal is settled: `outcome` is passed on, once. */
function settleFirst(listener: LeaseListener, outcome: FirstRenewal): void {
  if (!listener.first) return;
  listener.first(outcome);
  listener.first = undefined;
  if (--awaited === 0) renewer?.unref();
}

/** Passes a message of the worker to the lease it is about: the first renewal's outcome, then any loss. */
function heard(id: number, message: { renewed?: true; loss?: LeaseLoss }): void {
  const listener = listeners.get(id);
  if (!listener) return;
  const first = listener.first && ((outcome: FirstRenewal) => settleFirst(listener, outcome));
  if (message.renewed) {
    first?.('held');
  } else if (message.loss?.kind === 'lapsed' && first) {
    // Lost before its holder computed anything: nothing to warn of, the holder waits again.
    first('lapsed');
  } else if (message.loss) {
    first?.('unknown');
    listener.lost(message.loss);
  }
}

function startRenewer(): Worker | undefined {
  try {
    const worker = new Worker(RENEWER, { eval: true, stdout: false, stderr: false });
    worker.on('error', () => {
      if (renewer === worker) renewer = undefined;
      // A dead worker renews nothing: the holders waiting on it go on without.
      for (const listener of listeners.values()) settleFirst(listener, 'unknown');
    });
    worker.on('message', ({ id, ...message }: { id: number; renewed?: true; loss?: LeaseLoss }) => heard(id, message));
    // It must never keep the process alive, nor fail it: without it, leases simply lapse.
    // Unreferenced after the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}

/**
 * Touches `file` every `everyMs` from a worker thread, so that its mtime stays fresh while
 * this thread is blocked; returns the function that stops it. The worker starts at the
 * first call (on another core) and stays for the process.
 */
export function renewFromWorker(file: string, everyMs: number): () => void {
  const worker = (renewer ??= startRenewer());
  if (!worker) return () => {};
  const id = ++leases;
  worker.postMessage({ id, file, everyMs });
  return () => worker.postMessage({ id });
}

/**
 * Renews a lease on a remote from the worker thread (see remote-lease.ts): at once, then
 * every `everyMs`. `lost` hears of each {@link LeaseLoss} after the first renewal (as soon
 * as this thread is free to); a lease that lapsed before it is told by `first` alone.
 */
export function renewLeaseFromWorker(
  renewal: { readonly module: string; readonly state: unknown },
  everyMs: number,
  lost: (loss: LeaseLoss) => void,
): LeaseRenewing {
  const worker = (renewer ??= startRenewer());
  if (!worker) return { first: Promise.resolve('unknown'), stop: () => {} };
  const id = ++leases;
  const listener: LeaseListener = { lost };
  const first = new Promise<FirstRenewal>((resolve) => (listener.first = resolve));
  listeners.set(id, listener);
  if (awaited++ === 0) worker.ref();
  worker.postMessage({ id, renewal, everyMs });
  return {
    first,
    stop: () => {
      settleFirst(listener, 'unknown');
      listeners.delete(id);
      worker.postMessage({ id });
    },
  };
}
