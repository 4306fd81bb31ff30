/**
 * SHA-256, the one digest Funes uses: object checksums, argument and definition hashes.
 * node:crypto, not @noble/hashes: within 0.4 µs of it on a 33-byte key and ≈ 11× faster on
 * a 190 KB one (bench/hashing.bench.ts), with identical digests.
 */
import { createHash } from 'node:crypto';

/** The digest of the parts, in order, as if joined; strings as UTF-8. */
export function sha256(...parts: readonly (Uint8Array | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The SHA-256 of the parts, in order, as 64 lowercase hex digits; strings as UTF-8. */
export function sha256Hex(...parts: readonly (Uint8Array | string)[]): string {
  return sha256(...parts).toString('hex');
}
