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
 * lease). Inline so that it runs the same from the built package and from its sources.
 */
const RENEWER = `
const { parentPort } = require('node:worker_threads');
const { utimesSync } = require('node:fs');
const timers = new Map();
function leaseRenewer({ module, state }) {
  const loading = import(module);
  let busy = false;
  return () => {
    if (busy) return;
    busy = true;
    loading.then((m) => m.renewLease(state)).catch(() => true).finally(() => { busy = false; });
  };
}
parentPort.on('message', ({ id, file, renewal, everyMs }) => {
  clearInterval(timers.get(id));
  timers.delete(id);
  if (file === undefined && renewal === undefined) return;
  const renew = file !== undefined ? () => {
    const now = new Date();
    try { utimesSync(file, now, now); } catch {}
  } : leaseRenewer(renewal);
  timers.set(id, setInterval(renew, everyMs));
});
`;

let renewer: Worker | undefined;
let leases = 0;

function startRenewer(): Worker | undefined {
  try {
    const worker = new Worker(RENEWER, { eval: true, stdout: false, stderr: false });
    // It must never keep the process alive, nor fail it: without it, a blocked thread's leases lapse.
    worker.unref();
    worker.on('error', () => {
      if (renewer === worker) renewer = undefined;
    });
    return worker;
  } catch {
    return undefined;
  }
}

/**
 * Touches `file` every `everyMs` from a worker thread, so that its mtime stays fresh while
 * this thread is blocked; returns the function that stops it. The worker starts at the
 * first call (its start-up runs on another core) and stays for the process.
 */
export function renewFromWorker(file: string, everyMs: number): () => void {
  return startRenewal({ file, everyMs });
}

/** Renews a lease on a remote every `everyMs` from the worker thread (see remote-lease.ts); returns the function that stops it. */
export function renewLeaseFromWorker(renewal: { readonly module: string; readonly state: unknown }, everyMs: number): () => void {
  return startRenewal({ renewal, everyMs });
}

function startRenewal(task: { file?: string; renewal?: unknown; everyMs: number }): () => void {
  renewer ??= startRenewer();
  const worker = renewer;
  if (!worker) return () => {};
  const id = ++leases;
  worker.postMessage({ id, ...task });
  return () => worker.postMessage({ id });
}
