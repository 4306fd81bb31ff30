import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJsonValue } from './json-value.js';

test('stored values become JSON by one documented conversion', () => {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  assert.deepEqual(
    toJsonValue({
      date: new Date('2026-11-25T00:00:00Z'),
      big: 12345678901234567890n,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      missing: undefined,
      map: new Map([['a', 1]]),
      pairs: new Map<unknown, unknown>([[1, 'one']]),
      set: new Set([1, 2]),
      floats: new Float64Array([0.5, 1.5]),
      bytes: new Uint8Array([1, 2]).buffer,
      regex: /x+/g,
      error: new RangeError('too far'),
      cyclic,
      shared: [cyclic, cyclic],
    }),
    {
      date: '2026-11-25T00:00:00.000Z',
      big: '12345678901234567890',
      nan: null,
      inf: null,
      missing: null,
      map: { a: 1 },
      pairs: [[1, 'one']],
      set: [1, 2],
      floats: [0.5, 1.5],
      bytes: [1, 2],
      regex: '/x+/g',
      error: { name: 'RangeError', message: 'too far' },
      cyclic: { name: 'loop', self: '[Circular]' },
      shared: [
        { name: 'loop', self: '[Circular]' },
        { name: 'loop', self: '[Circular]' },
      ],
    },
  );
});

test('exact numbers keep NaN, ±Infinity and -0; a limit converts only the first items of each collection', () => {
  const exact = toJsonValue({ nan: Number.NaN, inf: -Infinity, zero: -0, list: [Number.NaN] }, { exactNumbers: true });
  assert.deepEqual(exact, { nan: Number.NaN, inf: -Infinity, zero: -0, list: [Number.NaN] });
  assert.ok(Object.is((exact as { zero: number }).zero, -0));
  const long = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(
    toJsonValue(
      {
        array: long,
        floats: Float64Array.from(long),
        set: new Set(long),
        map: new Map(long.map((i) => [`k${i}`, i])),
        bytes: Uint8Array.from(long).buffer,
        nested: [long],
      },
      { items: 3 },
    ),
    {
      array: [0, 1, 2],
      floats: [0, 1, 2],
      set: [0, 1, 2],
      map: { k0: 0, k1: 1, k2: 2 },
      bytes: [0, 1, 2],
      nested: [[0, 1, 2]],
    },
  );
});
