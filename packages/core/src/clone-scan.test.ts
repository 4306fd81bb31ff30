import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { isPlainClone, metadataTime } from './clone-scan.js';

/** Keys of all digits that are not an index, which V8 writes as strings, are left to deserialize. */
const key = fc.string({ unit: 'binary' }).filter((name) => !/^[0-9]+$/.test(name));

/** Plain data as records hold it: what the scan follows. */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, true, false, 0, -0, NaN, Infinity, 2 ** 31, -(2 ** 31) - 1),
    fc.integer(),
    fc.double(),
    fc.string({ unit: 'binary' }),
    fc.date({ noInvalidDate: false }),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.sparseArray(tie('value'), { maxLength: 8 }),
    fc.dictionary(fc.oneof(key, fc.nat().map(String)), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const metadata = fc.record({
  input: fc.dictionary(key, plain, { maxKeys: 4 }),
  time: fc.oneof(fc.double({ noNaN: true }), fc.integer()),
  createdAt: fc.date(),
  node: fc.string(),
  host: fc.string({ unit: 'binary' }),
});

/** `bytes` changed where a damaged or forged section could differ: bytes flipped, cut, inserted or dropped. */
const mutated = (bytes: Uint8Array) =>
  fc
    .array(
      fc.record({
        kind: fc.constantFrom('set', 'cut', 'insert', 'drop'),
        at: fc.nat(),
        byte: fc.constantFrom(0, 0x22, 0x24, 0x2d, 0x40, 0x41, 0x49, 0x4e, 0x61, 0x6f, 0x7b, 0x7f, 0x80, 0xff),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((changes) => {
      let out = [...bytes];
      for (const { kind, at, byte } of changes) {
        const i = at % (out.length + 1);
        if (kind === 'set' && i < out.length) out[i] = byte;
        else if (kind === 'cut') out = out.slice(0, i);
        else if (kind === 'insert') out.splice(i, 0, byte);
        else if (kind === 'drop') out.splice(i, 1);
      }
      return Uint8Array.from(out);
    });

function deserializes(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: deserialize(bytes) };
  } catch {
    return { ok: false };
  }
}

test('the scan follows plain data to its end', () => {
  fc.assert(fc.property(plain, (value) => assert.ok(isPlainClone(serialize(value)))), { numRuns: 2000 });
});

test("a record's time is read without deserializing its metadata", () => {
  fc.assert(
    fc.property(metadata, (fields) => {
      assert.ok(Object.is(metadataTime(serialize(fields)), fields.time));
    }),
    { numRuns: 1000 },
  );
});

test('what the scan answers, deserialize agrees with, however the bytes were changed', () => {
  const cases = fc.oneof(plain, metadata).chain((value) => mutated(serialize(value)));
  fc.assert(
    fc.property(cases, (bytes) => {
      const read = deserializes(bytes);
      if (isPlainClone(bytes)) assert.ok(read.ok, 'followed bytes deserialize');
      const time = metadataTime(bytes);
      if (time === undefined) return;
      assert.ok(read.ok, 'bytes with a time deserialize');
      const record = read.value as { input: unknown; time: unknown };
      assert.ok(typeof record.input === 'object' && record.input !== null, 'input is an object');
      assert.ok(Object.is(record.time, time), 'the same time');
    }),
    { numRuns: 20000 },
  );
});

test('values the scan does not follow are left to deserialize', () => {
  const shared = { a: 1 };
  for (const value of [new Map(), new Set([1]), 5n, /x/, new Uint8Array(4), Buffer.from('x'), [shared, shared]]) {
    assert.equal(isPlainClone(serialize(value)), false);
  }
  assert.equal(metadataTime(serialize({ input: { x: 1 }, time: '1' })), undefined);
  assert.equal(metadataTime(serialize({ input: 1, time: 1 })), undefined);
  assert.equal(metadataTime(serialize({ time: 1 })), undefined);
  assert.equal(metadataTime(serialize({ input: {}, time: 1, extra: new Map() })), undefined);
  assert.equal(metadataTime(serialize({ input: {}, createdAt: new Date(0), time: 3 })), 3);
});
