/**
 * Reads a bundle stream entry by entry, enforcing its structure: gzip, then a tar
 * whose first entry is the manifest and whose other entries are exactly the ones
 * the manifest announces, each admitted by the entry rules before a byte of it is
 * read, then streamed to the handler, never held whole. Expansion is bounded twice:
 * by the caller's limit from the first byte, then by what the manifest declares.
 * Nothing here writes; the handler decides.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { InvalidUsageError } from '@funes/core';
import { admitEntry } from './entry-rules.js';
import { BundleError, BundleFormatError, BundleTooLargeError, EntrySizeError, TruncatedBundleError } from './errors.js';
import { ByteLimit } from './byte-limit.js';
import {
  expectedEntries,
  MANIFEST_ENTRY,
  MAX_MANIFEST_BYTES,
  parseManifest,
  type BundleManifest,
  type ExpectedEntry,
} from './manifest.js';

/** A bundle (or one object's decoded payload) larger than this needs `maxBytes` raised. */
export const DEFAULT_MAX_BYTES = 2 ** 32;

/** A bundle as bytes: a Node.js readable (a file, stdin, a socket) or any async iterable of chunks. */
export type BundleSource = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** What to do with a bundle's contents as they arrive. */
export interface BundleHandler {
  /** Called with the checked manifest; return false to stop reading (as `--list` does). */
  manifest(manifest: BundleManifest): boolean;
  /**
   * Called with each announced entry and its bytes as they arrive, which it must read
   * to the end: they stop with a {@link BundleError} when they are not of the declared size.
   */
  entry(entry: ExpectedEntry, chunks: AsyncIterable<Buffer>): Promise<void>;
}

/**
 * gunzip output chunks: 16 times node's default, which gunzips a
 * bundle faster (fewer thread-pool round trips; docs/performance.md).
 */
const GUNZIP_CHUNK = 256 * 1024;
/** tar adds a 512-byte header per entry, padding to 512, and maybe a PAX header for a long name. */
const TAR_OVERHEAD_PER_ENTRY = 512 + 511 + 2048;
/** End-of-archive blocks and the record padding some tar writers add. */
const TAR_TRAILER = 64 * 1024;

/** The most tar bytes a bundle with this manifest can honestly expand to. */
function honestTarSize(manifestSize: number, manifest: BundleManifest, entries: number): number {
  return manifestSize + manifest.bytes + (entries + 1) * TAR_OVERHEAD_PER_ENTRY + TAR_TRAILER;
}

/** An entry's bytes as they arrive, refused the moment they pass its declared size or stop short of it. */
async function* entryChunks(stream: AsyncIterable<unknown>, name: string, size: number): AsyncGenerator<Buffer> {
  let length = 0;
  for await (const data of stream) {
    const chunk = data as Buffer;
    length += chunk.length;
    if (length > size) throw new EntrySizeError(name, size, length);
    yield chunk;
  }
  // tar-stream ends an entry early only when the archive itself ends early.
  if (length < size) {
    throw new TruncatedBundleError(`entry ${JSON.stringify(name)} stops after ${length} of ${size} bytes`);
  }
}

