/**
 * `pack`: a cache (or part of it) as a gzip-compressed tarball whose first entry is
 * the manifest. Packing reads the cache twice: planning stats every selected object
 * and reads its header (so the manifest, written first, can list sizes and digests),
 * then streaming reads the objects straight into the gzip members of the bundle
 * (member-writer.ts), checking each is still the one planned, while the members before
 * are compressed on the thread pool.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip, type ZlibOptions } from 'node:zlib';
import { InvalidUsageError } from '@funes/core';
import { FUNES_VERSION, HEADER_2_SIZE, METADATA_FILE, readRegularFile, sha256Hex } from '@funes/core/internal';
import { listCache, matchVersions, scanVersion, selectCurrent, type CachedVersion } from '@funes/core/cache';
import { PackSelectionError } from './errors.js';
import {
  buildManifest,
  encodeManifest,
  entryName,
  MANIFEST_ENTRY,
  type BundleManifest,
  type ManifestObject,
  type ManifestVersion,
} from './manifest.js';
import { fillMember, gzipOptions } from './member-writer.js';
import { EntryGroup, examineObject, readHead } from './object-seal.js';
import { PinnedFiles } from './pinned-files.js';
import type { Progress } from './progress.js';
import { tarMembers, type FileSource, type MemberJob, type TarEntry } from './tar-layout.js';

/** Options of {@link pack}. */
export interface PackOptions {
  /** The cache directory to pack from. */
  readonly cacheDir: string;
  /**
   * Functions to pack, in the selection grammar of every `funes` command: `name` (its
   * current version), `name@hash-prefix` or a hash prefix (that version), `na@me@` (a
   * name containing `@`).
   * @default every function in the cache
   * @example ['train', 'score@3fa2']
   */
  readonly functions?: readonly string[];
  /**
   * Take every version of the selected functions, not only the current one.
   * @default false
   */
  readonly allVersions?: boolean;
  /** Take only objects written at or after this time. */
  readonly since?: Date;
  /**
   * A gzip level, 0 (store) to 9, for the whole bundle. By default each 1 MiB of the
   * bundle is compressed the cheapest way that pays: stored when it would not shrink
   * (objects the store already deflated), by a Huffman code alone when it is noise
   * with a skewed byte distribution (results stored raw, such as floats), at level 1
   * otherwise.
   * @default chosen per 1 MiB
   */
  readonly level?: number;
  /** Called after each entry is streamed. */
  readonly onProgress?: (progress: Progress) => void;
}

/** An object that was left out of a bundle because it is not a well-formed Funes object. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** A bundle being streamed: the gzip bytes, plus what it holds. */
export type BundleStream = Readable & {
  /** The manifest, known before the first byte is read. */
  readonly manifest: BundleManifest;
  /** Damaged objects that were left out. */
  readonly skipped: readonly SkippedFile[];
};

interface PlannedFile extends FileSource {
  readonly name: string;
  readonly mtimeMs: number;
  /** Where it goes in the bundle: {@link EntryGroup}. */
  readonly group: EntryGroup;
}

/**
 * Bytes of tar per gzip member: large enough that splitting costs nothing measurable,
 * small enough to spread over the cores.
 */
const MEMBER_BYTES = 1 << 20;

/** Where planning reads each object's header: one buffer for all, since only the digest is kept. */
const headScratch = Buffer.alloc(HEADER_2_SIZE);


/**
 * Throws EINVALID, saying the fix, for options pack cannot honour: an invalid `since`
 * would let every object through, and a `level` zlib refuses would fail the stream only
 * once reading it has begun.
 */
