import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Compression, decodeObject, encodeObject, HEADER_SIZE, readHeader } from './object-format.js';

const bytesOf = (payload: Uint8Array) => new Uint8Array(Buffer.concat(encodeObject(payload).parts));

test('small and incompressible payloads are stored raw; compressible ones deflated', () => {
  const small = Uint8Array.from({ length: 1000 }, () => 7);
  assert.equal(readHeader(bytesOf(small))?.compression, Compression.none);
  const random = new Uint8Array(randomBytes(300_000));
  assert.equal(readHeader(bytesOf(random))?.compression, Compression.none);
  const zeros = new Uint8Array(300_000);
  const packed = bytesOf(zeros);
  assert.equal(readHeader(packed)?.compression, Compression.deflateRaw);
  assert.ok(packed.length < 10_000);
  const decoded = decodeObject(packed);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.payload, zeros);
});

test('damage is detected, never returned', () => {
  const payload = new Uint8Array(50_000).map((_, i) => i % 13);
  const good = bytesOf(payload);
  assert.ok(decodeObject(good).ok);
  assert.deepEqual(decodeObject(new Uint8Array()), { ok: false, reason: 'empty file' });
  assert.equal(decodeObject(good.subarray(0, 20)).ok, false);
  assert.equal(decodeObject(good.subarray(0, good.length - 1)).ok, false);
  assert.equal(decodeObject(Buffer.from('{"json": "from another tool"} padding padding padding padding')).ok, false);
  for (let i = 0; i < good.length; i += Math.max(1, Math.floor(good.length / 400))) {
    const flipped = good.slice();
    flipped[i] ^= 0x10;
    assert.equal(decodeObject(flipped).ok, false, `flip at ${i}`);
  }
  assert.equal(HEADER_SIZE, 56);
});
