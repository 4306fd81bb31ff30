/**
 * `push` and `pull`: copy the objects one side lacks between a cache directory and a
 * remote, several at a time. Each file is verified before it is sent and again on
 * arrival, before it is written; a damaged one is skipped and reported, never
 * stored. Local writes never replace an existing file; remote writes only add keys
 * the listing showed missing. Re-running an interrupted transfer moves what is still
 * missing and nothing else.
 */
import { closeSync, createReadStream, fstatSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeObject,
  functionNameOfDir,
  HEADER_2_SIZE,
  METADATA_FILE,
  parseCachePath,
  readRegularFile,
  remoteUseKey,
  remoteProjectMarker,
} from '@funes/core/internal';
import {
  currentForProjects,
  identityOf,
  listCache,
  listVersions,
  matchVersions,
  parseSpec,
  scanVersion,
  SelectionError,
  specFunctionDir,
  type CachedVersion,
  type ProjectUse,
  type VersionRef,
} from '@funes/core/cache';
import {
  entryCheck,
  UNADDRESSED,
  versionMetadataDefect,
  type EntryAdmission,
  type EntryCheck,
} from '../entry-check.js';
import { linkSpool, openSpool } from '../place-entry.js';
import { RemoteError, RemoteReadOnlyError, UnsignedObjectError } from './errors.js';
import { forEachLimited } from './pool.js';
import type { S3Remote } from './s3-client.js';
import { connectRemote } from './connect.js';
import { planTransfer, type Listing, type PlannedFile, type TransferPlan } from './transfer-plan.js';
import { cacheKey } from './remote-url.js';

/**
 * Options of {@link push} and {@link pull}. `acceptFormat1` (pull only) admits objects in
 * format 1, which carry no address: refused otherwise, listed in `unaddressed`.
 */
export interface TransferOptions extends EntryAdmission {
  /** The local cache directory. */
  readonly cacheDir: string;
  /**
   * A configured remote's name or an `s3://bucket/prefix[?endpoint=…]` URL.
   * @default the only remote configured, else `origin`
   */
  readonly remote?: string;
  /**
   * Transfer only these functions: `name` takes every version of one, `name@hash-prefix`
   * the one version whose definition hash starts so. @default all
   */
  readonly functions?: readonly string[];
  /** Plan and report, transfer nothing. @default false */
  readonly dryRun?: boolean;
  /** Files in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Called once the plan is known, before any transfer. */
  readonly onPlan?: (plan: TransferPlan) => void;
  /** Called after each file transferred. */
  readonly onProgress?: (progress: TransferProgress) => void;
}

/** How far a transfer has come. */
export interface TransferProgress {
  readonly files: number;
  readonly bytes: number;
}

/** What a push or pull did (or, with `dryRun`, would do). */
export interface TransferResult {
  readonly direction: 'push' | 'pull';
  /** The remote's name (its URL when it was given as one). */
  readonly remote: string;
  readonly url: string;
  readonly dryRun: boolean;
  /** Files of the selection the destination already had, or another writer created while this one ran. */
  readonly present: number;
  /** Files the destination lacked. */
  readonly missing: number;
  readonly missingBytes: number;
  /** Files transferred (0 with `dryRun`). */
  readonly transferred: number;
  readonly bytes: number;
  /** Keys that failed verification and were skipped; non-empty means the transfer is incomplete. */
  readonly damaged: readonly string[];
  /** Pulled keys refused because `FUNES_SIGNING_KEY` is set and they are unsigned or wrongly signed; never stored. */
  readonly refused: readonly string[];
  /**
   * Pulled keys refused because their object is in format 1, which carries no address (see
   * `acceptFormat1`); never stored.
   */
  readonly unaddressed: readonly string[];
  /** With `dryRun`: the keys that would be transferred. */
  readonly keys?: readonly string[];
}

const DEFAULT_CONCURRENCY = 8;

