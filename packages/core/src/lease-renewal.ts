/**
 * Renewing lock leases while the thread that holds them is blocked. A sync function
 * computing under a lock blocks the event loop, so no timer of this thread can touch its
 * lock file; one worker thread per process does it instead, for every lease it is given.
 */
import { Worker } from 'node:worker_threads';

/**
 * The worker, as source: it touches each file it is given every `everyMs` until told to
 * stop. Inline so that it runs the same from the built package and from its sources.
 */
const RENEWER = `
const { parentPort } = require('node:worker_threads');
const { utimesSync } = require('node:fs');
const timers = new Map();
parentPort.on('message', ({ id, file, everyMs }) => {
  clearInterval(timers.get(id));
  timers.delete(id);
  if (file === undefined) return;
  timers.set(id, setInterval(() => {
    const now = new Date();
    try { utimesSync(file, now, now); } catch {}
  }, everyMs));
});
`;

let renewer: Worker | undefined;
let leases = 0;

function startRenewer(): Worker | undefined {
  try {
    const worker = new Worker(RENEWER, { eval: true, stdout: false, stderr: false });
    // It must never keep the process alive, nor fail it: without it, leases lapse as they did before.
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
 * first call (≈ 30 ms on another core) and stays for the process.
 */
export function renewFromWorker(file: string, everyMs: number): () => void {
  renewer ??= startRenewer();
  const worker = renewer;
  if (!worker) return () => {};
  const id = ++leases;
  worker.postMessage({ id, file, everyMs });
  return () => worker.postMessage({ id });
}
