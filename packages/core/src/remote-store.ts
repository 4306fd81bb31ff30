/**
 * Live sharing: a cache directory backed by a remote store that several processes (or
 * machines) share. On a local miss, an `async` function's call is looked up on the
 * remote before it is computed (read-through); every result stored locally is also
 * sent to the remote in the background (write-through), and pending sends are
 * flushed before the process exits. The remote holds the cache's own layout and
 * bytes, keyed `<function-dir>/<definition-hash>/<file>`.
 *
 * Core knows only the {@link RemoteStore} interface. A remote given by name or URL
 * (the `remote` option, or `FUNES_REMOTE`) is opened by `@funes/sync`, imported only
 * then, so caches without remotes never load it. A failing remote never fails a call:
 * it is reported (once per cause) and the local result stands. A remote object in format 1,
 * which carries no address, is never read through: `funes pull --accept-format-1` takes it.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FunesError, NoLeaseError } from './errors.js';
import { decodeRecord, type CachedRecord } from './record.js';
import { isUnaddressed } from './object-format.js';
import { report, type EventListener } from './events.js';
import { isFunctionDirName, isHash, isProjectUsedFile, METADATA_FILE, projectUsedFile } from './layout.js';
import type { VersionStore } from './store.js';
import { computeOnce, type LeaseAttempt, type LeaseLoss, type LeaseSettings } from './remote-lease.js';
import { parseFailure, type FailureRecord } from './failure-record.js';
import { readRegularFile } from './regular-file.js';

/**
 * Where live-shared results live. Keys are cache-relative paths,
 * `<function-dir>/<definition-hash>/<argument-hash>` or `…/definition.json`; values
 * are the files' bytes, exactly as in a cache directory. `@funes/sync`'s
 * `openRemoteStore` makes one for an S3-compatible bucket.
 */
export interface RemoteStore {
  /** How the remote is named in warnings, e.g. `s3://bucket/prefix`. */
  readonly name: string;
  /**
   * The bytes under a key; undefined when there are none; rejects when the remote fails,
   * or with an error whose `code` is `EUNSIGNED` for an object refused by its signature
   * (one object refused: the remote stays in use).
   */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * Stores bytes under a key unless the key holds an object already: results on a remote
   * are immutable, the first writer wins. Rejects when the remote fails.
   */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Pull and read through only: nothing is written to it. @default false */
  readonly readOnly?: boolean;
  /**
   * Takes the compute-once lease of a key (for the `lock` option), or finds the live lease
   * of another process; a lapsed one is taken over. Rejects with `ENOLEASE` when this remote
   * cannot hold leases. Absent: the remote has no leases.
   */
  lease?(key: string, ttlMs: number): Promise<LeaseAttempt>;
  /**
   * Removes objects outside the cache layout (a call's failure records, once it has
   * succeeded); a key already gone is fine. Rejects when the remote fails. Absent: failure
   * records stay.
   */
  remove?(keys: readonly string[]): Promise<void>;
  /**
   * Writes a project's use marker of a version (a small object outside the cache layout),
   * replacing the one there: the time the server gives it is the project's last use, which
   * `funes gc --remote` keeps the version for. Rejects when the remote fails. Absent: the
   * remote records no use, and `gc --remote` keeps the most recently written version of each function.
   */
  markUsed?(key: string, bytes: Uint8Array): Promise<void>;
}

/** The `remote` option: a store, a configured remote's name or an `s3://` URL, or `false` to ignore `FUNES_REMOTE`. */
export type RemoteOption = RemoteStore | string | false;

/** What a read-through found: the verified record and its bytes, to keep locally. */
export interface RemoteHit {
  readonly record: CachedRecord;
  readonly bytes: Uint8Array;
}

/** The cache-relative key of a file in a version directory: the same path on disk and on the remote. */
function remoteKey(version: VersionStore, file: string): string {
  return `${version.functionDir}/${version.definitionHash}/${file}`;
}

/** Where failure records live under a remote's prefix: outside the cache layout, so never pulled. */
export const REMOTE_FAILURES_DIR = '.funes/failures';