/** Why a file may not be transferred, or undefined when it is intact (pure). */
export function verifyFile(key: string, bytes: Uint8Array): string | undefined {
  const parsed = parseCachePath(key);
  if (!parsed) return 'not a cache file';
  if (parsed.file !== METADATA_FILE) {
    const decoded = decodeObject(bytes, undefined, {
      address: { definitionHash: parsed.definitionHash, argumentHash: parsed.file },
    });
    return decoded.ok ? undefined : decoded.reason;
  }
  const defect = versionMetadataDefect(bytes, parsed.functionDir, parsed.definitionHash);
  return defect === undefined ? undefined : `definition.json: ${defect}`;
}

/**
 * The function directories the specs name, to list only those;
 * undefined (list all) when one names a version by hash alone.
 */
function selectedDirs(specs: readonly string[]): string[] | undefined {
  const dirs = specs.map((text) => specFunctionDir(parseSpec(text)));
  return dirs.length > 0 && dirs.every((dir) => dir !== undefined) ? [...new Set(dirs as string[])] : undefined;
}

function listLocal(
  cacheDir: string,
  dirs: readonly string[] | undefined,
  missingIsEmpty: boolean,
): Map<string, number> {
  const listing = new Map<string, number>();
  let versions;
  try {
    versions = listVersions(cacheDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && missingIsEmpty) return listing;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RemoteError(
        'ENOCACHE',
        `no cache directory at ${cacheDir}`,
        'run inside the project (its cache is in the root, beside package.json), or pass --cache / set FUNES_CACHE_DIR',
      );
    }
    throw error;
  }
  for (const version of versions) {
    if (dirs && !dirs.includes(version.functionDir)) continue;
    const contents = scanVersion(version.dir);
    for (const entry of contents.entries) {
      listing.set(cacheKey(version.functionDir, version.definitionHash, entry.argumentHash), entry.size);
    }
    if (contents.metadataSize > 0) {
      listing.set(cacheKey(version.functionDir, version.definitionHash, METADATA_FILE), contents.metadataSize);
    }
  }
  return listing;
}

/** The remote's objects of the cache layout (under `dirs` only, when given), with their sizes. */
export async function listRemote(remote: S3Remote, dirs?: readonly string[]): Promise<Map<string, number>> {
  const listing = new Map<string, number>();
  for (const under of dirs?.map((dir) => `${dir}/`) ?? ['']) {
    for await (const entry of remote.list(under)) if (parseCachePath(entry.key)) listing.set(entry.key, entry.size);
  }
  return listing;
}

/**
 * The part of the source's listing the specs take (all of it for none), in the
 * selection grammar of @funes/core/cache: a `SelectionError` for a function the source
 * lacks or a hash prefix that matches no version of it or several.
 */
function selectFrom(source: Listing, specs: readonly string[], where: string): Listing {
  if (specs.length === 0) return source;
  const refs = new Map<string, VersionRef>();
  for (const key of source.keys()) {
    const parsed = parseCachePath(key);
    const dir = parsed && `${parsed.functionDir}/${parsed.definitionHash}/`;
    if (parsed && !refs.has(dir!)) {
      refs.set(dir!, {
        functionDir: parsed.functionDir,
        name: functionNameOfDir(parsed.functionDir),
        hash: parsed.definitionHash,
      });
    }
  }
  const taken = new Set(
    matchVersions([...refs.values()], specs, where).map((ref) => `${ref.functionDir}/${ref.hash}/`),
  );
  return new Map([...source].filter(([key]) => taken.has(key.slice(0, key.lastIndexOf('/') + 1))));
}

/**
 * The files of the versions `specs` name (all for none) in a listing made by `list`,
 * narrowed to the function directories named when every spec names one.
 */
export async function listSelection(
  list: (dirs: readonly string[] | undefined) => Promise<Listing>,
  specs: readonly string[],
  where: string,
): Promise<Listing> {
  const dirs = selectedDirs(specs);
  try {
    return selectFrom(await list(dirs), specs, where);
  } catch (error) {
    if (!(dirs && error instanceof SelectionError && error.code === 'ENOFUNCTION')) throw error;
    // The listing held only the functions named: a name it lacks is looked up again among all
    // of them, so the error suggests the nearest instead of saying the source holds none.
    return selectFrom(await list(undefined), specs, where);
  }
}

/**
 * What copying one file did: stored, found already at the destination, gone from
 * the source since listing (removed by `gc` or a prune), or refused as damaged.
 */
