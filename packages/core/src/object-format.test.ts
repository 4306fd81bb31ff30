import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { Compression, decodeObject, encodeObject, HEADER_SIZE, readHeader } from './object-format.js';
import { sha256Binary } from './sha256.js';

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
  assert.deepEqual(Buffer.from(decoded.payload), Buffer.from(zeros));
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

/** A payload that compresses (repeating text with numbers) or not (random bytes), of any size up to `max`. */
const payloads = (max: number) =>
  fc.oneof(
    fc.uint8Array({ maxLength: max }),
    fc.tuple(fc.string({ maxLength: 20 }), fc.nat({ max: Math.ceil(max / 4) })).map(([text, n]) =>
      new Uint8Array(Buffer.from(Array.from({ length: n }, (_, i) => `${text}${i % 17},`).join('').slice(0, max))),
    ),
  );

/** The decoder's contract: either the exact payload that was written, or a verdict — never a throw. */
function assertNeverGarbage(bytes: Uint8Array, original: Uint8Array | undefined): void {
  const decoded = decodeObject(bytes);
  if (decoded.ok && original) assert.deepEqual(Buffer.from(decoded.payload), Buffer.from(original));
  if (!decoded.ok) assert.equal(typeof decoded.reason, 'string');
  // A reader that hashed the bytes after the header as it read them gets the same verdict.
  if (bytes.length >= HEADER_SIZE) {
    assert.deepEqual(decodeObject(bytes, sha256Binary(bytes.subarray(HEADER_SIZE))), decoded);
  }
}

test('fuzz: arbitrary bytes give a verdict, never an exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => assertNeverGarbage(bytes, undefined)),
    { numRuns: 3000 },
  );
  // Bytes behind a valid magic reach the deeper checks.
  const withMagic = fc
    .uint8Array({ minLength: HEADER_SIZE - 4, maxLength: 400 })
    .map((rest) => new Uint8Array([0x89, 0x46, 0x4e, 0x53, 1, 1, ...rest]));
  fc.assert(fc.property(withMagic, (bytes) => assertNeverGarbage(bytes, undefined)), { numRuns: 3000 });
});

test('fuzz: flipped, cut, extended and overwritten objects are detected or exact', () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    fc.record({
      kind: fc.constant('overwrite' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  );
  fc.assert(
    fc.property(payloads(40_000), fc.array(mutation, { minLength: 1, maxLength: 3 }), (payload, mutations) => {
      let bytes = bytesOf(payload);
      assertNeverGarbage(bytes, payload);
      for (const m of mutations) {
        bytes = bytes.slice();
        if (m.kind === 'flip') bytes[m.at % bytes.length] ^= 1 << m.bit;
        else if (m.kind === 'cut') bytes = bytes.subarray(0, m.at % bytes.length);
        else if (m.kind === 'extend') bytes = new Uint8Array([...bytes, ...m.extra]);
        else {
          bytes.set(m.bytes.subarray(0, bytes.length - (m.at % bytes.length)), m.at % bytes.length);
        }
        assertNeverGarbage(bytes, payload);
      }
    }),
    { numRuns: 400 },
  );
});

/** A header with chosen fields in front of chosen stored bytes. */
function craft(
  fields: { compression: number; size: bigint; storedSize?: bigint; digest?: Uint8Array },
  stored: Uint8Array,
): Uint8Array {
  const bytes = new Uint8Array(HEADER_SIZE + stored.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x89, 0x46, 0x4e, 0x53, 1, 1, fields.compression, 0]);
  view.setBigUint64(8, fields.size, true);
  view.setBigUint64(16, fields.storedSize ?? BigInt(stored.length), true);
  bytes.set(fields.digest ?? new Uint8Array(32), 24);
  bytes.set(stored, HEADER_SIZE);
  return bytes;
}

test('fuzz: lying size fields never make the reader allocate or work without bound', () => {
  const size = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 22n }));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3 }),
      size,
      fc.uint8Array({ maxLength: 2000 }),
      (compression, claimed, stored) => {
        const started = cpuMs();
        assertNeverGarbage(craft({ compression, size: claimed }, stored), undefined);
        assert.ok(cpuMs() - started < 1000, 'bounded work');
      },
    ),
    { numRuns: 2000 },
  );
});

test('a deflate bomb under a small size is refused long before it would be inflated', () => {
  const bomb = deflateRawSync(new Uint8Array(200_000_000), { level: 9 });
  // The work the bomb would cost, measured in this run: inflating it whole.
  const before = cpuMs();
  inflateRawSync(bomb);
  const whole = cpuMs() - before;
  for (const claimed of [1000n, BigInt(bomb.length + 1), 1_000_000n]) {
    const started = cpuMs();
    const decoded = decodeObject(craft({ compression: Compression.deflateRaw, size: claimed }, bomb));
    const spent = cpuMs() - started;
    assert.equal(decoded.ok, false);
    assert.ok(spent < whole / 10, `refused after ${spent} ms of CPU; inflating it whole takes ${whole} ms`);
  }
});

/**
 * CPU time this process has used, in milliseconds: work bounds are checked in it rather
 * than in wall-clock time, which other processes on a loaded machine stretch.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
