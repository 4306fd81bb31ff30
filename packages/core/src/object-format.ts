/**
 * The byte format of one stored object (pure: bytes in, bytes out).
 *
 * ```
 * offset size  field
 *      0    4  magic 0x89 'F' 'N' 'S'
 *      4    1  format version (1)
 *      5    1  serializer id (1 = Funes record: metadata and output sections, see record.ts)
 *      6    1  compression id (0 = none, 1 = raw deflate, RFC 1951)
 *      7    1  reserved, 0
 *      8    8  payload size before compression, unsigned 64-bit little-endian
 *     16    8  stored payload size (after compression), unsigned 64-bit little-endian
 *     24   32  SHA-256 of the payload before compression
 *     56    …  stored payload
 * ```
 * docs/format.md is the normative description; keep the two in step.
 */
import { sha256, sha256Binary } from './sha256.js';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

export const MAGIC = Uint8Array.of(0x89, 0x46, 0x4e, 0x53);
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 56;

export const Serializer = { record: 1 } as const;
export const Compression = { none: 0, deflateRaw: 1 } as const;

/** Payloads below this are stored raw: a file takes a whole filesystem block anyway and deflate's set-up costs more than it saves. */
const MIN_COMPRESSIBLE = 4096;
/** How much of a payload is test-compressed to decide whether compressing it pays. */
const SAMPLE_SIZE = 64 * 1024;
/** Compress only when the sample shrinks below this fraction (random floats reach ≈ 0.95). */
const WORTHWHILE_RATIO = 0.9;
/** Deflate cannot expand data more than 1032:1; a header claiming more is damaged, not a bomb to allocate for. */
const MAX_DEFLATE_RATIO = 1032;
/**
 * node:zlib at level 1 for every size: above {@link MIN_COMPRESSIBLE} it deflates several
 * times faster than fflate (docs/performance.md), and its `maxOutputLength` stops a
 * damaged stream as soon as it expands past the header's size, where fflate with a fixed
 * `out` buffer keeps decoding to the end of a bomb.
 */
const DEFLATE_LEVEL = 1;

/**
 * From this size an object is read or written on the thread pool while it is hashed
 * (overlapped-io.ts), when its caller can wait: below it the round trips cost more than
 * the overlap saves.
 */
export const OVERLAP_FROM = 4 * 1024 * 1024;

export interface EncodedObject {
  /** Header and stored payload, to be written as they are. */
  readonly parts: readonly Uint8Array[];
  readonly size: number;
  /**
   * Set when the header's digest is still zero, for the writer to fill in with {@link
   * sealObject} once it has hashed the payload while writing it: see encodeObject's
   * `hashWhileWriting`.
   */
  readonly unsealed?: true;
}

function totalLength(parts: readonly Uint8Array[]): number {
  let length = 0;
  for (const part of parts) length += part.length;
  return length;
}

/** The first `size` bytes of the parts, joined. */
function head(parts: readonly Uint8Array[], size: number): Uint8Array {
  const slices: Uint8Array[] = [];
  for (let i = 0; i < parts.length && size > 0; size -= parts[i++].length) slices.push(parts[i].subarray(0, size));
  return Buffer.concat(slices);
}

function compress(parts: readonly Uint8Array[], length: number): Uint8Array | undefined {
  if (length > SAMPLE_SIZE) {
    const sample = head(parts, SAMPLE_SIZE);
    if (deflateRawSync(sample, { level: DEFLATE_LEVEL }).length > sample.length * WORTHWHILE_RATIO) return undefined;
  }
  const packed = deflateRawSync(parts.length === 1 ? parts[0] : Buffer.concat(parts), { level: DEFLATE_LEVEL });
  return packed.length <= length * WORTHWHILE_RATIO ? packed : undefined;
}

/** Fills in the header at the start of `object` (pure). */
function writeHeader(object: Uint8Array, compression: number, size: number, storedSize: number, digest: Uint8Array): void {
  const view = new DataView(object.buffer, object.byteOffset, HEADER_SIZE);
  object.set(MAGIC, 0);
  object[4] = FORMAT_VERSION;
  object[5] = Serializer.record;
  object[6] = compression;
  object[7] = 0;
  view.setBigUint64(8, BigInt(size), true);
  view.setBigUint64(16, BigInt(storedSize), true);
  object.set(digest, 24);
}

/**
 * Wraps a payload in the header, compressing it when that pays. The payload may come in
 * parts: a small one is joined with its header into one buffer, hashed in one call and
 * written in one (2,000 misses in a fresh process: 353,000 → 316,000 instructions each
 * under callgrind, four writes fewer); a larger one is hashed and written as its parts,
 * so a large typed array is never copied. With `hashWhileWriting`, a payload of {@link
 * OVERLAP_FROM} or more that is stored raw is left unsealed, for its writer to hash.
 */
export function encodeObject(
  payload: Uint8Array | readonly Uint8Array[],
  options: { readonly compress?: boolean; readonly hashWhileWriting?: boolean } = {},
): EncodedObject {
  const parts = payload instanceof Uint8Array ? [payload] : payload;
  const length = totalLength(parts);
  if (length < MIN_COMPRESSIBLE) {
    const object = new Uint8Array(HEADER_SIZE + length);
    let offset = HEADER_SIZE;
    for (const part of parts) {
      object.set(part, offset);
      offset += part.length;
    }
    writeHeader(object, Compression.none, length, length, sha256(object.subarray(HEADER_SIZE)));
    return { parts: [object], size: object.length };
  }
  const packed = options.compress === false ? undefined : compress(parts, length);
  const stored = packed ? [packed] : parts;
  const storedLength = packed ? packed.length : length;
  const header = new Uint8Array(HEADER_SIZE);
  const unsealed = !packed && options.hashWhileWriting === true && length >= OVERLAP_FROM;
  writeHeader(header, packed ? Compression.deflateRaw : Compression.none, length, storedLength, unsealed ? new Uint8Array(32) : sha256(...parts));
  const object = { parts: [header, ...stored], size: HEADER_SIZE + storedLength };
  return unsealed ? { ...object, unsealed } : object;
}