type Copied =
  | { readonly outcome: 'stored'; readonly bytes: number }
  | { readonly outcome: 'present' | 'vanished' | 'damaged' | 'unaddressed' };

interface Direction {
  readonly name: 'push' | 'pull';
  readonly source: (remote: S3Remote, dirs: readonly string[] | undefined) => Promise<Listing>;
  readonly destination: (remote: S3Remote, dirs: readonly string[] | undefined) => Promise<Listing>;
  readonly sourceName: (remote: S3Remote, cacheDir: string) => string;
  /**
   * Copies one file the destination lacked, checked before it can be seen there, never
   * over a file the destination has; throws {@link UnsignedObjectError} for a pulled
   * file a signing key refuses.
   */
  readonly copy: (remote: S3Remote, file: PlannedFile) => Promise<Copied>;
}

async function transfer(options: TransferOptions, direction: Direction): Promise<TransferResult> {
  const remote = await connectRemote(options.cacheDir, options.remote);
  const resolved = remote.remote;
  try {
    if (direction.name === 'push' && resolved.readOnly) throw new RemoteReadOnlyError(resolved.name, 'push');
    const specs = options.functions ?? [];
    const dirs = selectedDirs(specs);
    const source = await listSelection(
      (under) => direction.source(remote, under),
      specs,
      direction.sourceName(remote, options.cacheDir),
    );
    const plan = planTransfer(source, await direction.destination(remote, dirs));
    const missingBytes = plan.missing.reduce((sum, file) => sum + file.size, 0);
    const base = {
      direction: direction.name,
      remote: resolved.name,
      url: remote.url,
      present: plan.present,
      missing: plan.missing.length,
      missingBytes,
    };
    if (options.dryRun) {
      return {
        ...base,
        dryRun: true,
        transferred: 0,
        bytes: 0,
        damaged: [],
        refused: [],
        unaddressed: [],
        keys: plan.missing.map((file) => file.key),
      };
    }
    options.onPlan?.(plan);
    const damaged: string[] = [];
    const refused: string[] = [];
    const unaddressed: string[] = [];
    let files = 0;
    let bytes = 0;
    let foundThere = 0;
    const copyOne = async (file: PlannedFile) => {
      let copied: Copied;
      try {
        copied = await direction.copy(remote, file);
      } catch (error) {
        if (!(error instanceof UnsignedObjectError)) throw error;
        refused.push(file.key);
        return;
      }
      if (copied.outcome === 'damaged') damaged.push(file.key);
      if (copied.outcome === 'unaddressed') unaddressed.push(file.key);
      // A key another machine created since the listing is kept as it is (results on a remote
      // are immutable) and counted with those the destination had.
      if (copied.outcome === 'present') foundThere++;
      if (copied.outcome !== 'stored') return;
      files++;
      bytes += copied.bytes;
      options.onProgress?.({ files, bytes });
    };
    // Every definition.json has arrived before any object starts: a transfer cut short then leaves
    // no version without its description, which gc would never keep as a function's current version.
    const isMetadata = (file: PlannedFile) => parseCachePath(file.key)?.file === METADATA_FILE;
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    await forEachLimited(plan.missing.filter(isMetadata), concurrency, copyOne);
    await forEachLimited(plan.missing.filter((file) => !isMetadata(file)), concurrency, copyOne);
    if (direction.name === 'push') {
      await pushUseMarkers(remote, options.cacheDir, source, options.concurrency ?? DEFAULT_CONCURRENCY);
    }
    return {
      ...base,
      present: plan.present + foundThere,
      dryRun: false,
      transferred: files,
      bytes,
      damaged: damaged.sort(),
      refused: refused.sort(),
      unaddressed: unaddressed.sort(),
    };
  } finally {
    remote.close();
  }
}

/**
 * Sends, for each local project directory, its use marker of the version of a function it used last,
 * when that version is among those pushed: `gc --remote` then keeps it for the project, as local `gc`
 * does. The version used last is judged among all local versions of the function, pushed or not.
 */
