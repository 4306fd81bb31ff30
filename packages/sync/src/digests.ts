/** Bytes as lowercase hex, the way bundle manifests write digests (pure). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
