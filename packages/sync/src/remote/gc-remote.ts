/**
 * `funes gc --remote`: prunes a remote with the policies of local `gc`, decided by the
 * same planner (`planGc` of @funes/core/cache) fed an inventory built from the remote's
 * listing. A version's "last use" there is when its newest object was written or a project
 * last marked it used (the server's `LastModified` of either; see `RemoteLink.markUsed` in
 * @funes/core and `push`); each project's marker keeps the version it names last, as local
 * markers do. Every age is judged by the server's clock, never this machine's.
 *
 * A version with a live lease (a call being computed under `lock`) is never removed, and
 * a live lease object is never deleted; each version is listed again just before it goes
 * and stays if anything was written to it, marked used or leased in it since. A removed version
 * takes its lapsed lease objects, failure records and use markers with it; its `definition.json` goes last,
 * so a version cut short by a failure still describes itself.
 */
import {
  functionNameOfDir,
  METADATA_FILE,
  parseCachePath,
  parseRemoteUseKey,
  REMOTE_FAILURES_DIR,
  REMOTE_USED_DIR,
} from '@funes/core/internal';
import {
  GONE_PROJECT_HOLD_MS,
  planGc,
  removedVersionOf,
  sizeAfter,
  type CacheProblem,
  type CachedVersion,
  type GcPlan,
  type GcResult,
  type InventoryVersion,
  type LockFileStat,
  type MetadataResult,
  type VersionRemoval,
} from '@funes/core/cache';
import { versionMetadataDefect } from '../entry-check.js';
import { connectRemote } from './connect.js';
import { RemoteReadOnlyError, UnsignedObjectError } from './errors.js';
import { parseLease } from './lease-owner.js';
import { forEachLimited } from './pool.js';
import type { RemoteEntry, S3Remote } from './s3-client.js';
import { LEASES_DIR, s3LeaseLapsed } from './s3-lease.js';

/** How far a server's `Date` may trail the `LastModified` of an object written in the same instant. */
const CLOCK_RESOLUTION_SLACK_MS = 2000;

/** Options of {@link gcRemote}: local gc's policy, measured on the remote. */
export interface RemoteGcOptions {
  readonly cacheDir: string;
  /** A configured remote's name or an `s3://` URL. @default the only remote configured, else `origin` */
  readonly remote?: string;
  /** Most recently used (written or marked) versions kept per function. @default 1 */
  readonly keep?: number;
  /** Nothing written or marked used within this long (by the server's clock) goes. */
  readonly graceMs: number;
  /** Then least recently used versions go until the remote holds at most this many bytes. */
  readonly maxBytes?: number;
  readonly dryRun: boolean;
  /** Requests at once. @default 8 */
  readonly concurrency?: number;
}

/**
 * What {@link gcRemote} did (or would do). Sizes are bytes stored:
 * a remote has no disk blocks, so `diskBytes` equals `bytes`.
 */
export interface RemoteGcResult extends GcResult {
  /** The remote's name (its URL when it was given as one). */
  readonly remote: string;
  readonly url: string;
}

/** One version on the remote, from the listing. */
interface RemoteVersion {
  readonly functionDir: string;
  readonly hash: string;
  /** Its objects and `definition.json`. */
  readonly objects: RemoteEntry[];
  /** Its projects' use markers. */
  readonly uses: RemoteEntry[];
}

/** The versions a listing of the whole prefix holds, and the use markers of versions it does not hold. */
function versionsOf(listing: readonly RemoteEntry[]): { versions: RemoteVersion[]; orphanUses: RemoteEntry[] } {
  const versions = new Map<string, RemoteVersion>();
  const uses = new Map<string, RemoteEntry[]>();
  for (const entry of listing) {
    const use = parseRemoteUseKey(entry.key);
    if (use) {
      const id = `${use.functionDir}/${use.definitionHash}`;
      let marked = uses.get(id);
      if (!marked) uses.set(id, (marked = []));
      marked.push(entry);
      continue;
    }
    const parsed = parseCachePath(entry.key);
    if (!parsed) continue;
    const id = `${parsed.functionDir}/${parsed.definitionHash}`;
    let version = versions.get(id);
    if (!version) {
      version = { functionDir: parsed.functionDir, hash: parsed.definitionHash, objects: [], uses: [] };
      versions.set(id, version);
    }
    version.objects.push(entry);
  }
  const orphanUses: RemoteEntry[] = [];
  for (const [id, entries] of uses) {
    const version = versions.get(id);
    if (version) version.uses.push(...entries);
    else orphanUses.push(...entries);
  }
  return { versions: [...versions.values()], orphanUses };
}

