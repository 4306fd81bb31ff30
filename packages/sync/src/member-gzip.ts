/**
 * How to compress one gzip member of a bundle (pure). A bundle is a series of
 * independent members (RFC 1952 allows several in one stream, and every gunzip —
 * node:zlib, GNU gzip, `tar xzf` — reads them as one), so that several are compressed
 * at once, each with the cheapest method that pays for its bytes.
 */
import { constants as zlib } from 'node:zlib';

/**
 * Every 7th byte is sampled: coprime with the 8 bytes of a float
 * and the 512 of a tar block, so no byte position is missed.
 */
const SAMPLE_STRIDE = 7;
/** Below this a Huffman code saves too little to be worth its time. */
const STORE_ABOVE_BITS = 7.84;
/**
 * Above this the bytes are near-random apart from a skewed byte distribution and runs
 * of zeros (float noise stored raw, between tar headers and padding): run-length
 * matches and a Huffman code save nearly what gzip -6 does, faster than level 1;
 * below it LZ77 finds repeats (text, small records, the manifest) and is fast on them.
 */
const RUN_LENGTH_ABOVE_BITS = 6.5;

/** Shannon entropy of a sample of the bytes, in bits per byte: what a Huffman code of them approaches. */
export function sampledEntropy(bytes: Uint8Array): number {
  const counts = new Uint32Array(256);
  let samples = 0;
  for (let i = 0; i < bytes.length; i += SAMPLE_STRIDE) {
    counts[bytes[i]]++;
    samples++;
  }
  let bits = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / samples;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * How to compress one member (pure): stored when nothing would be
 * saved, run-length only for noise, deflate level 1 otherwise.
 */
export function memberMethod(bytes: Uint8Array): { readonly level: number; readonly strategy: number } {
  const bits = sampledEntropy(bytes);
  if (bits > STORE_ABOVE_BITS) return { level: 0, strategy: zlib.Z_DEFAULT_STRATEGY };
  if (bits > RUN_LENGTH_ABOVE_BITS) return { level: 1, strategy: zlib.Z_RLE };
  return { level: 1, strategy: zlib.Z_DEFAULT_STRATEGY };
}
