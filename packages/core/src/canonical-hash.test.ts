import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { runInNewContext, runInThisContext } from 'node:vm';
import fc from 'fast-check';
import { canonicalBytes, funesKey, hashArguments, hashValue, type KeyParts } from './canonical-hash.js';
import { UnhashableArgumentError } from './errors.js';
import { sha256Hex } from './sha256.js';

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
  // defineProperty, not assignment: an own "__proto__" key must stay a key, not set the prototype.
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(copy, key, {
      value: reordered((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
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

test('objects of a few shapes hashed in turns key as each would alone, however their keys were inserted', () => {
  // A table's rows list the same keys in the same order: their canonical order is remembered per shape.
  const keyLists = fc.uniqueArray(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('id', '10', '2', '\uD800')), {
    minLength: 2,
    maxLength: 12,
  });
  fc.assert(
    fc.property(fc.array(keyLists, { minLength: 1, maxLength: 8 }), fc.nat(), (shapes, seed) => {
      const rows = shapes.flatMap((keys, shape) =>
        [0, 1, 2].map((row) => Object.fromEntries(keys.map((key, i) => [key, (seed + shape + row + i) % 5]))),
      );
      const alone = rows.map((row) => hashValue(reordered(row)));
      for (let round = 0; round < 2; round++) {
        rows.forEach((row, i) => assert.equal(hashValue(row), alone[i]));
      }
      assert.equal(hashValue(rows), hashValue(rows.map(reordered)));
    }),
    { numRuns: 300 },
  );
});

test('objects of a shape whose members were numbers key as each would alone, whatever their values', () => {
  // Once an object of a shape held only numbers, the next ones write their numbers over its encoding.
  const keyList = fc.uniqueArray(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('id', '10', '\uD800', 'é')), {
    minLength: 8,
    maxLength: 20,
  });
  const member = fc.oneof(
    { weight: 8, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constantFrom(NaN, -0, 0, 1) },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constant(undefined), fc.object({ maxDepth: 1 })) },
  );
  const table = keyList.chain((keys) =>
    fc.tuple(fc.constant(keys), fc.array(fc.array(member, { minLength: keys.length, maxLength: keys.length }), {
      minLength: 1,
      maxLength: 6,
    })),
  );
  let flushes = 0;
  /** Hashes objects of more shapes than are remembered, so the next hash writes its keys one by one. */
  const forgetShapes = () => {
    for (let shape = 0; shape < 16; shape++, flushes++) {
      hashValue(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${flushes}.${i}`, i])));
    }
  };
  fc.assert(
    fc.property(table, ([keys, rows]) => {
      const numbers = keys.map(() => 1);
      const objects = [numbers, ...rows].map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
      const alone = objects.map((object) => {
        forgetShapes();
        return hashValue(reordered(object));
      });
      for (let round = 0; round < 2; round++) {
        objects.forEach((object, i) => assert.equal(hashValue(object), alone[i]));
      }
    }),
    { numRuns: 200 },
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

test('an object with a null prototype keys apart from a plain object with the same properties', () => {
  const dictionary = Object.assign(Object.create(null), { lr: 0.1, layers: [64, 32] });
  assert.equal(hashValue(dictionary), hashValue(Object.assign(Object.create(null), { layers: [64, 32], lr: 0.1 })));
  // String(), `in` and instanceof tell them apart.
  assert.notEqual(hashValue(dictionary), hashValue({ layers: [64, 32], lr: 0.1 }));
  assert.notEqual(hashValue(Object.create(null)), hashValue({}));
});

test('types are kept apart', () => {
  const distinct = [
    1,
    '1',
    1n,
    true,
    null,
    undefined,
    [1],
    { 0: 1 },
    new Date(1),
    new Number(1),
    new Set([1]),
    new Map([[1, 1]]),
    Uint8Array.of(1),
    Int8Array.of(1),
    Uint8Array.of(1).buffer,
    /1/,
  ];
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
  // eslint-disable-next-line no-sparse-arrays -- a hole, on purpose
  assert.notEqual(hashValue([, 1]), hashValue([undefined, 1]));
});

test('typed arrays are keyed by element type and bytes, views by their window', () => {
  const bytes = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  assert.notEqual(hashValue(bytes), hashValue(new Int8Array(bytes.buffer)));
  assert.equal(hashValue(bytes.subarray(2, 4)), hashValue(Uint8Array.of(3, 4)));
  // String() tells a Buffer (its text) from a Uint8Array (its numbers).
  assert.notEqual(hashValue(Buffer.from([3, 4])), hashValue(Uint8Array.of(3, 4)));
  assert.equal(hashValue(Buffer.from('hi')), hashValue(Buffer.from([104, 105])));
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

test('cycles deep in a value key alike, and by where they point, however deep the path', () => {
  // A chain of 200 objects whose last member points back to member `target`.
  const chain = (target: number) => {
    const nodes = Array.from({ length: 200 }, (_, i) => ({ i, next: undefined as unknown }));
    nodes.forEach((node, i) => (node.next = nodes[i + 1] ?? nodes[target]));
    return nodes[0];
  };
  for (const target of [0, 10, 100, 199]) assert.equal(hashValue(chain(target)), hashValue(chain(target)));
  const keys = new Set([0, 10, 63, 64, 65, 100, 199].map((target) => hashValue(chain(target))));
  assert.equal(keys.size, 7);
});

test('one object in two places keys apart from two equal copies of it', () => {
  const o = { lr: 0.1 };
  assert.notEqual(hashValue([o, o]), hashValue([{ lr: 0.1 }, { lr: 0.1 }]));
  assert.notEqual(hashValue({ a: o, b: o }), hashValue({ a: o, b: { ...o } }));
  assert.equal(hashValue([o, o]), hashValue([{ lr: 0.1 }, { lr: 0.1 }].fill({ lr: 0.1 })), 'by shape, not by which');
  // A graph whose edges share their nodes, and the same graph parsed from JSON: `new Set(nodes).size` tells them apart.
  const graph = () => {
    const [a, b, c] = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    return [{ from: a, to: b }, { from: b, to: c }];
  };
  assert.equal(hashValue(graph()), hashValue(graph()));
  assert.notEqual(hashValue(graph()), hashValue(JSON.parse(JSON.stringify(graph()))));
  // Which places hold the same object counts, not only that some do.
  const [x, y] = [{ v: 1 }, { v: 1 }];
  assert.notEqual(hashValue([x, x, y]), hashValue([x, y, x]));
  assert.notEqual(hashValue([x, x, y]), hashValue([x, y, y]));
  // Among many objects alike, which one is met again counts, and a value made again the same way keys the same.
  const alike = (again: number[], count = 100) => {
    const many = Array.from({ length: count }, () => ({ v: 1 }));
    return [...many, ...again.map((i) => many[i])];
  };
  assert.equal(hashValue(alike([70, 3])), hashValue(alike([70, 3])));
  assert.equal(new Set([[70], [71], [3], [70, 3], [3, 70]].map((again) => hashValue(alike(again)))).size, 5);
  // So among tens of thousands, wherever the objects met again were first met.
  const far = [[3], [5000], [5001], [40_000], [79_999], [79_999, 5000], [5000, 79_999]];
  assert.equal(new Set(far.map((again) => hashValue(alike(again, 80_000)))).size, far.length);
  assert.equal(hashValue(alike([70_000, 4100], 80_000)), hashValue(alike([70_000, 4100], 80_000)));
  assert.notEqual(hashValue(alike([], 80_000)), hashValue(alike([79_999], 80_000)));
  // Shared members of Maps and Sets, and objects shared with them, across arrays, typed arrays and instances.
  const bytes = Uint8Array.of(1, 2);
  assert.notEqual(hashValue([bytes, bytes]), hashValue([bytes, bytes.slice()]));
  assert.notEqual(hashValue([o, new Set([o])]), hashValue([o, new Set([{ ...o }])]));
  class Point { constructor(readonly x: number) {} }
  const p = new Point(1);
  assert.notEqual(hashValue({ p, q: p }), hashValue({ p, q: new Point(1) }));
  // A cycle still points back to where it started, shared or not.
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  assert.notEqual(hashValue([loop, loop]), hashValue([loop, { name: 'loop', self: loop }]));
});

test('views and buffers sharing memory key apart from copies, by how they overlap', () => {
  const views = (size: number, ...windows: [number, number][]) => {
    const buffer = new ArrayBuffer(size);
    return windows.map(([start, length]) => new Uint8Array(buffer, start, length));
  };
  const copies = (...lengths: number[]) => lengths.map((length) => new Uint8Array(length));
  // A write through one shows through the other: `dst = src.subarray()` for a function working in place.
  assert.notEqual(hashValue(views(8, [0, 4], [0, 4])), hashValue(copies(4, 4)));
  assert.notEqual(hashValue(views(8, [0, 4], [2, 4])), hashValue(views(8, [0, 4], [1, 4])));
  assert.equal(hashValue(views(8, [0, 4], [2, 4])), hashValue(views(16, [4, 4], [6, 4])), 'by where, not which buffer');
  const bytes = new Uint8Array(4);
  assert.notEqual(hashValue([bytes, bytes.buffer]), hashValue([new Uint8Array(4), new ArrayBuffer(4)]));
  assert.notEqual(hashValue([bytes.buffer, bytes]), hashValue([new ArrayBuffer(4), new Uint8Array(4)]));
  assert.notEqual(
    hashValue({ bytes, view: new DataView(bytes.buffer, 2) }),
    hashValue({ bytes: new Uint8Array(4), view: new DataView(new ArrayBuffer(2)) }),
  );
  assert.notEqual(hashValue(new Float32Array(2)), hashValue(new Uint8Array(8)));
  // Each overlap counts: the third window meets the second 2 bytes or 3 bytes in.
  assert.notEqual(hashValue(views(32, [0, 4], [10, 4], [12, 4])), hashValue(views(32, [0, 4], [11, 4], [12, 4])));
  assert.notEqual(hashValue(views(32, [0, 4], [6, 4], [2, 8])), hashValue(views(32, [0, 4], [5, 4], [2, 8])));
  // Views of disjoint parts of one buffer (small Buffers share Node's pool) key as copies, with their pinned key.
  assert.equal(hashValue(views(8, [0, 4], [4, 4])), hashValue(copies(4, 4)));
  const pooled = [Buffer.from('ab'), Buffer.from('cd')];
  assert.equal(hashValue(pooled), hashValue([Buffer.from([97, 98]), Buffer.from([99, 100])]));
  assert.equal(hashValue(views(8, [0, 4], [4, 4])), '3ef92efb3b800e555fcce93ba9e3a5882beb40eb7f62ceb31d7b6659a6bd67ce');
});

test('a value nested too deeply for the stack is refused with EUNHASHABLE, not a RangeError', () => {
  let list: { next: unknown } | null = null;
  for (let i = 0; i < 100_000; i++) list = { next: list };
  assert.throws(
    () => hashArguments({ input: { list } }),
    (error: UnhashableArgumentError) =>
      error instanceof UnhashableArgumentError &&
      error.code === 'EUNHASHABLE' &&
      error.path === 'args.list.next.next.next.next.next.next.next.next.next.next.next…' &&
      /nested \d+ levels deep, more than the stack allows/.test(error.message) &&
      /flatter form/.test(error.hint ?? ''),
  );
  // A thousand levels are fine.
  list = null;
  for (let i = 0; i < 1000; i++) list = { next: list };
  assert.match(hashArguments({ input: { list } }), /^[0-9a-f]{64}$/);
});

test('an array too long to key item by item is refused with EUNHASHABLE at once, a sparse one keyed', () => {
  const huge: number[] = [];
  huge[2 ** 32 - 2] = 1;
  assert.throws(
    () => hashArguments({ input: { points: { huge } } }),
    (error: UnhashableArgumentError) =>
      error instanceof UnhashableArgumentError &&
      error.path === 'args.points.huge' &&
      /an array of length 4294967295, too long to key item by item/.test(error.message) &&
      /Object\.entries\(array\)/.test(error.hint ?? ''),
  );
  const sparse: number[] = [];
  sparse[100_000] = 1;
  const other: number[] = [];
  other[100_000] = 2;
  assert.notEqual(hashValue(sparse), hashValue(other));
});

test('functions, symbols, WeakMaps and promises are rejected with the argument path', () => {
  const cases: [unknown, RegExp][] = [
    [{ config: { callback: () => 1 } }, /^args\.config\.callback is a function/],
    [{ tag: Symbol('x') }, /^args\.tag is a unique symbol \(Symbol\(x\)\) no other process can recreate.*Symbol\.for/],
    [{ cache: new WeakMap() }, /^args\.cache is a WeakMap/],
    [{ list: [1, Promise.resolve(1)] }, /^args\.list\[1\] is a Promise/],
    [{ set: new Set([() => 1]) }, /^args\.set\.<item 0> is a function/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => hashValue(value), (error: unknown) => {
      assert.ok(error instanceof UnhashableArgumentError);
      assert.equal(error.code, 'EUNHASHABLE');
      assert.match(`${error.message}; ${error.hint}`, message);
      return true;
    });
  }
});

/** The EUNHASHABLE error `run` throws: never a raw TypeError from inside the hasher. */
function unhashable(run: () => unknown): UnhashableArgumentError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UnhashableArgumentError, `expected EUNHASHABLE, got ${error}`);
    assert.equal(error.code, 'EUNHASHABLE');
    return error;
  }
  assert.fail('expected EUNHASHABLE');
}

test('strings are keyed by their code units: a text cut inside an emoji keeps its half', () => {
  assert.notEqual(hashValue('ab\uD800'), hashValue('ab\uDBFF'));
  assert.notEqual(hashValue('ab\uD800'), hashValue('ab\uFFFD'));
  assert.notEqual(hashValue({ ['\uDC00']: 1 }), hashValue({ ['\uDC01']: 1 }));
  assert.equal(hashValue('ab\uD800'), hashValue('ab' + '\uD800'));
  assert.equal(hashValue('🦜'), hashValue('\uD83E\uDD9C'));
});

test('symbol-keyed properties count: registered symbols by their key, well-known ones by name', () => {
  assert.notEqual(hashValue({ [Symbol.for('k')]: 1 }), hashValue({ [Symbol.for('k')]: 2 }));
  assert.notEqual(hashValue({ [Symbol.for('k')]: 1 }), hashValue({ [Symbol.for('j')]: 1 }));
  assert.notEqual(hashValue({ [Symbol.for('k')]: 1 }), hashValue({ k: 1 }));
  assert.equal(
    hashValue({ [Symbol.for('a')]: 1, [Symbol.for('b')]: 2 }),
    hashValue({ [Symbol.for('b')]: 2, [Symbol.for('a')]: 1 }),
  );
  assert.notEqual(hashValue({ [Symbol.toStringTag]: 'x' }), hashValue({}));
  assert.equal(hashValue(Symbol.for('k')), hashValue(Symbol.for('k')));
  assert.notEqual(hashValue(Symbol.for('k')), hashValue('k'));
  assert.notEqual(hashValue(Symbol.iterator), hashValue(Symbol.for('Symbol.iterator')));
  const error = unhashable(() => hashArguments({ input: { options: { [Symbol('secret')]: 1 } } }));
  assert.equal(error.path, 'args.options[Symbol(secret)]');
  assert.match(error.message, /unique symbol/);
  assert.match(error.hint!, /Symbol\.for/);
  // A base class (EventEmitter keys its state by unique symbols) is named with the fix that applies.
  class Trainer extends EventEmitter {
    lr = 0.1;
  }
  const inherited = unhashable(() => hashArguments({ input: { trainer: new Trainer() } }));
  assert.match(inherited.path, /^args\.trainer\[Symbol\(\w+\)\]$/);
  assert.match(inherited.message, /is a property keyed by a unique symbol/);
  assert.match(inherited.hint!, /^give Trainer a \[funesKey\]\(\) method.*; or leave the argument out of the key/);
});

test('non-enumerable own properties count, and whether they are enumerable', () => {
  const hidden = (value: number) => Object.defineProperty({ a: 1 }, 'h', { value, enumerable: false });
  assert.notEqual(hashValue(hidden(1)), hashValue(hidden(2)));
  assert.notEqual(hashValue(hidden(1)), hashValue({ a: 1 }));
  assert.notEqual(hashValue(hidden(1)), hashValue({ a: 1, h: 1 }));
  assert.equal(hashValue(hidden(1)), hashValue(hidden(1)));
  // Freezing does not change what a function reads.
  assert.equal(hashValue(Object.freeze({ a: 1 })), hashValue({ a: 1 }));
});

test('arrays are keyed with their holes and extra properties, however long', () => {
  assert.notEqual(hashValue('xa'.match(/a/)), hashValue('xxxa'.match(/a/)));
  assert.equal(hashValue('xa'.match(/a/)), hashValue('xa'.match(/a/)));
  for (const length of [3, 300, 100_000]) {
    const plain = Array.from({ length }, (_, i) => i);
    const tagged = Object.assign(Array.from({ length }, (_, i) => i), { tag: 'b' });
    const hidden = Object.defineProperty(Array.from({ length }, (_, i) => i), Symbol.for('t'), { value: 1 });
    assert.equal(new Set([plain, tagged, hidden].map((v) => hashValue(v))).size, 3, `length ${length}`);
    assert.equal(hashValue(Array.from({ length }, (_, i) => i)), hashValue(plain));
  }
  // A hole and an extra property do not cancel out.
  // eslint-disable-next-line no-sparse-arrays -- a hole, on purpose
  assert.notEqual(hashValue(Object.assign([, 1], { x: 1 })), hashValue([0, 1]));
  class Grid extends Array {}
  assert.notEqual(hashValue(Grid.from([1, 2])), hashValue([1, 2]));
});

test('typed arrays: every kind, Buffers, and extra properties are kept apart', () => {
  const kinds = [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
  ];
  const bytes = new Uint8Array(8);
  const hashes = kinds.map((kind) => hashValue(new kind(bytes.buffer)));
  hashes.push(
    hashValue(new BigInt64Array(bytes.buffer)),
    hashValue(new BigUint64Array(bytes.buffer)),
    hashValue(Buffer.from(bytes)),
    hashValue(new DataView(bytes.buffer)),
  );
  assert.equal(new Set(hashes).size, 13);
  for (const length of [4, 1_000_000]) {
    const tagged = Object.assign(new Float64Array(length), { unit: 'm' });
    assert.notEqual(hashValue(tagged), hashValue(new Float64Array(length)), `length ${length}`);
    assert.equal(hashValue(new Float64Array(length)), hashValue(new Float64Array(length)));
  }
});

test('built-ins whose state no property shows are refused; shared memory is keyed by its bytes', () => {
  const shared = (...bytes: number[]) => {
    const memory = new SharedArrayBuffer(bytes.length);
    new Uint8Array(memory).set(bytes);
    return memory;
  };
  assert.notEqual(hashValue(shared(1, 2)), hashValue(shared(1, 3)));
  assert.notEqual(hashValue(shared(1, 2)), hashValue(shared(1, 2, 0)));
  assert.notEqual(hashValue(shared(1, 2)), hashValue(Uint8Array.of(1, 2).buffer));
  assert.equal(hashValue(shared(1, 2)), hashValue(shared(1, 2)));
  const refused: [unknown, RegExp][] = [
    [{ items: [1, 2].values() }, /^args\.items is an iterator/],
    [{ items: new Map([[1, 2]]).keys() }, /^args\.items is an iterator/],
    [{ items: new Set([1]).values() }, /^args\.items is an iterator/],
    [{ items: 'ab'[Symbol.iterator]() }, /^args\.items is an iterator/],
    [{ items: 'ab'.matchAll(/a/g) }, /^args\.items is an iterator/],
    [{ format: new Intl.NumberFormat('de') }, /^args\.format is an instance of NumberFormat, a built-in whose state/],
    [{ order: new Intl.Collator('sv') }, /^args\.order is an instance of Collator.*locale and options/],
    [{ words: new Intl.Segmenter('en').segment('a b') }, /^args\.words is the segments of an Intl\.Segmenter/],
  ];
  refused.push([{ page: new URL('https://example.org/a') }, /^args\.page is an instance of URL, .*; pass .*href/]);
  // A platform class keeping its state under a unique symbol is not the caller's to give a method either.
  refused.push([{ encoder: new TextEncoder() }, /^args\.encoder\[Symbol\(encoder\)\] .*make the TextEncoder inside/]);
  const detached = (view: (buffer: ArrayBuffer) => unknown) => {
    const buffer = new ArrayBuffer(8);
    const value = view(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    return value;
  };
  for (const moved of [detached((b) => b), detached((b) => new Float64Array(b)), detached((b) => new DataView(b))]) {
    refused.push([{ data: [moved] }, /^args\.data\[0\] is a detached ArrayBuffer.*slice\(0\)/]);
  }
  const strictArguments = (function (this: unknown) {
    // eslint-disable-next-line prefer-rest-params -- the arguments object itself, on purpose
    return arguments;
  } as (...values: unknown[]) => IArguments)(1, 2);
  refused.push([{ all: strictArguments }, /^args\.all is the arguments object of a function.*Array\.from/]);
  class Euros extends Intl.NumberFormat {}
  refused.push([{ format: new Euros('fr') }, /^args\.format is an instance of Euros, a built-in/]);
  for (const [value, message] of refused) {
    const error = unhashable(() => hashValue(value));
    assert.match(`${error.message}; ${error.hint}`, message);
  }
});

test('a buffer that can grow keys apart from a fixed one, and by how far it can grow', () => {
  type Growing = new (length: number, options?: { maxByteLength: number }) => ArrayBuffer;
  for (const Buffer of [ArrayBuffer, SharedArrayBuffer] as unknown as Growing[]) {
    const fixed = new Buffer(2);
    const growing = new Buffer(2, { maxByteLength: 4 });
    assert.notEqual(hashValue(growing), hashValue(fixed), Buffer.name);
    assert.notEqual(hashValue(growing), hashValue(new Buffer(2, { maxByteLength: 8 })), Buffer.name);
    assert.equal(hashValue(growing), hashValue(new Buffer(2, { maxByteLength: 4 })), Buffer.name);
    assert.notEqual(hashValue(new Buffer(2, { maxByteLength: 2 })), hashValue(fixed), Buffer.name);
  }
});

test('prototypes count: objects made from different prototypes, subclasses of built-ins, errors', () => {
  assert.notEqual(hashValue(Object.create({ a: 1 })), hashValue(Object.create({ a: 2 })));
  assert.notEqual(hashValue(Object.create({ a: 1 })), hashValue({}));
  class Registry extends Map<number, number> {}
  assert.notEqual(hashValue(new Registry([[1, 2]])), hashValue(new Map([[1, 2]])));
  class NotFound extends Error {}
  assert.notEqual(hashValue(new NotFound('a')), hashValue(new NotFound('b')));
  assert.notEqual(hashValue(new NotFound('a')), hashValue(new Error('a')));
  assert.notEqual(hashValue(new Error('a', { cause: 1 })), hashValue(new Error('a', { cause: 2 })));
  assert.equal(hashValue(new Error('a')), hashValue(new Error('a')));
  // Assigned where the error had none, a message is enumerable: JSON.stringify and { ...error } show it.
  const assigned = Object.assign(new Error(), { message: 'a' });
  assert.equal(JSON.stringify(assigned), '{"message":"a"}');
  assert.notEqual(hashValue(assigned), hashValue(new Error('a')));
  assert.equal(hashValue(assigned), hashValue(Object.assign(new Error(), { message: 'a' })));
  const moved = /a/g;
  moved.exec('aa');
  assert.notEqual(hashValue(moved), hashValue(/a/g));
});

test('a built-in whose prototype was replaced, or made in another realm, is keyed by what it holds', () => {
  const swapped = (value: object, prototype: object | null = null) => Object.setPrototypeOf(value, prototype) as object;
  const pairs: [() => object, () => object][] = [
    [() => new Map([[1, 2]]), () => new Map([[1, 3]])],
    [() => new Set([1]), () => new Set([2])],
    [() => new Date(1), () => new Date(2)],
    [() => /a/g, () => /a/i],
    [() => Object(1), () => Object(2)],
    [() => Object(1n), () => Object(2n)],
    [() => Uint8Array.of(1).buffer, () => Uint8Array.of(2).buffer],
    [() => Uint8Array.of(1), () => Int8Array.of(1)],
    [() => Uint8Array.of(1), () => Uint8Array.of(2)],
    [() => new DataView(Uint8Array.of(1).buffer), () => new DataView(Uint8Array.of(2).buffer)],
    [() => new Error('a'), () => new Error('b')],
  ];
  const base = { a: 1 };
  for (const [make, other] of pairs) {
    const name = Object.prototype.toString.call(make());
    assert.equal(hashValue(swapped(make())), hashValue(swapped(make())), name);
    assert.notEqual(hashValue(swapped(make())), hashValue(swapped(other())), name);
    assert.notEqual(hashValue(swapped(make())), hashValue(Object.create(null)), name);
    assert.notEqual(hashValue(swapped(make(), base)), hashValue(swapped(other(), base)), name);
    assert.notEqual(hashValue(swapped(make(), base)), hashValue(Object.create(base)), name);
    assert.notEqual(hashValue(swapped(make())), hashValue(make()), name);
  }
  assert.match(unhashable(() => hashValue({ weak: swapped(new WeakMap()) })).message, /^args\.weak is a WeakMap/);
  // Another realm's built-ins (a vm context, as under Jest) are their kind, their realm's prototype with them.
  const made = (source: string) => runInNewContext(source) as object;
  const local = (source: string) => runInThisContext(source) as object;
  const code = (fn: Function) => Function.prototype.toString.call(fn);
  for (const [source, other] of [
    ['new Map([[1, 2]])', 'new Map([[1, 3]])'],
    ['new Set([1])', 'new Set([2])'],
    ['new Date(1)', 'new Date(2)'],
    ['/a/g', '/a/i'],
    ['Object(1)', 'Object(2)'],
    ['new Uint8Array([1]).buffer', 'new Uint8Array([2]).buffer'],
  ]) {
    assert.equal(hashValue(made(source)), hashValue(made(source)), source);
    assert.notEqual(hashValue(made(source)), hashValue(made(other)), source);
    assert.notEqual(hashValue(made(source)), hashValue(local(source)), source);
    class Local extends (local(source).constructor as new () => object) {}
    Object.defineProperty(Local, 'name', { value: made(source).constructor.name });
    const lookAlike = Object.setPrototypeOf(local(source), Local.prototype) as object;
    assert.notEqual(hashValue(made(source), 'args', code), hashValue(lookAlike, 'args', code), source);
  }
  assert.match(unhashable(() => hashValue(made('new Intl.NumberFormat("de")'))).message, /NumberFormat/);
});

test('getters and Proxy traps that throw, revoked proxies and weak collections are EUNHASHABLE with their path', () => {
  const throwing = { get cb() { throw new TypeError('no'); } };
  let error = unhashable(() => hashArguments({ input: { arguments: [{ cfg: throwing }] } }));
  assert.equal(error.path, 'args.arguments[0].cfg.cb');
  assert.match(error.message, /throws when read.*TypeError: no/);
  const trap = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  error = unhashable(() => hashArguments({ input: { cfg: { p: trap } } }));
  assert.equal(error.path, 'args.cfg.p');
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  error = unhashable(() => hashArguments({ input: { cfg: [proxy] } }));
  assert.equal(error.path, 'args.cfg[0]');
  assert.match(error.message, /revoked/);
  assert.equal(unhashable(() => hashValue({ seen: new WeakSet() })).path, 'args.seen');
  // A Proxy that answers is keyed by what it answers.
  assert.equal(hashValue(new Proxy({ a: 1 }, {})), hashValue({ a: 1 }));
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
  // Declared as code without semicolons declares it, or last in the class, however it is assigned.
  const declared = [
    'class Or {\n  #n\n  constructor(n) { this.#n ||= n }\n  get n() { return this.#n }\n}',
    'class Pair {\n  #a\n  #b // the pair\n  constructor(a, b) { [this.#a, this.#b] = [a, b] }\n}',
    'class Last { constructor(v) { ({ v: this.#v } = { v }) } #v }',
    'class Accented { #ñ = 0; constructor(n) { this.#ñ += n } }',
  ];
  for (const text of declared) {
    const Made = runInThisContext(`(${text})`) as new (...args: number[]) => object;
    assert.throws(() => hashValue({ s: new Made(1, 2) }), /args\.s is an instance of \w+, whose #private state/, text);
  }
  // A # in a string is not a member.
  class Colour {
    constructor(readonly hex = '#fff') {}
  }
  assert.equal(hashValue(new Colour()), hashValue(new Colour('#fff')));

  // #private members as compilers lower them keep their state in WeakMaps, out of every own property.
  const state = new WeakMap<object, number>();
  const lowered = {
    // tsc and SWC below ES2022, Babel
    __classPrivateFieldSet: (self: object, map: WeakMap<object, number>, v: number) => map.set(self, v),
    _classPrivateFieldInitSpec: (self: object, map: WeakMap<object, number>, v: number) => map.set(self, v),
    _class_private_field_init: (self: object, map: WeakMap<object, number>, v: number) => map.set(self, v),
  };
  const { __classPrivateFieldSet, _classPrivateFieldInitSpec, _class_private_field_init } = lowered;
  class ByTsc {
    constructor(value: number) {
      __classPrivateFieldSet(this, state, value);
    }
  }
  class ByBabel {
    constructor(value: number) {
      _classPrivateFieldInitSpec(this, state, value);
    }
  }
  class BySwc {
    constructor(value: number) {
      _class_private_field_init(this, state, value);
    }
  }
  // The WeakMap idiom of private state, written by hand: state kept in a map keyed by the instance.
  const hiddenBy = new WeakMap<object, number>();
  class SideTable {
    constructor(value: number) {
      hiddenBy.set(this, value);
    }
    get value() {
      return hiddenBy.get(this);
    }
  }
  const sideTable = /args\.s is an instance of SideTable, whose state its class keeps in a map/;
  assert.throws(() => hashValue({ s: new SideTable(1) }), sideTable);
  class ByTscChild extends ByTsc {}
  for (const made of [new ByTsc(1), new ByBabel(1), new BySwc(1), new ByTscChild(1)]) {
    assert.throws(() => hashValue({ s: made }), /#private state/, made.constructor.name);
  }

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

  // The instance inside what its own [funesKey]() returns is a reference back to itself, alike for every instance.
  class Itself {
    constructor(readonly rows: number[]) {}
    [funesKey]() {
      return this;
    }
  }
  class Wrapped {
    constructor(readonly rows: number[]) {}
    [funesKey]() {
      return { format: 2, state: this };
    }
  }
  for (const Class of [Itself, Wrapped]) {
    assert.throws(
      () => hashValue({ data: new Class([1]) }),
      (error: UnhashableArgumentError) =>
        error.code === 'EUNHASHABLE' &&
        error.message.startsWith('args.data[funesKey]()') &&
        error.message.includes(`of ${Class.name} whose [funesKey]() returned a value holding the instance itself`) &&
        /return the state that matters/.test(error.hint ?? ''),
      Class.name,
    );
  }
  // Inside another instance's key it is a cycle: a tree whose nodes key their parent and children.
  class Node {
    children: Node[] = [];
    constructor(readonly value: number, readonly parent?: Node) {
      parent?.children.push(this);
    }
    [funesKey]() {
      return { value: this.value, parent: this.parent ?? null, children: this.children };
    }
  }
  const tree = (leaf: number) => {
    const root = new Node(0);
    new Node(leaf, root);
    return root;
  };
  assert.equal(hashValue(tree(1)), hashValue(tree(1)));
  assert.notEqual(hashValue(tree(1)), hashValue(tree(2)));
});

test('with a code hasher, functions key by their definition and instances by their data and class', () => {
  // A stand-in for the definition module's hasher: a function's source text.
  const code = (fn: Function) => Function.prototype.toString.call(fn);
  const square = (x: number) => x * x;
  const absolute = (x: number) => Math.abs(x);
  assert.equal(hashValue({ loss: square }, 'args', code), hashValue({ loss: (x: number) => x * x }, 'args', code));
  assert.notEqual(hashValue({ loss: square }, 'args', code), hashValue({ loss: absolute }, 'args', code));
  const Point = class Point { constructor(readonly x: number) {} norm() { return this.x; } };
  const Edited = class Point { constructor(readonly x: number) {} norm() { return -this.x; } };
  assert.notEqual(hashValue(new Point(1), 'args', code), hashValue(new Edited(1), 'args', code));
  assert.equal(hashValue(new Point(1), 'args', code), hashValue(new Point(1), 'args', code));
  // Without one, a class instance keys by its class's name, as format 1 did.
  assert.equal(hashValue(new Point(1)), hashValue(new Edited(1)));
  // A method's `this`: its class is the method's own, which the definition hash covers.
  const self = { value: new Point(1) };
  assert.equal(hashArguments({ input: {}, self }, code), hashArguments({ input: {}, self }));
  assert.notEqual(hashArguments({ input: { p: new Point(1) } }, code), hashArguments({ input: { p: new Point(1) } }));
});

test("a prototype's getters and setters count by their code, as objects made from it run them", () => {
  const code = (fn: Function) => Function.prototype.toString.call(fn);
  const key = (value: unknown) => hashValue(value, 'args', code);
  const rectangle = (base: object) => Object.assign(Object.create(base), { w: 2, h: 3 });
  // On the prototype itself both getters give NaN; on the rectangles, 6 and 5.
  type Rectangle = { w: number; h: number; area: number };
  const product = { get area() { return this.w * this.h; } } as Rectangle;
  const sum = { get area() { return this.w + this.h; } } as Rectangle;
  assert.notEqual(rectangle(product).area, rectangle(sum).area);
  assert.notEqual(key(rectangle(product)), key(rectangle(sum)));
  assert.equal(key(rectangle(product)), key(rectangle({ get area() { return this.w * this.h; } } as Rectangle)));
  // Defined the usual way (not enumerable), with a setter alone, or further up the chain.
  const defined = (get: () => number) => Object.defineProperty({}, 'area', { get });
  assert.notEqual(
    key(rectangle(defined(function (this: { w: number }) { return this.w; }))),
    key(rectangle(defined(function (this: { h: number }) { return this.h; }))),
  );
  const setting = (set: (v: number) => void) => rectangle(Object.defineProperty({}, 'size', { set }));
  assert.notEqual(
    key(setting(function (this: { w: number }, v) { this.w = v; })),
    key(setting(function (this: { h: number }, v) { this.h = v; })),
  );
  assert.notEqual(key(Object.create(rectangle(product))), key(Object.create(rectangle(sum))));
  // A prototype without accessors keeps its pinned key; an object's own getter keys by the value it gives.
  assert.equal(key(Object.create({ a: 1 })), 'a6ba8847d77867ac83ce12807f06849ee48b38d46611dd5434e4915ecd51fddb');
  assert.equal(key({ get x() { return 1; } }), key({ get x() { return 0 + 1; } }));
});

test("a function's own properties count, beyond those its code stands for", () => {
  const code = (fn: Function) => Function.prototype.toString.call(fn);
  const key = (value: unknown) => hashValue(value, 'args', code);
  const weighted = (weight: unknown) => Object.assign((x: number) => x * 2, { weight });
  assert.notEqual(key(weighted(1)), key(weighted(2)));
  assert.notEqual(key(weighted(1)), key((x: number) => x * 2));
  assert.equal(key(weighted(1)), key(weighted(1)));
  const hidden = Object.defineProperty((x: number) => x * 2, 'weight', { value: 1 });
  assert.notEqual(key(hidden), key(weighted(1)), 'whether a property is enumerable counts');
  assert.notEqual(key(Object.assign((x: number) => x, { [Symbol.for('w')]: 1 })), key((x: number) => x));
  // A function that holds itself, directly or in an object.
  const looped = Object.assign((x: number) => x, { self: undefined as unknown });
  looped.self = looped;
  const boxed = Object.assign((x: number) => x, { box: {} as Record<string, unknown> });
  boxed.box.fn = boxed;
  assert.notEqual(key(looped), key(boxed));
  assert.equal(key(looped), key(looped));
  // What the definition stands for does not add to a key: a length, a name, a prototype,
  // a class's static members, the engine's own properties of its functions.
  class Scaler {
    static unit = 'm';
    static make() { return new Scaler(); }
    static get kind() { return 'scaler'; }
  }
  const plain = 'function(x) { return x; }';
  const keyedAsCode = (fn: Function) => sha256Hex(canonicalBytes(fn, 'args', () => plain));
  assert.equal(keyedAsCode(function named(x: number) { return x; }), keyedAsCode(() => 0));
  assert.notEqual(keyedAsCode(Scaler), keyedAsCode(() => 0), 'a static field is data');
  delete (Scaler as { unit?: unknown }).unit;
  assert.equal(keyedAsCode(Scaler), keyedAsCode(() => 0), 'static methods and accessors are code');
  Scaler.make = () => new Scaler();
  assert.notEqual(keyedAsCode(Scaler), keyedAsCode(() => 0), 'a static method replaced is not the code written');
  for (const builtin of [Map, Array, Promise, Math.max, Array.from, Object]) {
    assert.equal(keyedAsCode(builtin), keyedAsCode(() => 0), builtin.name);
  }
  assert.throws(() => key(Object.assign(() => 0, { [Symbol('tag')]: 1 })), UnhashableArgumentError);
  // A Proxy's text is the engine's whatever it runs: two of them would share a key.
  const proxied = unhashable(() => key({ loss: new Proxy((x: number) => x * 2, {}) }));
  assert.match(`${proxied.message}; ${proxied.hint}`, /^args\.loss is a Proxy standing for a function.*wraps/);
});

test('argument hashes separate seeds and this', () => {
  const input = { x: 1 };
  const plain = hashArguments({ input });
  assert.notEqual(plain, hashArguments({ input, seed: 0 }));
  assert.notEqual(hashArguments({ input, seed: 0 }), hashArguments({ input, seed: '0' }));
  assert.notEqual(plain, hashArguments({ input, self: { value: undefined } }));
  assert.equal(hashArguments({ input, seed: 3 }), hashArguments({ input: { x: 1 }, seed: 3 }));
});

test('calls of primitive arguments key as the general encoder writes them, byte for byte', () => {
  // The argument key's bytes: the string funes-arguments/1 without its tag, the input, the seed or a hole, a hole.
  const prefix = canonicalBytes('funes-arguments/1').subarray(1);
  const hole = Uint8Array.of(8);
  const encoded = ({ input, seed }: KeyParts) =>
    sha256Hex(Buffer.concat([prefix, canonicalBytes(input), seed === undefined ? hole : canonicalBytes(seed), hole]));
  const primitive = fc.oneof(
    fc.double(),
    fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 2 ** 53, -1e-300),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.constantFrom('', '\uD800', 'a\uDC00b', '\uDBFF\uDFFF', 'é', '🦜'.slice(0, 1), 'x'.repeat(5000), 'é'.repeat(3000)),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
  );
  const key = fc.oneof(
    fc.string({ maxLength: 5, unit: 'binary' }),
    fc.constantFrom('x', 'y', 'name', 'age', 'arguments[2]', '10', '2', '\uD800', 'é'),
  );
  const input = fc.dictionary(key, primitive, { maxKeys: 12 });
  // Now and then a member or seed that is not a primitive: the general encoder writes the whole call.
  const mixed = fc.dictionary(key, fc.oneof({ weight: 6, arbitrary: primitive }, fc.object({ maxDepth: 1 })));
  const seed = fc.option(fc.oneof(fc.double(), fc.string({ unit: 'binary' }), fc.constant(Symbol.for('s'))), {
    nil: undefined,
  });
  fc.assert(
    fc.property(fc.oneof({ weight: 3, arbitrary: input }, mixed), seed, (input, seed) => {
      assert.equal(hashArguments({ input, seed } as KeyParts), encoded({ input, seed } as KeyParts));
    }),
    { numRuns: 2000 },
  );
  for (const input of [{}, { x: 1, y: 0.5 }, { age: -0, name: NaN }, { '\uD800': '\uDC00', b: 'x'.repeat(100_000) }]) {
    assert.equal(hashArguments({ input }), encoded({ input }));
    assert.equal(hashArguments({ input, seed: 7 }), encoded({ input, seed: 7 }));
  }
});

/**
 * Keys must not change between releases: a changed key orphans every cache a user has.
 * These digests were written by Funes 0.1; a change here needs a new `funes-arguments/N` tag.
 */
test('argument keys are the same as earlier releases wrote', () => {
  class Point { constructor(readonly x: number, readonly y: number) {} }
  class Keyed {
    cache = new Map();
    constructor(readonly rows: number[]) {}
    [funesKey]() {
      return { rows: this.rows };
    }
  }
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  // eslint-disable-next-line no-sparse-arrays -- a hole, on purpose
  const sparse = [1, , 3];
  const cases: [string, KeyParts, string][] = [
    ['two numbers', { input: { x: 1, y: 0.5 } }, 'c31f9700f0a11353df88123e64b18d374daa2cd70daab818d38334c4d4b2d8d2'],
    [
      'special numbers',
      { input: { nan: NaN, negativeZero: -0, infinity: -Infinity, big: 2 ** 60 } },
      '58a6f321edaf062ebb6665eac057f724029cc6f89e46961d8d33d1f3467aac1c',
    ],
    [
      'strings',
      { input: { ascii: 'lr=0.1', accents: 'café ✓', empty: '', emoji: '🦜' } },
      '8ee7f7b790e5eb208d6101e71adaf65eca0d3994e9d10af0c1430469c06785aa',
    ],
    [
      'booleans, null, undefined, bigint',
      { input: { yes: true, no: false, none: null, missing: undefined, n: 12345678901234567890n } },
      '70544e5185d3881186fa08b38bff3b787ffa6d6cb228579aae9edd28e4285095',
    ],
    [
      'arrays',
      { input: { list: [1, 'two', [3, [4]]], sparse } },
      'dc6cddf35f7c8345278670e7a016d967c366a5b6499e9ac8cf61094e97b96ea0',
    ],
    [
      'nested objects in any key order',
      { input: { config: { b: 2, a: 1, k10: 0, k9: 0, 1: 'one' } } },
      '7e4aefc8da4378fb1143490d13841a788566f9b8ee77bba24f08247fbe989dc8',
    ],
    [
      'dates and regexps',
      { input: { when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), pattern: /fun(es)?/gi } },
      '7c4814ea2c31f15d368fc8229bf033e6ce33984d3ec16b6572c1ac0fc1e9a83a',
    ],
    [
      'maps and sets',
      {
        input: {
          map: new Map<unknown, unknown>([
            ['b', 2],
            ['a', 1],
            [3, [3]],
          ]),
          set: new Set([3, 'x', 1]),
        },
      },
      'bce5a54de1c57ca8de2f5a1622cbded4c8b9deda4d843559bc433118577c4a24',
    ],
    [
      'binary data',
      {
        input: {
          floats: Float64Array.of(1.5, -2),
          bytes: Uint8Array.of(1, 2, 3),
          buffer: Uint8Array.of(9, 8).buffer,
          view: new DataView(Uint8Array.of(7).buffer),
        },
      },
      'e556ea57b82c55d03780e3f4e75a84fde0cf305a9e8d78b47b3faa8690a73945',
    ],
    [
      'boxed values and errors',
      { input: { boxed: Object(5), text: Object('s'), error: new RangeError('out of range') } },
      'e35ce9be62d197d20f0cd7521734e7a861eab4d9b2a19b1c655b13f01997f0cd',
    ],
    [
      'class instances',
      { input: { point: new Point(1, 2), keyed: new Keyed([1, 2]) } },
      'ba6eb4ff4e7d4a8d3dc3bfcfe966ab4e2846c62b46a5369186a6769f247f72c5',
    ],
    ['a cycle', { input: { cyclic } }, 'd6465eabea37f3ccc2f3228dab935d4e25279b473a2dc6302463efc3ef474170'],
    ['a seed', { input: { x: 1 }, seed: 7 }, 'd0dcc9487e107dbd92eb8dd791cb0ace6dc1fd1b4634584f2ec53e0fd4ea35ff'],
    [
      'a string seed and this',
      { input: { x: 1 }, seed: 'run-a', self: { value: { scale: 2 } } },
      'aadb7f8fa18ab926159328e3ff81730d053819ef07477c5dfd2daacbda53344c',
    ],
    [
      'rest arguments',
      { input: { first: 1, rest: [2, 3] } },
      'cf69e10370ade4d839e84c6d12abcbeb16741e6c787d03796236a7c8543796ad',
    ],
  ];
  for (const [name, parts, digest] of cases) assert.equal(hashArguments(parts), digest, name);
});
