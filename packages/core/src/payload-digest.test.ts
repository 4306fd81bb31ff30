import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { algorithmFor, BLAKE3_FROM, DigestAlgorithm, digest, hasher, portableBlake3 } from './payload-digest.js';

test('the native BLAKE3 and the portable fallback give the same digests, whole or in chunks', () => {
  const portable = portableBlake3();
  for (const size of [0, 1, 63, 64, 65, 1023, 1024, 1025, 4096, 70_000, 300_001]) {
    const bytes = randomBytes(size);
    const native = Buffer.from(digest(DigestAlgorithm.blake3, bytes));
    assert.equal(native.length, 32);
    assert.deepEqual(Buffer.from(portable.hash(bytes)), native, `${size} bytes`);
    const chunked = hasher(DigestAlgorithm.blake3);
    const fallback = portable.hasher();
    for (let at = 0; at < size; at += 777) {
      chunked.update(bytes.subarray(at, at + 777));
      fallback.update(bytes.subarray(at, at + 777));
    }
    assert.deepEqual(Buffer.from(chunked.digestBytes()), native, `${size} bytes in chunks`);
    assert.deepEqual(Buffer.from(fallback.digestBytes()), native, `${size} bytes in chunks, portable`);
  }
  // The published test vector: BLAKE3 of no input.
  assert.equal(
    Buffer.from(digest(DigestAlgorithm.blake3, new Uint8Array())).toString('hex'),
    'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
  );
});

test('small objects are sealed with SHA-256, large ones with BLAKE3', () => {
  assert.equal(algorithmFor(BLAKE3_FROM - 1), DigestAlgorithm.sha256);
  assert.equal(algorithmFor(BLAKE3_FROM), DigestAlgorithm.blake3);
  const bytes = randomBytes(100);
  const sha = hasher(DigestAlgorithm.sha256);
  sha.update(bytes);
  assert.deepEqual(Buffer.from(sha.digestBytes()), Buffer.from(digest(DigestAlgorithm.sha256, bytes)));
});