/** A whole entry, for the manifest only: every other entry streams to its handler. */
async function readEntry(stream: AsyncIterable<unknown>, name: string, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entryChunks(stream, name, size)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Turns what gunzip and tar-stream throw into bundle errors that
 * say what happened; other errors (the disk's) pass unchanged.
 */
function bundleErrorOf(error: unknown): unknown {
  const { code, message } = error as NodeJS.ErrnoException;
  const fromTar = code === undefined && typeof message === 'string';
  if (code === 'Z_BUF_ERROR' || (fromTar && /unexpected end/i.test(message))) {
    return new TruncatedBundleError(message, { cause: error });
  }
  if (code === 'Z_DATA_ERROR' || (fromTar && /header/i.test(message))) {
    return new BundleFormatError(
      `the bundle is not a gzip-compressed tar archive, or it is corrupted (${message})`,
      undefined,
      { cause: error },
    );
  }
  return error;
}

/**
 * Throws EINVALID, saying the fix, unless `source` can be read as a bundle's bytes and
 * `maxBytes` bounds them: a path would be read as its characters and refused as a damaged
 * bundle, a source that is no stream would leave the read waiting forever, and a limit
 * that is not a number would bound nothing.
 */
function checkArguments(source: unknown, maxBytes: unknown): void {
  if (typeof source === 'string' || source instanceof URL) {
    throw new InvalidUsageError(
      `${String(source)} is a path, not the bundle's bytes`,
      "pass a stream of the file's bytes: createReadStream(path) from node:fs",
    );
  }
  const readable = typeof source === 'object' && source !== null && !(source instanceof Uint8Array);
  const iterable = readable && typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
  if (!iterable && !(readable && typeof (source as { pipe?: unknown }).pipe === 'function')) {
    throw new InvalidUsageError(
      `a bundle is read from a stream or async iterable of bytes, not ${describeValue(source)}`,
      'pass createReadStream(path), process.stdin, or for bytes in memory Readable.from([bytes])',
    );
  }
  if (typeof maxBytes !== 'number' || !(maxBytes > 0)) {
    throw new InvalidUsageError(
      `maxBytes must be a number of bytes above 0, not ${describeValue(maxBytes)}`,
      `leave it out for the default, ${DEFAULT_MAX_BYTES}, or raise it for a larger trusted bundle`,
    );
  }
}

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `a ${value.constructor.name} (wrap it: Readable.from([bytes]))`;
  return typeof value === 'number' || value === undefined || value === null ? String(value) : `a ${typeof value}`;
}

/**
 * Reads a bundle, calling `handler` with its manifest and then each entry. Rejects
 * with a {@link BundleError} subclass for any bundle that breaks the format or the
 * safety rules; entries already handed over stay handed over.
 */
export async function readBundle(source: BundleSource, maxBytes: number, handler: BundleHandler): Promise<void> {
  checkArguments(source, maxBytes);
  const limit = new ByteLimit(
    Math.min(maxBytes, MAX_MANIFEST_BYTES + TAR_TRAILER),
    'the bundle has no manifest within its first bytes',
  );
  const extract = tar.extract();
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  // Settled into a value at once: it may fail while an entry's handler is still at work.
  const feeding = pipeline(source, gunzip, limit, extract).then(
    () => undefined,
    (error: unknown) => error,
  );
  let failure: unknown;
  let stopped = false;
  let expected: Map<string, ExpectedEntry> | undefined;
  const seen = new Set<string>();
  try {
    for await (const entry of extract) {
      const header = entry.header;
      if (!expected) {
        if (header.name !== MANIFEST_ENTRY || (header.type ?? 'file') !== 'file') {
          throw new BundleFormatError(
            `the bundle's first entry is ${JSON.stringify(header.name)}, not the manifest ${MANIFEST_ENTRY}`,
            header.name,
          );
        }
        const size = header.size ?? 0;
        if (size > MAX_MANIFEST_BYTES) {
          throw new BundleTooLargeError(`the manifest is ${size} bytes`, MAX_MANIFEST_BYTES);
        }
        const manifest = parseManifest(await readEntry(entry, MANIFEST_ENTRY, size));
        expected = expectedEntries(manifest);
        if (manifest.bytes > maxBytes) {
          throw new BundleTooLargeError(`the bundle declares ${manifest.bytes} bytes of entries`, maxBytes);
        }
        // Until now only a manifest was allowed for; from now on what it declares, never more than maxBytes.
        const honest = honestTarSize(size, manifest, expected.size);
        if (honest <= maxBytes) {
          limit.setLimit(honest, `the bundle expands past the ${honest} bytes its manifest accounts for`);
        } else {
          limit.setLimit(maxBytes, 'the bundle expands past the limit');
        }
        stopped = !handler.manifest(manifest);
        if (stopped) break;
        continue;
      }
      const admitted = admitEntry(header, expected, seen);
      await handler.entry(admitted, entryChunks(entry, admitted.name, admitted.size));
    }
  } catch (error) {
    failure = error;
  } finally {
    // Stop reading whatever is left (after --list, or a refusal); the source may be stdin.
    extract.destroy();
  }
  const fed = await feeding;
  if (failure instanceof BundleError) throw failure;
  if (fed instanceof BundleError) throw fed;
  // No byte at all is no bundle, rather than one cut short (an empty file, or nothing piped in).
  if ((failure ?? fed) !== undefined && gunzip.bytesWritten === 0) {
    throw new BundleFormatError('the bundle is empty (0 bytes)');
  }
  if (failure !== undefined) throw bundleErrorOf(failure);
  if (stopped) return;
  if (fed !== undefined) throw bundleErrorOf(fed);
  if (!expected) throw new BundleFormatError('the bundle is empty');
  if (seen.size < expected.size) {
    throw new TruncatedBundleError(`${expected.size - seen.size} of ${expected.size} announced entries are missing`);
  }
}