function checkPackOptions(options: PackOptions): void {
  const { cacheDir, functions, since, level } = (options ?? {}) as Partial<Record<keyof PackOptions, unknown>>;
  if (typeof cacheDir !== 'string' || cacheDir === '') {
    throw new InvalidUsageError('pack needs the cacheDir option, the directory to pack', "e.g. { cacheDir: 'cache' }");
  }
  if (functions !== undefined && !(Array.isArray(functions) && functions.every((f) => typeof f === 'string'))) {
    throw new InvalidUsageError('functions must be a list of names or name@hash specs', "e.g. ['train', 'score@3fa2']");
  }
  if (since !== undefined && !(since instanceof Date && !Number.isNaN(since.getTime()))) {
    throw new InvalidUsageError(
      'since must be a valid Date',
      'e.g. new Date(Date.now() - 7 * 864e5) for the last week; leave it out for every object',
    );
  }
  if (level !== undefined && !(Number.isInteger(level) && (level as number) >= 0 && (level as number) <= 9)) {
    throw new InvalidUsageError(
      `level must be a whole number from 0 to 9, not ${JSON.stringify(level)}`,
      'leave it out to let pack choose per MiB',
    );
  }
}

/**
 * The versions to pack, in a stable order (function, then hash): by default each
 * function's current version (@funes/core/cache's rule); `allVersions`, every version
 * of the functions named.
 */
