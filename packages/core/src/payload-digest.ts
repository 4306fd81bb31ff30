/**
 * The digests that seal a stored object's bytes (object-format.ts): SHA-256 for small
 * objects, BLAKE3 (256-bit) for large ones, named in the object's header. Keys and bundle
 * manifests use SHA-256 alone (sha256.ts).
 *
 * BLAKE3 comes from a prebuilt native addon, loaded on first use so that processes that
 * only meet small objects never pay for loading it; where it cannot load, @noble/hashes'
 * pure-JS BLAKE3 gives the same digests, slowly.
 */
import { createRequire } from 'node:module';
import { hash } from 'node:crypto';
import { sha256Hasher } from './sha256.js';

/** The digest algorithm ids of object format 2 (docs/format.md). */
export const DigestAlgorithm = { sha256: 1, blake3: 2 } as const;
export type DigestAlgorithmId = (typeof DigestAlgorithm)[keyof typeof DigestAlgorithm];

/**
 * Objects whose stored sections reach this size are sealed with BLAKE3. Below it SHA-256,
 * built into Node, costs about the same and needs no addon loaded (measured in
 * docs/performance.md).
 */
export const BLAKE3_FROM = 64 * 1024;

/** The algorithm a writer seals an object of `storedSize` bytes after its header with. */
export function algorithmFor(storedSize: number): DigestAlgorithmId {
  return storedSize >= BLAKE3_FROM ? DigestAlgorithm.blake3 : DigestAlgorithm.sha256;
}

/** An incremental digest of bytes that arrive in chunks. */
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  /** The 32-byte digest; the hasher is spent. */
  digestBytes(): Uint8Array;
}

interface Blake3 {
  hash(bytes: Uint8Array): Uint8Array;
  hasher(): Hasher;
}

let blake3Implementation: Blake3 | undefined;

function nativeBlake3(): Blake3 {
  const native = createRequire(import.meta.url)('@napi-rs/blake-hash') as {
    blake3(input: Uint8Array): Buffer;
    Blake3Hasher: new () => { update(input: Uint8Array): unknown; digestBuffer(): Buffer };
  };
  return {
    hash: (bytes) => native.blake3(bytes),
    hasher: () => {
      const h = new native.Blake3Hasher();
      return { update: (bytes) => h.update(bytes), digestBytes: () => h.digestBuffer() };
    },
  };
}

/** @noble/hashes' BLAKE3: the same digests as the addon, for platforms it has no build for. */
export function portableBlake3(): Blake3 {
  const { blake3 } = createRequire(import.meta.url)(
    '@noble/hashes/blake3.js',
  ) as typeof import('@noble/hashes/blake3.js');
  return {
    hash: (bytes) => blake3(bytes),
    hasher: () => {
      const h = blake3.create();
      return { update: (bytes) => h.update(bytes), digestBytes: () => h.digest() };
    },
  };
}

function blake3(): Blake3 {
  if (blake3Implementation) return blake3Implementation;
  try {
    blake3Implementation = nativeBlake3();
  } catch (error) {
    // Said once, as the portable digest makes every large read and write far slower without failing.
    process.emitWarning(
      `the native BLAKE3 addon (@napi-rs/blake-hash) did not load (${(error as Error).message.split('\n')[0]}), ` +
        'so large results are sealed and checked with a portable BLAKE3, many times slower; the results are ' +
        'the same. Reinstall with optional dependencies (npm install --include=optional) on a platform the ' +
        'addon has a build for.',
      { type: 'FunesWarning', code: 'ESLOWDIGEST' },
    );
    blake3Implementation = portableBlake3();
  }
  return blake3Implementation;
}

/** The digest of `bytes` with an object's algorithm, as a Buffer of 32 bytes. */
export function digest(algorithm: DigestAlgorithmId, bytes: Uint8Array): Uint8Array {
  return algorithm === DigestAlgorithm.sha256 ? hash('sha256', bytes, 'buffer') : blake3().hash(bytes);
}

/** Writes the digest of `bytes` with an object's algorithm into the 32 bytes of `target` from `at`. */
export function writeDigest(algorithm: DigestAlgorithmId, bytes: Uint8Array, target: Buffer, at: number): void {
  // SHA-256 as a binary string, written as Latin-1: a digest Buffer costs more than hashing a small object.
  if (algorithm === DigestAlgorithm.sha256) target.write(hash('sha256', bytes, 'binary'), at, 32, 'latin1');
  else target.set(blake3().hash(bytes), at);
}

/** Whether the 32 bytes of `stored` from `at` are the digest of `data`. */
export function matchesDigest(algorithm: DigestAlgorithmId, data: Uint8Array, stored: Uint8Array, at: number): boolean {
  const expected = new Uint8Array(stored.buffer, stored.byteOffset + at, 32);
  // SHA-256 as a binary string, compared whole: a digest Buffer made by node:crypto, or a
  // loop over its bytes, costs a fresh process's hit more than the hash of a small record.
  if (algorithm === DigestAlgorithm.sha256) return hash('sha256', data, 'binary') === binaryString(expected);
  const found = blake3().hash(data);
  for (let i = 0; i < 32; i++) if (expected[i] !== found[i]) return false;
  return true;
}

/** Bytes as a binary string, one character per byte. */
function binaryString(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** An incremental digest with an object's algorithm. */
export function hasher(algorithm: DigestAlgorithmId): Hasher {
  if (algorithm === DigestAlgorithm.blake3) return blake3().hasher();
  const h = sha256Hasher();
  return { update: (bytes) => h.update(bytes), digestBytes: () => h.digest() };
}

/** Whether the algorithm id is one this version reads. */
export function isDigestAlgorithm(id: number): id is DigestAlgorithmId {
  return id === DigestAlgorithm.sha256 || id === DigestAlgorithm.blake3;
}
