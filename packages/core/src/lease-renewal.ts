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
 * lease). A lease found lost (`renewLease` resolved false) stops being renewed and is
 * reported back; a renewal that fails (the server refuses or cannot be reached) is
 * reported once and tried again. Inline so that it runs the same from the built package
 * and from its sources.
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
  return () => {
    if (busy) return;
    busy = true;
    loading
      .then((m) => m.renewLease(state))
      .then(
        (held) => {
          if (held || !timers.has(id)) return;
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

let renewer: Worker | undefined;
let leases = 0;
/** Who is told when a lease renewed from the worker is lost, by renewal id. */
const onLoss = new Map<number, (loss: LeaseLoss) => void>();

function startRenewer(): Worker | undefined {
  try {
    const worker = new Worker(RENEWER, { eval: true, stdout: false, stderr: false });
    worker.on('error', () => {
      if (renewer === worker) renewer = undefined;
    });
    worker.on('message', ({ id, loss }: { id: number; loss: LeaseLoss }) => onLoss.get(id)?.(loss));
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
  return startRenewal({ file, everyMs });
}

/**
 * Renews a lease on a remote every `everyMs` from the worker thread (see remote-lease.ts);
 * `lost` hears of each {@link LeaseLoss} (as soon as this thread is free to). Returns the
 * function that stops it.
 */
export function renewLeaseFromWorker(
  renewal: { readonly module: string; readonly state: unknown },
  everyMs: number,
  lost: (loss: LeaseLoss) => void,
): () => void {
  return startRenewal({ renewal, everyMs }, lost);
}

function startRenewal(
  task: { file?: string; renewal?: unknown; everyMs: number },
  lost?: (loss: LeaseLoss) => void,
): () => void {
  renewer ??= startRenewer();
  const worker = renewer;
  if (!worker) return () => {};
  const id = ++leases;
  if (lost) onLoss.set(id, lost);
  worker.postMessage({ id, ...task });
  return () => {
    onLoss.delete(id);
    worker.postMessage({ id });
  };
}