/** Fills in the digest of an unsealed object's payload, hashed by its writer. */
export function sealObject(object: EncodedObject, digest: Uint8Array): void {
  object.parts[0].set(digest, 24);
}

export type DecodedObject =
  | { readonly ok: true; readonly serializer: number; readonly payload: Uint8Array }
  | { readonly ok: false; readonly reason: string };

function damaged(reason: string): { readonly ok: false; readonly reason: string } {
  return { ok: false, reason };
}

/** Reads the header fields without touching the payload. */
export function readHeader(bytes: Uint8Array) {
  if (bytes.length < HEADER_SIZE) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    version: bytes[4],
    serializer: bytes[5],
    compression: bytes[6],
    reserved: bytes[7],
    size: view.getBigUint64(8, true),
    storedSize: view.getBigUint64(16, true),
    digest: bytes.subarray(24, 56),
  };
}

function u32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16)) + bytes[offset + 3] * 2 ** 24;
}

/** An unsigned 64-bit little-endian field as a number; above 2^53 it is inexact, which no size check can pass anyway. */
function u64(bytes: Uint8Array, offset: number): number {
  return u32(bytes, offset + 4) * 2 ** 32 + u32(bytes, offset);
}

export type HeaderCheck = { readonly ok: true; readonly compression: number; readonly size: number } | { readonly ok: false; readonly reason: string };

/**
 * Checks the header at the start of `bytes` against the length of the whole object:
 * every field that can be checked without the payload. Returns the compression and the
 * payload's size. Read in place as numbers, without the BigInts, views and object of
 * {@link readHeader}: every hit runs this, mostly before the JIT has warmed up.
 */
export function checkHeader(bytes: Uint8Array, objectLength: number): HeaderCheck {
  if (objectLength === 0) return damaged('empty file');
  if (objectLength < HEADER_SIZE || bytes.length < HEADER_SIZE) return damaged('shorter than a header');
  if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2] || bytes[3] !== MAGIC[3]) return damaged('not a Funes object');
  if (bytes[4] !== FORMAT_VERSION) return damaged(`unknown format version ${bytes[4]}`);
  if (bytes[5] !== Serializer.record) return damaged(`unknown serializer ${bytes[5]}`);
  if (bytes[7] !== 0) return damaged('reserved header byte is set');
  const size = u64(bytes, 8);
  const storedLength = objectLength - HEADER_SIZE;
  if (u64(bytes, 16) !== storedLength) return damaged(`payload is ${storedLength} bytes, header says ${readHeader(bytes)!.storedSize}`);
  const compression = bytes[6];
  if (compression === Compression.none) {
    if (size !== storedLength) return damaged('size fields disagree');
  } else if (compression === Compression.deflateRaw) {
    // Writers compress only when it shrinks the payload, so a stored part as large as the payload is damage.
    if (size <= storedLength) return damaged('compressed payload is not smaller than its size');
    if (size > storedLength * MAX_DEFLATE_RATIO + 1024) return damaged('implausible size');
  } else {
    return damaged(`unknown compression ${compression}`);
  }
  return { ok: true, compression, size };
}

/** Whether the object whose first bytes are `bytes` says its payload is stored raw (unchecked: see {@link checkHeader}). */
export function storedRaw(bytes: Uint8Array): boolean {
  return bytes[6] === Compression.none;
}

/** The header's SHA-256 as a binary string, to compare with {@link sha256Binary}'s. */
function headerDigest(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes.subarray(24, HEADER_SIZE) as unknown as number[]);
}

/**
 * Checks and unpacks an object. Any input gives either the exact payload that was
 * written or a `damaged` verdict with a reason — never an exception, never unbounded work.
 * `storedDigest` is the SHA-256 of the bytes after the header as their reader hashed
 * them (a binary string); it spares hashing a raw payload again.
 */
export function decodeObject(bytes: Uint8Array, storedDigest?: string): DecodedObject {
  const header = checkHeader(bytes, bytes.length);
  if (!header.ok) return header;
  const stored = bytes.subarray(HEADER_SIZE);
  let payload: Uint8Array;
  if (header.compression === Compression.none) {
    payload = stored;
  } else {
    try {
      payload = inflateRawSync(stored, { maxOutputLength: header.size });
    } catch {
      return damaged('payload does not decompress');
    }
    if (payload.length !== header.size) return damaged('payload decompresses to the wrong size');
  }
  const digest = header.compression === Compression.none && storedDigest !== undefined ? storedDigest : sha256Binary(payload);
  if (digest !== headerDigest(bytes)) return damaged('checksum mismatch');
  return { ok: true, serializer: Serializer.record, payload };
}

/**
 * The start of a deflated payload, from the start of its stored bytes (pure): as much as
 * they decompress to, up to the payload's `size`, so a record's metadata can be read
 * without inflating its output. A reason when they are not deflate data.
 */
export function inflateStart(storedStart: Uint8Array, size: number): Uint8Array | { readonly ok: false; readonly reason: string } {
  try {
    // A sync flush returns what a cut stream holds so far, where a finish would fail on its missing end.
    return inflateRawSync(storedStart, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: size });
  } catch {
    return damaged('payload does not decompress');
  }
}