async function pushUseMarkers(remote: S3Remote, cacheDir: string, pushed: Listing, concurrency: number) {
  const pushedDirs = new Set([...pushed.keys()].map((key) => key.slice(0, key.lastIndexOf('/'))));
  const listing = listCache(cacheDir);
  const identities = new Set(
    listing.versions
      .filter((version) => pushedDirs.has(`${version.functionDir}/${version.hash}`))
      .map((version) => identityOf(version)),
  );
  const groups = new Map<string, { version: CachedVersion; projectUses: readonly ProjectUse[] }[]>();
  for (const version of listing.versions) {
    const identity = identityOf(version);
    if (!identities.has(identity)) continue;
    let group = groups.get(identity);
    if (!group) groups.set(identity, (group = []));
    group.push({ version, projectUses: listing.tallies.tally(version.dir).projectUses });
  }
  listing.tallies.save();
  const markers: { key: string; projectDir: string }[] = [];
  for (const group of groups.values()) {
    for (const { item, use } of currentForProjects(group, Date.now()).values()) {
      const { functionDir, hash } = item.version;
      if (use.dir === null || !pushedDirs.has(`${functionDir}/${hash}`)) continue;
      const marker = remoteProjectMarker(use.dir);
      markers.push({ key: remoteUseKey({ functionDir, definitionHash: hash, marker }), projectDir: use.dir });
    }
  }
  await forEachLimited(markers, concurrency, ({ key, projectDir }) => remote.replace(key, Buffer.from(projectDir)));
}

function readLocal(cacheDir: string, key: string): Uint8Array | undefined {
  try {
    return readRegularFile(join(cacheDir, key));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Files up to this size are read whole, checked and sent from memory (the S3 request
 * needs their length and MD5 up front); larger ones are read twice instead, never held.
 */
const UPLOAD_WHOLE_UP_TO = 8 * 1024 * 1024;

/** Sends a local file, checked first, as pull checks what arrives. */
async function upload(cacheDir: string, remote: S3Remote, key: string): Promise<Copied> {
  const path = join(cacheDir, key);
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined) return { outcome: 'vanished' };
  if (size > UPLOAD_WHOLE_UP_TO) return uploadStreamed(remote, key, path);
  const bytes = readLocal(cacheDir, key);
  if (bytes === undefined) return { outcome: 'vanished' };
  if (verifyFile(key, bytes) !== undefined) return { outcome: 'damaged' };
  return (await remote.create(key, bytes)) ? { outcome: 'stored', bytes: bytes.length } : { outcome: 'present' };
}

/**
 * Sends a large local file in two reads of one open descriptor: the first streams it
 * through the checks of a pull and computes its MD5 (and signature), the second sends it.
 * Both read the file that was opened, even if another is written in its place meanwhile.
 */
async function uploadStreamed(remote: S3Remote, key: string, path: string): Promise<Copied> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { outcome: 'vanished' };
    throw error;
  }
  try {
    const { size } = fstatSync(fd);
    // A push sends what this cache holds and reads: its readers judge format 1.
    const check = fileCheck(key, size, { acceptFormat1: true });
    const digests = remote.uploadDigests(key);
    let read = 0;
    for await (const chunk of createReadStream('', { fd, start: 0, autoClose: false })) {
      read += chunk.length;
      await check.update(chunk);
      if (check.defect) return { outcome: 'damaged' };
      digests.update(chunk);
    }
    if (read !== size || (await check.finish()) !== undefined) return { outcome: 'damaged' };
    return (await remote.create(key, { fd, size, ...digests.digest() }))
      ? { outcome: 'stored', bytes: size }
      : { outcome: 'present' };
  } finally {
    closeSync(fd);
  }
}

/** The checks of `unpack` for a file of the cache layout of `size` bytes, under its cache-relative `key`. */
function fileCheck(key: string, size: number, admission: EntryAdmission): EntryCheck {
  const parsed = parseCachePath(key)!;
  const kind = parsed.file === METADATA_FILE ? 'metadata' : 'object';
  return entryCheck(
    { kind, size, functionDir: parsed.functionDir, definitionHash: parsed.definitionHash, fileName: parsed.file },
    Number.MAX_SAFE_INTEGER,
    admission,
  );
}

