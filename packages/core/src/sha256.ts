/**
 * SHA-256, the one digest Funes uses: object checksums, argument and definition hashes.
 * node:crypto, not @noble/hashes: as fast on short keys and much faster on large ones
 * (bench/hashing.bench.ts), with identical digests.
 */
import { createHash, hash, type Hash } from 'node:crypto';

type Part = Uint8Array | string;

/**
 * One part goes to the one-shot `crypto.hash`, which makes a fresh process's keys faster
 * than a `Hash` object does (same digest).
 */
function digest(parts: readonly Part[], encoding: 'hex' | 'binary' | 'buffer'): string | Buffer {
  if (parts.length === 1) return hash('sha256', parts[0], encoding);
  const h = sha256Hasher();
  for (const part of parts) h.update(part);
  return encoding === 'buffer' ? h.digest() : h.digest(encoding);
}

/** The digest of the parts, in order, as if joined; strings as UTF-8. */
export function sha256(...parts: readonly Part[]): Buffer {
  return digest(parts, 'buffer') as Buffer;
}

/** The SHA-256 of the parts, in order, as 64 lowercase hex digits; strings as UTF-8. */
export function sha256Hex(...parts: readonly Part[]): string {
  return digest(parts, 'hex') as string;
}

/**
 * The digest as a binary string (32 characters, one per byte), for comparing with a stored one:
 * a fresh process checks objects faster that way than through a digest Buffer.
 */
export function sha256Binary(...parts: readonly Part[]): string {
  return digest(parts, 'binary') as string;
}

/** An incremental SHA-256, for bytes that arrive in chunks. */
export function sha256Hasher(): Hash {
  return createHash('sha256');
}