function selectForPack(cacheDir: string, functions: readonly string[], allVersions: boolean): CachedVersion[] {
  const { versions } = listCache(cacheDir);
  const selected = allVersions ? matchVersions(versions, functions) : selectCurrent(versions, functions);
  const order = (v: CachedVersion) => `${v.functionDir}/${v.hash}`;
  return selected.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

function planVersion(
  version: CachedVersion,
  since: Date | undefined,
  files: PlannedFile[],
  skipped: SkippedFile[],
  pins: PinnedFiles,
): ManifestVersion | undefined {
  const { functionDir, hash: definitionHash, dir } = version;
  const objects: ManifestObject[] = [];
  const objectFiles: PlannedFile[] = [];
  const sinceMs = since?.getTime() ?? -Infinity;
  for (const entry of scanVersion(dir).entries) {
    if (entry.mtimeMs < sinceMs) continue;
    const fd = openSync(entry.file, 'r');
    let found;
    try {
      found = examineObject(readHead(fd, headScratch), entry.size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    if ('reason' in found) {
      closeSync(fd);
      skipped.push({ file: entry.file, reason: found.reason });
      continue;
    }
    objects.push({ argumentHash: entry.argumentHash, size: entry.size, digest: found.digest });
    objectFiles.push({
      name: entryName(functionDir, definitionHash, entry.argumentHash),
      file: entry.file,
      size: entry.size,
      mtimeMs: entry.mtimeMs,
      digest: found.digest,
      kind: 'object',
      group: found.group,
      pinned: pins.keep(fd),
    });
  }
  if (objects.length === 0) return undefined;
  let metadata: ManifestVersion['metadata'] = null;
  const metadataFile = join(dir, METADATA_FILE);
  try {
    const bytes = readRegularFile(metadataFile);
    metadata = { size: bytes.length, sha256: sha256Hex(bytes) };
    files.push({
      name: entryName(functionDir, definitionHash, METADATA_FILE),
      file: metadataFile,
      size: bytes.length,
      mtimeMs: version.createdMs ?? Date.now(),
      digest: metadata.sha256,
      kind: 'metadata',
      group: EntryGroup.small,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  files.push(...objectFiles);
  return { functionDir, definitionHash, metadata, objects };
}

/** The bundle's entries in stream order: the manifest, then the planned files by group. */
function* bundleEntries(manifest: BundleManifest, files: readonly PlannedFile[]): Generator<TarEntry> {
  const createdMs = Date.parse(manifest.createdAt);
  yield { name: MANIFEST_ENTRY, mtimeMs: createdMs, content: encodeManifest(manifest), counted: false };
  for (const group of Object.values(EntryGroup)) {
    for (const planned of files) {
      if (planned.group !== group) continue;
      const { file, size, digest, kind, pinned } = planned;
      yield {
        name: planned.name,
        mtimeMs: planned.mtimeMs,
        content: { file, size, digest, kind, pinned },
        counted: true,
      };
    }
  }
}

const gzipMember = promisify(gzip) as (tar: Buffer, options: ZlibOptions) => Promise<Buffer>;

/**
 * Members filled and compressing, or compressed and not yet read, per core: enough
 * that neither the disk, the thread pool nor a slow reader of the bundle leaves the
 * others waiting, while only a few MiB are held.
 */
const AHEAD_PER_CORE = 4;

/**
 * The gzip members of `jobs` (each at most `memberBytes` of tar), in order: each is
 * filled here and compressed on the thread pool while the next ones are filled. The
 * buffers they are filled in are used again, once zeroed: allocating one per member
 * makes V8 collect garbage over the whole heap (every object planned) again and again.
 */
async function* writtenMembers(
  jobs: Iterator<MemberJob>,
  memberBytes: number,
  level: number | undefined,
  written: (job: MemberJob) => void,
): AsyncGenerator<Buffer> {
  const ahead: { job: MemberJob; tar: Buffer; member: Promise<Buffer> }[] = [];
  const free: Buffer[] = [];
  const window = AHEAD_PER_CORE * availableParallelism();
  for (;;) {
    while (ahead.length < window) {
      const next = jobs.next();
      if (next.done) break;
      const tar = free.pop()?.fill(0) ?? Buffer.alloc(memberBytes);
      const filled = tar.subarray(0, next.value.length);
      fillMember(next.value, filled);
      const member = gzipMember(filled, gzipOptions(filled, level));
      // Awaited in order below; until then a failure must not count as unhandled.
      member.catch(() => {});
      ahead.push({ job: next.value, tar, member });
    }
    const first = ahead.shift();
    if (!first) return;
    yield await first.member;
    free.push(first.tar);
    written(first.job);
  }
}

/**
 * Streams a cache, or the selected functions of it, as a bundle: a gzip tarball
 * starting with its manifest. Selection happens before this returns, so an unknown
 * function throws @funes/core/cache's `SelectionError` here, and a selection without
 * objects {@link PackSelectionError}; read errors and
 * {@link CacheChangedError} arrive as the stream's `error`. The objects planned are kept
 * open until packed (up to half the process's limit of open files), so a result written
 * in place of one meanwhile changes nothing in the bundle: destroy a stream you do not
 * read to close them.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { pipeline } from 'node:stream/promises';
 * import { pack } from '@funes/sync';
 *
 * const bundle = pack({ cacheDir: 'cache', functions: ['train'] });
 * console.log(`${bundle.manifest.objectCount} objects`);
 * await pipeline(bundle, createWriteStream('train.tar.gz'));
 * ```
 */
export function pack(options: PackOptions): BundleStream {
  checkPackOptions(options);
  const selected = selectForPack(options.cacheDir, options.functions ?? [], options.allVersions ?? false);
  const pins = new PinnedFiles();
  try {
    return packPlanned(options, selected, pins);
  } catch (error) {
    pins.releaseAll();
    throw error;
  }
}

/** {@link pack} once the versions are selected: plans their files, keeping those it can open in `pins`. */
function packPlanned(options: PackOptions, selected: readonly CachedVersion[], pins: PinnedFiles): BundleStream {
  const files: PlannedFile[] = [];
  const skipped: SkippedFile[] = [];
  const versions = selected.flatMap((version) => planVersion(version, options.since, files, skipped, pins) ?? []);
  if (options.functions?.length && versions.length === 0) {
    throw new PackSelectionError(
      `the selected functions have no ` +
          `objects${options.since ? ` written since ${options.since.toISOString()}` : ''}; nothing to pack`,
      options.since ? 'give an earlier --since, or leave it out' : '`funes log` lists what the cache holds',
    );
  }
  const manifest = buildManifest(versions, new Date(), FUNES_VERSION);
  const progress = { entries: 0, totalEntries: files.length, bytes: 0, totalBytes: manifest.bytes };
  const written = (job: MemberJob) => {
    for (const size of job.finished) {
      progress.entries++;
      progress.bytes += size;
      options.onProgress?.({ ...progress });
    }
  };
  const jobs = tarMembers(bundleEntries(manifest, files), MEMBER_BYTES);
  const members = writtenMembers(jobs, MEMBER_BYTES, options.level, written);
  const stream = Readable.from(members, { objectMode: false });
  stream.once('close', () => pins.releaseAll());
  return Object.assign(stream, { manifest, skipped });
}
