import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromWire, toWire } from './wire.js';

test('numbers JSON cannot carry reach the page as numbers; everything else is plain JSON', () => {
  const value = { cells: [0.5, Number.NaN, Infinity, -Infinity, null, 'NaN'], nested: { mean: Number.NaN } };
  const text = toWire(value);
  assert.equal(JSON.parse(text).cells[1].$number, 'NaN');
  assert.deepEqual(fromWire(text), value);
  assert.deepEqual(fromWire(toWire({ a: 1, b: ['x'] })), { a: 1, b: ['x'] });
  assert.deepEqual(fromWire('{"$number":"12"}'), { $number: '12' }, 'only the texts of non-finite numbers');
});
