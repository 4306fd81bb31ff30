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

test('a mark whose key the text escapes (\\u0024number) reads as the mark; a toJSON value as JSON writes it', () => {
  assert.ok(Number.isNaN(fromWire('{"\\u0024number":"NaN"}')));
  assert.deepEqual(fromWire('[{"\\u0024object":[["$number","NaN"]]}]'), [{ $number: 'NaN' }]);
  const when = new Date('2026-01-01T00:00:00Z');
  assert.equal(toWire({ when, list: [1, 'two', null, true] }), JSON.stringify({ when, list: [1, 'two', null, true] }));
  assert.equal(toWire([{ deep: [[{ $number: 'x' }]] }]), '[{"deep":[[{"$object":[["$number","x"]]}]]}]');
  assert.equal(toWire([[[-0]]]), '[[[{"$number":"-0"}]]]');
});
