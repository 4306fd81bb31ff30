import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromWire, toWire } from './wire.js';

test('numbers JSON cannot carry reach the page as numbers; everything else is plain JSON', () => {
  const value = { cells: [0.5, Number.NaN, Infinity, -Infinity, null, 'NaN'], nested: { mean: Number.NaN } };
  const text = toWire(value);
  assert.equal(JSON.parse(text).cells[1].$number, 'NaN');
  assert.deepEqual(fromWire(text), value);
  assert.deepEqual(fromWire(toWire({ a: 1, b: ['x'] })), { a: 1, b: ['x'] });
  assert.deepEqual(fromWire('{"$number":"12"}'), { $number: '12' }, 'only the texts of numbers JSON cannot carry');
});

test('-0 reaches the page as -0, not 0', () => {
  const [zero, negative] = fromWire(toWire([0, -0])) as number[];
  assert.ok(Object.is(zero, 0));
  assert.ok(Object.is(negative, -0));
});

test('an object of the cache shaped like a mark reaches the page as itself', () => {
  const value = {
    output: { $number: 'NaN' },
    wrapped: { $object: [['$number', 'Infinity']] },
    inside: { $number: { $number: '-0' } },
    numbers: { $number: Number.NaN },
  };
  assert.deepEqual(fromWire(toWire(value)), value);
});