async function metadataOf(remote: S3Remote, version: RemoteVersion): Promise<MetadataResult> {
  const key = `${version.functionDir}/${version.hash}/${METADATA_FILE}`;
  if (!version.objects.some((object) => object.key === key)) return { status: 'missing' };
  let bytes: Uint8Array | undefined;
  try {
    bytes = await remote.get(key);
  } catch (error) {
    if (error instanceof UnsignedObjectError) {
      return { status: 'damaged', file: key, reason: 'unsigned or wrongly signed' };
    }
    throw error;
  }
  if (bytes === undefined) return { status: 'missing' };
  const defect = versionMetadataDefect(bytes, version.functionDir, version.hash);
  if (defect !== undefined) return { status: 'damaged', file: key, reason: defect };
  return { status: 'ok', metadata: JSON.parse(Buffer.from(bytes).toString('utf8')) };
}

const newestOf = (objects: readonly RemoteEntry[]) =>
  objects.reduce((newest, object) => Math.max(newest, object.lastModified), 0);

/** A version as the planner sees it: its newest write stands for its last use, and its live leases for held locks. */
function inventoryOf(
  version: RemoteVersion,
  metadata: MetadataResult,
  leases: readonly LockFileStat[],
): InventoryVersion {
  const known = metadata.status === 'ok' ? metadata.metadata : undefined;
  const newest = Math.max(newestOf(version.objects), newestOf(version.uses));
  const cached: CachedVersion = {
    functionDir: version.functionDir,
    name: known?.name ?? functionNameOfDir(version.functionDir),
    module: known?.module ?? null,
    hash: version.hash,
    dir: `${version.functionDir}/${version.hash}`,
    metadata,
    lastUsedMs: newest,
    usedHereMs: null,
    changedMs: newest,
    createdMs: known ? Date.parse(known.createdAt) : null,
  };
  const metadataSize = version.objects.find((object) => object.key.endsWith(`/${METADATA_FILE}`))?.size ?? 0;
  const entries = version.objects.filter((object) => !object.key.endsWith(`/${METADATA_FILE}`));
  const bytes = entries.reduce((total, object) => total + object.size, 0);
  return {
    version: cached,
    objects: {
      count: entries.length,
      bytes,
      diskBytes: bytes,
      lastWrittenMs: entries.length > 0 ? newestOf(entries) : null,
    },
    temps: [],
    locks: [...leases],
    metadataSize,
    otherDiskBytes: metadataSize,
    lastUsedMs: newest,
    // Which directory a marker names matters not to the plan, and whether it is still there cannot be told
    // from here: each project holds the version it used last for the time a gone one would.
    projectUses: version.uses.map((use) => ({
      marker: use.key.slice(use.key.lastIndexOf('/') + 1),
      dir: null,
      usedMs: use.lastModified,
      present: false,
    })),
  };
}

async function listAll(remote: S3Remote, under: string): Promise<RemoteEntry[]> {
  const entries: RemoteEntry[] = [];
  for await (const entry of remote.list(under)) entries.push(entry);
  return entries;
}

/** A version's lease objects: the live ones (lapsed by the server's clock only when judged so) and every key. */
async function leasesOf(
  remote: S3Remote,
  version: RemoteVersion,
  concurrency: number,
): Promise<{ live: LockFileStat[]; keys: string[] }> {
  const keys = (await listAll(remote, `${LEASES_DIR}/${version.functionDir}/${version.hash}/`)).map(
    (entry) => entry.key,
  );
  const live: LockFileStat[] = [];
  await forEachLimited(keys, concurrency, async (key) => {
    const state = await remote.readState(key);
    if (state && !s3LeaseLapsed(parseLease(state.text), state)) {
      live.push({
        name: key.slice(key.lastIndexOf('/') + 1),
        file: key,
        size: state.text.length,
        mtimeMs: state.lastModified,
      });
    }
  });
  return { live, keys };
}

/**
 * Plans with {@link planGc}, reading the leases of each version it would remove (only
 * those: a finished sweep leaves one lease object per point) and planning again with the
 * live ones as held locks, until no new version is chosen.
 */
async function plan(
  remote: S3Remote,
  versions: readonly RemoteVersion[],
  options: RemoteGcOptions,
  concurrency: number,
  now: number,
): Promise<{ plan: GcPlan; sources: Map<InventoryVersion, RemoteVersion> }> {
  const metadata = new Map<RemoteVersion, MetadataResult>();
  await forEachLimited(
    versions,
    concurrency,
    async (version) => void metadata.set(version, await metadataOf(remote, version)),
  );
  const policy = {
    keep: options.keep ?? 1,
    graceMs: options.graceMs,
    maxDiskBytes: options.maxBytes,
    tempGraceMs: 0,
    now,
    isLive: () => true,
    isStaleLock: () => false,
  };
  const leases = new Map<RemoteVersion, LockFileStat[]>();
  for (;;) {
    const sources = new Map<InventoryVersion, RemoteVersion>();
    for (const version of versions) {
      sources.set(inventoryOf(version, metadata.get(version)!, leases.get(version) ?? []), version);
    }
    const planned = planGc([...sources.keys()], policy);
    const unread = planned.versions
      .map((removal) => sources.get(removal.item)!)
      .filter((version) => !leases.has(version));
    if (unread.length === 0) return { plan: planned, sources };
    await forEachLimited(
      unread,
      concurrency,
      async (version) => void leases.set(version, (await leasesOf(remote, version, concurrency)).live),
    );
  }
}

