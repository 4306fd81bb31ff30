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
