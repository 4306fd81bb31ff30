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