/** What streaming a remote file through its checks found. */
export interface Received {
  /** Why it must not enter a cache; undefined when it passed every check. */
  readonly defect: string | undefined;
  /** {@link UNADDRESSED} when the only defect is that the object is in format 1. */
  readonly code?: string;
  /** It ended before the size announced: a transfer cut short, which proves no damage. */
  readonly cut: boolean;
  /** The size the server announced. */
  readonly size: number;
  /** Its first bytes, as many as the longest object header, to tell what wrote it. */
  readonly head: Buffer;
}

/**
 * Streams a remote file through the checks of `unpack` (its object check, the same schema
 * for `definition.json`), handing `keep` each chunk once the bytes so far passed them, so
 * memory stays bounded whatever its size; undefined when the file is gone.
 */
export async function receiveChecked(
  remote: S3Remote,
  key: string,
  listedSize: number,
  keep?: (chunk: Uint8Array) => void,
  admission: EntryAdmission = {},
): Promise<Received | undefined> {
  const found = await remote.download(key);
  if (found === undefined) return undefined;
  const size = found.size ?? listedSize;
  const check = fileCheck(key, size, admission);
  let received = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of found.body) {
      received += chunk.length;
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (head.length < HEADER_2_SIZE) head = Buffer.concat([head, bytes.subarray(0, HEADER_2_SIZE - head.length)]);
      // Bytes past the declared size are never kept: a server cannot fill the disk.
      if (received > size) return { defect: 'longer than its size', cut: false, size, head };
      await check.update(bytes);
      if (check.defect) return { defect: check.defect, code: check.code, cut: false, size, head };
      keep?.(chunk);
    }
  } catch (error) {
    // A signed object whose bytes changed fails its signature after its last byte: when
    // they also fail their own checks, it is damaged (and can be deleted), not forged.
    if (!(error instanceof UnsignedObjectError) || received !== size) throw error;
    const defect = await check.finish();
    if (defect === undefined) throw error;
    return { defect, code: check.code, cut: false, size, head };
  }
  if (received < size) return { defect: 'shorter than its size', cut: true, size, head };
  return { defect: await check.finish(), cut: false, size, head };
}

/**
 * Receives a remote file into a temp file in its version's directory, checked as it
 * streams; only a file that passed every check, and its signature when one is required,
 * is linked into place.
 */
async function download(
  cacheDir: string,
  remote: S3Remote,
  file: PlannedFile,
  admission: EntryAdmission,
): Promise<Copied> {
  const spool = openSpool(cacheDir, parseCachePath(file.key)!);
  try {
    const received = await receiveChecked(remote, file.key, file.size, (chunk) => spool.write(chunk), admission);
    if (received === undefined) return { outcome: 'vanished' };
    if (received.defect !== undefined) return { outcome: received.code === UNADDRESSED ? 'unaddressed' : 'damaged' };
    return linkSpool(spool, join(cacheDir, file.key))
      ? { outcome: 'stored', bytes: received.size }
      : { outcome: 'present' };
  } finally {
    spool.remove();
  }
}

/**
 * Uploads the local objects (and version metadata) the remote lacks; never replaces an
 * object on the remote. A read-only remote is refused (`EREMOTEREADONLY`).
 *
 * @example
 * ```ts
 * const result = await push({ cacheDir: './cache', remote: 'origin', functions: ['train'] });
 * console.log(`${result.transferred} files sent, ${result.present} already there`);
 * ```
 */
export function push(options: TransferOptions): Promise<TransferResult> {
  return transfer(options, {
    name: 'push',
    source: async (_remote, dirs) => listLocal(options.cacheDir, dirs, false),
    destination: listRemote,
    sourceName: (_remote, cacheDir) => `the cache ${cacheDir}`,
    copy: (remote, file) => upload(options.cacheDir, remote, file.key),
  });
}

/**
 * Downloads the objects (and version metadata) the local cache lacks; never replaces
 * a local file.
 *
 * @example
 * ```ts
 * await pull({ cacheDir: './cache', remote: 's3://ml-cache/funes' });
 * ```
 */
export function pull(options: TransferOptions): Promise<TransferResult> {
  return transfer(options, {
    name: 'pull',
    source: listRemote,
    destination: async (_remote, dirs) => listLocal(options.cacheDir, dirs, true),
    sourceName: (remote) => remote.url,
    copy: (remote, file) => download(options.cacheDir, remote, file, options),
  });
}
