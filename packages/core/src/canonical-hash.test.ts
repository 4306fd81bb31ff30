import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { funesKey, hashArguments, hashValue } from './canonical-hash.js';
import { UnhashableArgumentError } from './errors.js';

const values = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
  withObjectString: true,
});

/** A deep copy with every object's keys and every Map/Set's entries inserted in reverse order. */
function reordered(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = value.length - 1; i >= 0; i--) if (i in value) copy[i] = reordered(value[i]);
    return copy;
  }
  if (value instanceof Map) return new Map([...value].reverse().map(([k, v]) => [reordered(k), reordered(v)]));
  if (value instanceof Set) return new Set([...value].reverse().map(reordered));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const copy = Object.create(proto);
  for (const key of Object.keys(value).reverse()) copy[key] = reordered((value as Record<string, unknown>)[key]);
  return copy;
}

test('equal values hash equally, whatever the key and entry order', () => {
  fc.assert(
    fc.property(values, (value) => {
      assert.equal(hashValue(reordered(value)), hashValue(value));
    }),
    { numRuns: 500 },
  );
});

test('values that differ anywhere hash differently', () => {
  fc.assert(
    fc.property(values, values, (a, b) => {
      fc.pre(!isDeepStrictEqual(a, b));
      assert.notEqual(hashValue(a), hashValue(b));
    }),
    { numRuns: 1000 },
  );
});

test('types are kept apart', () => {
  const distinct = [1, '1', 1n, true, null, undefined, [1], { 0: 1 }, new Date(1), new Number(1), new Set([1]), new Map([[1, 1]]), Uint8Array.of(1), Int8Array.of(1), Uint8Array.of(1).buffer, /1/];
  const hashes = distinct.map((v) => hashValue(v));
  assert.equal(new Set(hashes).size, distinct.length);
});

test('NaN equals NaN; -0 and 0 are different values', () => {
  assert.equal(hashValue(NaN), hashValue(Number('x')));
  assert.equal(hashValue(new Date(NaN)), hashValue(new Date('invalid')));
  assert.notEqual(hashValue(-0), hashValue(0));
});

test('a property set to undefined differs from a missing one; holes differ from undefined', () => {
  assert.notEqual(hashValue({ a: undefined }), hashValue({}));
  // eslint-disable-next-line no-sparse-arrays
  assert.notEqual(hashValue([, 1]), hashValue([undefined, 1]));
});

test('typed arrays are keyed by element type and bytes, views by their window', () => {
  const bytes = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  assert.notEqual(hashValue(bytes), hashValue(new Int8Array(bytes.buffer)));
  assert.equal(hashValue(bytes.subarray(2, 4)), hashValue(Uint8Array.of(3, 4)));
  assert.equal(hashValue(Buffer.from([3, 4])), hashValue(Uint8Array.of(3, 4)));
});

test('circular structures are handled', () => {
  const a: Record<string, unknown> = { x: 1 };
  a.self = a;
  const b: Record<string, unknown> = { x: 1 };
  b.self = b;
  assert.equal(hashValue(a), hashValue(b));
  const c: Record<string, unknown> = { x: 2 };
  c.self = c;
  assert.notEqual(hashValue(a), hashValue(c));
  const list: unknown[] = [1];
  list.push(list);
  assert.match(hashValue(list), /^[0-9a-f]{64}$/);
});

test('functions, symbols, WeakMaps and promises are rejected with the argument path', () => {
  const cases: [unknown, RegExp][] = [
    [{ config: { callback: () => 1 } }, /^args\.config\.callback is a function/],
    [{ tag: Symbol('x') }, /^args\.tag is a symbol/],
    [{ cache: new WeakMap() }, /^args\.cache is a WeakMap/],
    [{ list: [1, Promise.resolve(1)] }, /^args\.list\[1\] is a Promise/],
    [{ set: new Set([() => 1]) }, /^args\.set\.<item 0> is a function/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => hashValue(value), (error: unknown) => {
      assert.ok(error instanceof UnhashableArgumentError);
      assert.equal(error.code, 'EUNHASHABLE');
      assert.match(error.message, message);
      return true;
    });
  }
});

test('class instances are keyed by class and state; private state needs funesKey', () => {
  class Point {
    constructor(public x: number, public y: number) {}
  }
  class Other {
    constructor(public x: number, public y: number) {}
  }
  assert.equal(hashValue(new Point(1, 2)), hashValue(new Point(1, 2)));
  assert.notEqual(hashValue(new Point(1, 2)), hashValue(new Point(1, 3)));
  assert.notEqual(hashValue(new Point(1, 2)), hashValue(new Other(1, 2)));
  assert.notEqual(hashValue(new Point(1, 2)), hashValue({ x: 1, y: 2 }));

  class Secret {
    #value: number;
    constructor(value: number) {
      this.#value = value;
    }
    get value() {
      return this.#value;
    }
  }
  assert.throws(() => hashValue({ s: new Secret(1) }), /args\.s is an instance of Secret, whose #private state/);

  class Keyed {
    #value: number;
    constructor(value: number) {
      this.#value = value;
    }
    [funesKey]() {
      return this.#value;
    }
  }
  assert.equal(hashValue(new Keyed(1)), hashValue(new Keyed(1)));
  assert.notEqual(hashValue(new Keyed(1)), hashValue(new Keyed(2)));
});

test('argument hashes separate seeds and this', () => {
  const input = { x: 1 };
  const plain = hashArguments({ input });
  assert.notEqual(plain, hashArguments({ input, seed: 0 }));
  assert.notEqual(hashArguments({ input, seed: 0 }), hashArguments({ input, seed: '0' }));
  assert.notEqual(plain, hashArguments({ input, self: { value: undefined } }));
  assert.equal(hashArguments({ input, seed: 3 }), hashArguments({ input: { x: 1 }, seed: 3 }));
});