/**
 * Removes one planned version unless it changed since the listing: an object added or
 * rewritten, or a live lease. Whether it went, or the keys the server refused to delete.
 */
async function removeVersion(
  remote: S3Remote,
  version: RemoteVersion,
  concurrency: number,
): Promise<boolean | { key: string; reason: string }[]> {
  const dir = `${version.functionDir}/${version.hash}/`;
  const fresh = await listAll(remote, dir);
  const uses = await listAll(remote, `${REMOTE_USED_DIR}/${dir}`);
  const known = new Map([...version.objects, ...version.uses].map((object) => [object.key, object.lastModified]));
  const changed = (object: RemoteEntry) => !known.has(object.key) || object.lastModified > known.get(object.key)!;
  if (fresh.some(changed) || uses.some(changed)) return false;
  const leases = await leasesOf(remote, version, concurrency);
  if (leases.live.length > 0) return false;
  const metadata = `${dir}${METADATA_FILE}`;
  const objects = fresh.map((object) => object.key).filter((key) => key !== metadata);
  const records = (await listAll(remote, `${REMOTE_FAILURES_DIR}/${dir}`)).map((entry) => entry.key);
  // definition.json last: a removal cut short leaves a version that still describes itself.
  const refused = await remote.delete(objects);
  if (refused.length === 0) {
    const markers = uses.map((use) => use.key);
    refused.push(...(await remote.delete([metadata, ...leases.keys, ...records, ...markers])));
  }
  return refused.length === 0 ? true : refused;
}

/**
 * Prunes a remote with local gc's policies (see the module comment). Refused on a
 * read-only remote (`EREMOTEREADONLY`), dry runs included: a read-only remote is not
 * this cache's to prune.
 *
 * @example
 * ```ts
 * const result = await gcRemote({ cacheDir: './cache', remote: 'origin', graceMs: 30 * 86_400_000, dryRun: true });
 * for (const v of result.removedVersions) console.log(v.function, v.hash, v.bytes);
 * ```
 */
export async function gcRemote(options: RemoteGcOptions): Promise<RemoteGcResult> {
  const remote = await connectRemote(options.cacheDir, options.remote);
  try {
    if (remote.remote.readOnly) throw new RemoteReadOnlyError(remote.remote.name, 'gc --remote');
    const concurrency = options.concurrency ?? 8;
    const { versions, orphanUses } = versionsOf(await listAll(remote, ''));
    // `Date` is truncated to whole seconds and some servers (Swift) round `LastModified` up to
    // the next one: without this slack an object written just now would be younger than "now".
    const now = (await remote.serverNow()) + CLOCK_RESOLUTION_SLACK_MS;
    const { plan: planned, sources } = await plan(remote, versions, options, concurrency, now);
    const problems: CacheProblem[] = [];
    let removed: readonly VersionRemoval[] = planned.versions;
    if (!options.dryRun) {
      const gone = new Set<VersionRemoval>();
      await forEachLimited(planned.versions, concurrency, async (removal) => {
        const outcome = await removeVersion(remote, sources.get(removal.item)!, concurrency);
        if (outcome === true) gone.add(removal);
        else if (outcome !== false) {
          const dir = `${remote.url}/${removal.item.version.dir}`;
          problems.push({
            dir,
            code: 'EREMOTE',
            message: `cannot remove ${dir}: ${outcome.map((o) => `${o.key} (${o.reason})`).join(', ')}`,
          });
        }
      });
      removed = planned.versions.filter((removal) => gone.has(removal));
      // Markers of versions the remote does not hold (used here, never sent) go once no project would be held by
      // them; one the server refuses to delete is only a small object, tried again next time.
      await remote.delete(
        orphanUses.filter((use) => now - use.lastModified >= GONE_PROJECT_HOLD_MS).map((use) => use.key),
      );
    }
    return {
      remote: remote.remote.name,
      url: remote.url,
      cache: remote.url,
      dryRun: options.dryRun,
      removedVersions: removed.map(removedVersionOf),
      removedTempFiles: { count: 0, bytes: 0 },
      removedLockFiles: { count: 0, bytes: 0 },
      removedLeftovers: { count: 0, bytes: 0, diskBytes: 0 },
      before: planned.before,
      after: sizeAfter(planned, removed),
      problems,
    };
  } finally {
    remote.close();
  }
}
