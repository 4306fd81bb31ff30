/**
 * `pack`: a cache (or part of it) as a gzip-compressed tarball whose first entry is
 * the manifest. Packing reads the cache twice: planning stats every selected object
 * and reads its 56-byte header (so the manifest, written first, can list sizes and
 * digests), then streaming reads each object whole and checks it is still the one
 * planned.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { availableParallelism } from 'node:os';
import {
  Compression,
  FUNES_VERSION,
  HEADER_2_SIZE,
  HEADER_SIZE,
  METADATA_FILE,
  readHeader,
  sha256Hex,
} from '@funes/core/internal';
import { listCache, matchVersions, scanVersion, selectCurrent, type CachedVersion } from '@funes/core/cache';
import tar from 'tar-stream';
import { Coalesce } from './coalesce.js';
import { MemberGzip } from './member-gzip.js';
import { hex } from './digests.js';
import { CacheChangedError, PackSelectionError } from './errors.js';
import {
  buildManifest,
  encodeManifest,
  entryName,
  MANIFEST_ENTRY,
  type BundleManifest,
  type ManifestObject,
  type ManifestVersion,
} from './manifest.js';
import type { Progress } from './progress.js';

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

interface PlannedFile {
  readonly name: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * Hex digest the file must still have when streamed (the seal
   * its header records for objects, file SHA-256 for metadata).
   */
  readonly digest: string;
  readonly kind: 'object' | 'metadata';
  /** Where it goes in the bundle: {@link EntryGroup}. */
  readonly group: EntryGroup;
}

/**
 * Entries are written in three groups, in this order, each in the manifest's order,
 * so that each gzip member holds one kind of bytes and gets the method that pays for
 * it (member-gzip.ts): the manifest, `definition.json` files and small objects, which
 * repeat one another's metadata and names (LZ77 finds that); larger objects the store
 * kept raw (often noise, such as floats, where a Huffman code saves what there is to
 * save); larger objects the store deflated, which no gzip shrinks.
 */
const EntryGroup = { small: 0, raw: 1, deflated: 2 } as const;
type EntryGroup = (typeof EntryGroup)[keyof typeof EntryGroup];

/** Objects up to this size are mostly header and metadata. */
const SMALL_OBJECT = 4096;

/**
 * Bytes per gzip member: large enough that splitting costs nothing measurable, small enough to spread over the cores.
 */
const GZIP_CHUNK = 1 << 20;

/**
 * The digest an object's header seals it with (format 1: its payload's SHA-256) and
 * the object's group, or why it cannot be packed.
 */
function objectDigest(bytes: Uint8Array, fileSize: number): { digest: string; group: EntryGroup } | { reason: string } {
  const header = readHeader(bytes);
  if (!header) return { reason: 'not a Funes object' };
  if (BigInt(fileSize) !== BigInt(header.version === 2 ? HEADER_2_SIZE : HEADER_SIZE) + header.storedSize) {
    return { reason: 'its size disagrees with its header' };
  }
  const group =
    fileSize <= SMALL_OBJECT
      ? EntryGroup.small
      : header.compression === Compression.none
        ? EntryGroup.raw
        : EntryGroup.deflated;
  return { digest: hex(header.digest), group };
}

/** The start of an object file: as much of it as the longest header (format 2's) takes. */
function readHeaderBytes(file: string): Buffer {
  const buffer = Buffer.alloc(HEADER_2_SIZE);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, buffer, 0, HEADER_2_SIZE, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
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
): ManifestVersion | undefined {
  const { functionDir, hash: definitionHash, dir } = version;
  const objects: ManifestObject[] = [];
  const objectFiles: PlannedFile[] = [];
  const sinceMs = since?.getTime() ?? -Infinity;
  for (const entry of scanVersion(dir).entries) {
    if (entry.mtimeMs < sinceMs) continue;
    const found = objectDigest(readHeaderBytes(entry.file), entry.size);
    if ('reason' in found) {
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
    });
  }
  if (objects.length === 0) return undefined;
  let metadata: ManifestVersion['metadata'] = null;
  const metadataFile = join(dir, METADATA_FILE);
  try {
    const bytes = readFileSync(metadataFile);
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

/** The bytes of a planned file, checked to be the ones the manifest describes. */
function readPlanned(planned: PlannedFile): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(planned.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CacheChangedError(planned.file);
    throw error;
  }
  const examined = planned.kind === 'metadata' ? { digest: sha256Hex(bytes) } : objectDigest(bytes, bytes.length);
  if (bytes.length !== planned.size || !('digest' in examined) || examined.digest !== planned.digest) {
    throw new CacheChangedError(planned.file);
  }
  return bytes;
}

function addEntry(packer: tar.Pack, name: string, bytes: Buffer, mtimeMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    packer.entry({ name, size: bytes.length, mode: 0o644, mtime: new Date(mtimeMs) }, bytes, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

async function streamEntries(
  packer: tar.Pack,
  manifest: BundleManifest,
  files: readonly PlannedFile[],
  onProgress: PackOptions['onProgress'],
): Promise<void> {
  const progress = { entries: 0, totalEntries: files.length, bytes: 0, totalBytes: manifest.bytes };
  await addEntry(packer, MANIFEST_ENTRY, encodeManifest(manifest), Date.parse(manifest.createdAt));
  for (const planned of files) {
    await addEntry(packer, planned.name, readPlanned(planned), planned.mtimeMs);
    progress.entries++;
    progress.bytes += planned.size;
    onProgress?.({ ...progress });
  }
  packer.finalize();
}

/**
 * Streams a cache, or the selected functions of it, as a bundle: a gzip tarball
 * starting with its manifest. Selection happens before this returns, so an unknown
 * function throws @funes/core/cache's `SelectionError` here, and a selection without
 * objects {@link PackSelectionError}; read errors and
 * {@link CacheChangedError} arrive as the stream's `error`.
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
  const selected = selectForPack(options.cacheDir, options.functions ?? [], options.allVersions ?? false);
  const files: PlannedFile[] = [];
  const skipped: SkippedFile[] = [];
  const versions = selected.flatMap((version) => planVersion(version, options.since, files, skipped) ?? []);
  if (options.functions?.length && versions.length === 0) {
    throw new PackSelectionError(
      `the selected functions have no objects${options.since ? ` written since ${options.since.toISOString()}` : ''}; nothing to pack`,
      options.since ? 'give an earlier --since, or leave it out' : '`funes log` lists what the cache holds',
    );
  }
  const manifest = buildManifest(versions, new Date(), FUNES_VERSION);
  files.sort((a, b) => a.group - b.group);
  const packer = tar.pack();
  const gzip = new MemberGzip({ level: options.level, memberBytes: GZIP_CHUNK, parallel: availableParallelism() });
  pipeline(packer, new Coalesce(GZIP_CHUNK), gzip, () => {
    // Errors reach the caller through `gzip`, which pipeline destroys with them.
  });
  streamEntries(packer, manifest, files, options.onProgress).catch((error: unknown) => gzip.destroy(error as Error));
  return Object.assign(gzip, { manifest, skipped });
}
