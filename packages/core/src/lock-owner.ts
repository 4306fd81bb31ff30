/**
 * What a lock file says, and when it is stale (pure). A lock file holds one line of JSON:
 *
 * ```json
 * {"pid":4242,"host":"gpu-3","started":"81234567","token":"9f2c…","acquiredAt":"2026-11-25T20:00:00.000Z"}
 * ```
 * `started` is the holder's start time as the kernel counts it (Linux `/proc/<pid>/stat`
 * field 22), so a pid reused by a later process is not mistaken for the holder; null where
 * unknown. `token` is random: it tells this acquisition from any later one of the same key.
 */

/** The process holding a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string | null;
  readonly token: string;
  readonly acquiredAt: string;
}

/** What a probe of a local process id finds. */
export type ProcessState = { readonly alive: false } | { readonly alive: true; readonly started: string | null };

/** How to judge a lock from here. */
export interface StaleContext {
  readonly host: string;
  /** How long a lock of another host stays valid without being touched. */
  readonly leaseMs: number;
  /** Looks up a process of this host. */
  probe(pid: number): ProcessState;
}

export function formatLockOwner(owner: LockOwner): string {
  return `${JSON.stringify(owner)}\n`;
}

/** The owner a lock file's text names; undefined when the text is not a lock (damaged). */
export function parseLockOwner(text: string): LockOwner | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  // A pid of 0 or below would probe a process group, not a process.
  if (
    !Number.isSafeInteger(o.pid) ||
    (o.pid as number) <= 0 ||
    typeof o.host !== 'string' ||
    typeof o.token !== 'string'
  ) {
    return undefined;
  }
  return {
    pid: o.pid as number,
    host: o.host,
    started: typeof o.started === 'string' ? o.started : null,
    token: o.token,
    acquiredAt: typeof o.acquiredAt === 'string' ? o.acquiredAt : '',
  };
}

/**
 * Whether a lock's holder is gone. On this host that is certain from the process table
 * (so a sync function may compute for days without renewing anything); for another host
 * only the lease tells. A lock whose text is damaged is stale: locks are created complete.
 */
export function isStale(owner: LockOwner | undefined, ageMs: number, here: StaleContext): boolean {
  if (!owner) return true;
  if (owner.host !== here.host) return ageMs > here.leaseMs;
  const state = here.probe(owner.pid);
  if (!state.alive) return true;
  return owner.started !== null && state.started !== null && owner.started !== state.started;
}
