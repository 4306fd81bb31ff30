/** Hex digests as bundles record them (pure). */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of some bytes (node:crypto: ≈ 15× @noble/hashes on large inputs). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes as lowercase hex, the way manifests write digests. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
