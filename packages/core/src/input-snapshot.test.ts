import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotInput } from './input-snapshot.js';

const code = () => 'c0de'.repeat(16);

test('an input of primitives is copied as it is: -0, NaN, BigInt, undefined and strings kept', () => {
  const input = { a: -0, b: NaN, c: 10n, d: undefined, e: 'text', f: null, g: true };
  const copy = snapshotInput(input, code);
  assert.notEqual(copy, input);
  assert.deepEqual(copy, structuredClone(input));
  assert.ok(Object.is(copy.a, -0));
  assert.deepEqual(Object.keys(copy), Object.keys(input));
});

test('an input holding objects is copied deeply, a function in it named by text', () => {
  const input = { o: { v: 1 }, f: function scale() {}, s: Symbol('k') };
  const copy = snapshotInput(input, code);
  input.o.v = 999;
  assert.deepEqual(copy.o, { v: 1 });
  assert.match(String(copy.f), /^\[function scale c0de/);
  assert.equal(copy.s, 'Symbol(k)');
});

test('memory shared with the caller is copied: a view of a SharedArrayBuffer, and the buffer itself', () => {
  const shared = new Float64Array(new SharedArrayBuffer(24));
  shared.set([1, 2, 3]);
  const buffer = new SharedArrayBuffer(2);
  new Uint8Array(buffer).set([7, 8]);
  const copy = snapshotInput({ xs: shared, buffer, bytes: Buffer.from('ab') }, code);
  // The function normalizes its argument in place.
  shared.set([0.5, 0.25, 0.25]);
  new Uint8Array(buffer).fill(0);
  assert.deepEqual([...(copy.xs as Float64Array)], [1, 2, 3]);
  assert.ok(copy.buffer instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(copy.buffer)], [7, 8]);
  assert.ok(Buffer.isBuffer(copy.bytes), 'a Buffer is recorded as a Buffer');
});