/** The remote key of a call's `attempt`-th failure record. */
function failureKey(version: VersionStore, argumentHash: string, attempt: number): string {
  return `${REMOTE_FAILURES_DIR}/${remoteKey(version, argumentHash)}/${attempt}`;
}

/**
 * Where projects' use markers live under a remote's prefix, one per version and project
 * directory: `.funes/used/<function-dir>/<definition-hash>/.used-<16 hex>`, named as the
 * local marker; outside the cache layout, so never pulled.
 */
export const REMOTE_USED_DIR = '.funes/used';

/** A project's use marker on a remote, as {@link remoteUseKey} names it. */
export interface RemoteUse {
  readonly functionDir: string;
  readonly definitionHash: string;
  /** The marker's name, `.used-<16 hex>`: one per project directory. */
  readonly marker: string;
}

/**
 * The name of a project directory's use marker on a remote: the machine's host name counts with the path, since
 * machines sharing a remote may hold different code at one path (`/workspaces/app` in every dev container), and each
 * keeps the version its own code uses. A local cache's marker names the path alone (see `projectUsedFile`).
 */
export function remoteProjectMarker(projectDir: string): string {
  return projectUsedFile(`${hostname()}\0${projectDir}`);
}

/** The remote key of a project directory's use marker of a version. */
export function remoteUseKey(use: RemoteUse): string {
  return `${REMOTE_USED_DIR}/${use.functionDir}/${use.definitionHash}/${use.marker}`;
}

/** What a remote key names when it is a project's use marker; undefined for any other key. */
export function parseRemoteUseKey(key: string): RemoteUse | undefined {
  if (!key.startsWith(`${REMOTE_USED_DIR}/`)) return undefined;
  const [functionDir, definitionHash, marker, ...rest] = key.slice(REMOTE_USED_DIR.length + 1).split('/');
  if (rest.length > 0 || marker === undefined || !isFunctionDirName(functionDir) || !isHash(definitionHash)) {
    return undefined;
  }
  return isProjectUsedFile(marker) ? { functionDir, definitionHash, marker } : undefined;
}

/**
 * How often a process marks a version it keeps using on the remote: each marking is a
 * request, and `gc --remote` judges use in days.
 */
const REMOTE_USE_MARK_INTERVAL_MS = 3_600_000;

/** How long reads are skipped after a failed one. */
const READ_PAUSE_MS = 60_000;

/** Sends not yet finished, across all remotes, so exit can wait for them. */
const pending = new Set<Promise<void>>();
let flushOnExit = false;

/**
 * Waits until every result written through to a remote so far has been sent (or has
 * failed and been reported). Runs by itself when the event loop empties; call it
 * before `process.exit()`, which skips that.
 */
export async function flushRemoteWrites(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

function track(send: Promise<void>): void {
  pending.add(send);
  void send.finally(() => pending.delete(send));
  if (!flushOnExit) {
    flushOnExit = true;
    // `beforeExit` fires again after the flush's own work, and then finds nothing pending.
    process.on('beforeExit', () => {
      if (pending.size > 0) void flushRemoteWrites();
    });
  }
}

/**
 * Opens a remote by name or URL through `@funes/sync` (core's
 * optional peer dependency), loaded on the first such remote.
 */
async function openByName(spec: string, cacheDir: string): Promise<RemoteStore> {
  let sync: typeof import('./sync-peer.js');
  try {
    sync = await import('@funes/sync');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new FunesError('ENOSYNC', 'remotes given by name or URL are opened by @funes/sync, which is not installed', {
      hint: 'npm install @funes/sync',
      cause: error,
    });
  }
  return sync.openRemoteStore(spec, { cacheDir });
}

/** One cache directory's link to its remote, shared by every function using the same remote. */
export class RemoteLink {
  private opened: Promise<RemoteStore | undefined> | undefined;
  /** Version directories whose metadata this link has sent. */
  private readonly versionsSent = new Set<string>();
  /** Until when reads are skipped after one failed: a dead endpoint then costs one timeout, not one per call. */
  private readsPausedUntil = 0;
  /** Sends under way, by key, for a lease holder to wait on before giving its lease up. */
  private readonly sending = new Map<string, Promise<void>>();
  /** When this process last marked each version used on the remote, by version directory. */
  private readonly markedAt = new Map<string, number>();

  constructor(
    private readonly spec: RemoteStore | string,
    private readonly cacheDir: string,
  ) {}

  /** The remote's name or URL, as given. */
  get label(): string {
    return typeof this.spec === 'string' ? this.spec : this.spec.name;
  }

  private failed(error: unknown, doing: string, listener: EventListener | undefined): void {
    const cause =
      typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'EREMOTE';
    const detail = error instanceof Error ? error.message : String(error);
    const hint = (error as { hint?: unknown })?.hint;
    report(
      {
        type: 'remote-failed',
        code: 'EREMOTESHARE',
        cause,
        remote: this.label,
        message: `remote ${this.label}: ${doing} failed (${cause}: ${detail}); ` +
            `results are computed and kept locally${typeof hint === 'string' ? ` — ${hint}` : ''}`,
      },
      listener,
      `remote:${cause}:${this.label}:${doing}`,
    );
  }

  private store(listener: EventListener | undefined): Promise<RemoteStore | undefined> {
    this.opened ??= typeof this.spec === 'string' ? openByName(this.spec, this.cacheDir) : Promise.resolve(this.spec);
    return this.opened.catch((error) => {
      this.failed(error, 'opening', listener);
      return undefined;
    });
  }

  /**
   * The verified record stored remotely under `key`; undefined when absent, damaged or unreachable (reported).
   * Skipped while reads are paused after a failed one, unless `evenIfPaused`.
   */
  async read(
    version: VersionStore,
    argumentHash: string,
    listener: EventListener | undefined,
    evenIfPaused = false,
  ): Promise<RemoteHit | undefined> {
    const key = remoteKey(version, argumentHash);
    const store = await this.store(listener);
    if (!store || (!evenIfPaused && Date.now() < this.readsPausedUntil)) return undefined;
    this.markUsed(version, listener);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await store.get(key);
    } catch (error) {
      if ((error as { code?: unknown })?.code !== 'EUNSIGNED') this.readsPausedUntil = Date.now() + READ_PAUSE_MS;
      this.failed(error, 'reading', listener);
      return undefined;
    }
    if (bytes === undefined) return undefined;
    const decoded = decodeRecord(bytes, { definitionHash: version.definitionHash, argumentHash });
    if (!decoded.ok) {
      const damaged = new FunesError('EINTEGRITY', `${key} is damaged (${decoded.reason})`, {
        hint:
          'writes never replace it: delete it with `funes verify --remote --sample 0 --fix`, then `funes push` ' +
              'from a machine that holds the result',
      });
      this.failed(damaged, 'reading', listener);
      return undefined;
    }
    if (isUnaddressed(bytes)) {
      const unaddressed = new FunesError('EUNADDRESSED', `${key} is in format 1, which carries no address`, {
        hint:
          "nothing shows it is this call's result rather than another's copied there: if you trust the remote's " +
              'writers, bring such objects in with `funes pull --accept-format-1`',
      });
      this.failed(unaddressed, 'reading', listener);
      return undefined;
    }
    return { record: decoded.record, bytes };
  }

  /**
   * Sends a stored object (and, the first time per version, the local metadata file) in the
   * background; failures are reported, never thrown.
   */
  write(
    version: VersionStore,
    argumentHash: string,
    parts: readonly Uint8Array[],
    listener: EventListener | undefined,
  ): void {
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const key = remoteKey(version, argumentHash);
    const firstOfVersion = !this.versionsSent.has(version.dir);
    this.versionsSent.add(version.dir);
    this.markUsed(version, listener);
    const send = async () => {
      const store = await this.store(listener);
      if (!store || store.readOnly) return;
      try {
        // The local definition.json, written before the first
        // object, so the remote stays a cache that describes itself.
        if (firstOfVersion) {
          try {
            await store.put(remoteKey(version, METADATA_FILE), readRegularFile(join(version.dir, METADATA_FILE)));
          } catch (error) {
            // The version's next write sends it again: its objects alone would make a version that
            // pulled caches find without its description, never current.
            this.versionsSent.delete(version.dir);
            throw error;
          }
        }
        await store.put(key, bytes);
      } catch (error) {
        this.failed(error, 'writing', listener);
      }
    };
    const sending = send();
    this.sending.set(key, sending);
    void sending.finally(() => this.sending.get(key) === sending && this.sending.delete(key));
    track(sending);
  }

  /**
   * Marks the version used by its project directory on the remote, in the background, when
   * this process reads from or writes to the remote for it: the first time, and again at most
   * every {@link REMOTE_USE_MARK_INTERVAL_MS}. A process whose calls all hit locally does not
   * reach the remote at all (offline, it never waits for it); `funes push` sends the markers of
   * each project's current version. Nothing without a project directory, or on a read-only
   * remote; failures are reported, never thrown.
   */
  private markUsed(version: VersionStore, listener: EventListener | undefined): void {
    const { projectDir } = version;
    if (projectDir === undefined) return;
    const now = Date.now();
    const last = this.markedAt.get(version.dir);
    if (last !== undefined && now - last < REMOTE_USE_MARK_INTERVAL_MS) return;
    this.markedAt.set(version.dir, now);
    const key = remoteUseKey({
      functionDir: version.functionDir,
      definitionHash: version.definitionHash,
      marker: remoteProjectMarker(projectDir),
    });
    const mark = async () => {
      const store = await this.store(listener);
      if (!store || store.readOnly || !store.markUsed) return;
      // A write like the results' own: one warning per cause covers both.
      await store.markUsed(key, Buffer.from(projectDir)).catch((error) => this.failed(error, 'writing', listener));
    };
    track(mark());
  }

  /**
   * What the remote knows of a call's failures: the last of its attempt objects
   * (`.funes/failures/<key>/<n>`, counted up to `upTo`), with `attempts` as counted. A
   * failing remote knows nothing (reported).
   */
  async failures(
    version: VersionStore,
    argumentHash: string,
    upTo: number,
    listener: EventListener | undefined,
  ): Promise<FailureRecord | undefined> {
    const store = await this.store(listener);
    if (!store) return undefined;
    let last: FailureRecord | undefined;
    for (let attempt = 1; attempt <= upTo; attempt++) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await store.get(failureKey(version, argumentHash, attempt));
      } catch (error) {
        this.failed(error, 'reading failures', listener);
        break;
      }
      const record = bytes && parseFailure(Buffer.from(bytes).toString('utf8'));
      if (!record) break;
      last = { ...record, attempts: attempt };
    }
    return last;
  }

  /**
   * Removes, in the background, a call's failure records `1 … attempts` once it has
   * succeeded (never from a read-only remote), so a call that works is not refused later
   * for failures it has left behind; `attempts` undefined: as many as the remote counts,
   * up to `upTo`. Failures are reported, never thrown.
   */
  forgetFailures(
    version: VersionStore,
    argumentHash: string,
    attempts: number | undefined,
    upTo: number,
    listener: EventListener | undefined,
  ): void {
    const forget = async () => {
      const store = await this.store(listener);
      if (!store || store.readOnly || !store.remove) return;
      const count = attempts ?? (await this.failures(version, argumentHash, upTo, listener))?.attempts ?? 0;
      if (count === 0) return;
      const keys = Array.from({ length: count }, (_, i) => failureKey(version, argumentHash, i + 1));
      await store.remove(keys).catch((error) => this.failed(error, 'removing failures', listener));
    };
    track(forget());
  }

  /** Sends a failed attempt's record in the background (never to a read-only remote). */
  recordFailure(
    version: VersionStore,
    argumentHash: string,
    record: FailureRecord,
    listener: EventListener | undefined,
  ): void {
    const send = async () => {
      const store = await this.store(listener);
      if (!store || store.readOnly) return;
      await store
        .put(failureKey(version, argumentHash, record.attempts), Buffer.from(`${JSON.stringify(record)}\n`))
        .catch((error) => this.failed(error, 'writing failures', listener));
    };
    track(send());
  }

  private leaseLost(key: string, loss: LeaseLoss, listener: EventListener | undefined): void {
    const outcome = 'this result is returned and kept here; the remote keeps whichever result was stored first';
    const message =
      loss.kind === 'lapsed'
        ? `remote ${this.label}: the lease of ${key} lapsed while it was computed here, ` +
            `and another process may have computed it too; ${outcome}`
        : `remote ${this.label}: renewing the lease of ${key} failed (${loss.code}: ${loss.detail}); ` +
            `if it lapses, another process may compute the call too; ${outcome}`;
    const cause = loss.kind === 'lapsed' ? 'lapsed' : loss.code;
    report(
      { type: 'lease-lost', code: 'ELEASELOST', cause, remote: this.label, key, message },
      listener,
      `lease:${cause}:${this.label}:${key}`,
    );
  }

  /**
   * Computes a call once across every process sharing this remote (see remote-lease.ts):
   * `hit` keeps a result read from the remote and returns its value (undefined: the result
   * is not wanted, as if absent), `compute` computes and stores here (the
   * write-through is awaited before the lease goes). A remote that cannot be opened or
   * fails is reported and the call computed here, as without the lock; one that cannot
   * hold leases fails the call (`ENOLEASE`): computing anyway would duplicate work.
   */
  async computeOnce(
    version: VersionStore,
    argumentHash: string,
    settings: LeaseSettings,
    call: { hit(hit: RemoteHit): { value: unknown } | undefined; compute(): unknown },
    listener: EventListener | undefined,
  ): Promise<unknown> {
    const key = remoteKey(version, argumentHash);
    const store = await this.store(listener);
    if (!store) return call.compute();
    if (store.readOnly || !store.lease) {
      throw new NoLeaseError(this.label, store.readOnly ? 'it is read-only' : 'this RemoteStore has no lease method');
    }
    const lease = store.lease.bind(store);
    // Once a lease request is answered, the call reads the remote for its result even while reads
    // are paused after a failed one: else it would compute again a call another holder stored
    // meanwhile (one it waited for, or skipped with lock: 'skip' and came back to).
    let answered = false;
    // Results are wrapped: a call may return undefined, which is also "not there".
    const result = await computeOnce<{ value: unknown }>(
      {
        what: `${this.label}/${key}`,
        lease: async (ttlMs) => {
          try {
            const attempt = await lease(key, ttlMs);
            answered = true;
            return attempt;
          } catch (error) {
            if (error instanceof FunesError && error.code === 'ENOLEASE') throw error;
            // A failing remote never fails a call: it is computed here, as without a remote.
            this.failed(error, 'leasing', listener);
            return { lease: { release: async () => true } };
          }
        },
        read: async () => {
          const hit = await this.read(version, argumentHash, listener, answered);
          return hit && call.hit(hit);
        },
        compute: async () => {
          const value = await call.compute();
          await this.sending.get(key);
          return { value };
        },
        lost: (loss) => this.leaseLost(key, loss, listener),
      },
      settings,
    );
    return result.value;
  }
}

const namedLinks = new Map<string, RemoteLink>();
const storeLinks = new WeakMap<RemoteStore, RemoteLink>();

/**
 * The remote link for a function's options: the `remote` option, else `FUNES_REMOTE`;
 * undefined when neither names one. Links are shared per remote (and, for one given
 * by name, per cache directory, whose configuration names it), so one process opens
 * each remote once.
 */
export function remoteLinkFor(option: RemoteOption | undefined, cacheDir: string): RemoteLink | undefined {
  const spec = option ?? (process.env.FUNES_REMOTE || undefined);
  if (spec === undefined || spec === false) return undefined;
  if (typeof spec !== 'string') {
    if (!storeLinks.has(spec)) storeLinks.set(spec, new RemoteLink(spec, cacheDir));
    return storeLinks.get(spec);
  }
  const id = `${cacheDir}\0${spec}`;
  if (!namedLinks.has(id)) namedLinks.set(id, new RemoteLink(spec, cacheDir));
  return namedLinks.get(id);
}
