import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { NotSerializableError } from './errors.js';
import { MAX_STORED_DEPTH } from './value-codec.js';
import { decodeObject, encodeObject } from './object-format.js';
import { checkRecord, decodeMetadata, decodeOutput, decodeRecord, encodeRecord, makeRecord } from './record.js';

/** Storing `output` is refused with ENOTSERIALIZABLE, with a message matching `message`. */
function assertNotStored(output: unknown, message: RegExp): void {
  assert.throws(
    () => encodeRecord(makeRecord({ input: {}, output, time: 0, async: false })),
    (error: unknown) =>
      error instanceof NotSerializableError && error.code === 'ENOTSERIALIZABLE' && message.test(error.message),
    String(message),
  );
}

function roundTrip(output: unknown): unknown {
  const encoded = encodeRecord(makeRecord({ input: { x: 1 }, output, time: 0.5, async: false }));
  const decoded = decodeRecord(Buffer.concat(encoded.parts));
  assert.ok(decoded.ok, 'record decodes');
  return decoded.record.output;
}

test('every promised type round-trips exactly', () => {
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , 3];
  const cases: unknown[] = [
    NaN,
    -0,
    Infinity,
    -Infinity,
    0,
    1.5,
    2n ** 70n,
    -5n,
    'text',
    '',
    true,
    false,
    null,
    undefined,
    [1, 'a', null],
    sparse,
    { a: 1, nested: { b: [2] } },
    new Date(1700000000000),
    new Date(NaN),
    /a+b/giu,
    new Map<unknown, unknown>([
      [1, 'a'],
      [{ k: 1 }, new Set([2])],
    ]),
    new Set(['x', 3]),
    new ArrayBuffer(3),
    Uint8Array.of(1, 2),
    Int8Array.of(-1),
    Uint8ClampedArray.of(255),
    Int16Array.of(-2),
    Uint16Array.of(2),
    Int32Array.of(-3),
    Uint32Array.of(3),
    Float32Array.of(0.5),
    Float64Array.of(NaN, -0, 1e300),
    BigInt64Array.of(-4n),
    BigUint64Array.of(4n),
    new Error('boom'),
    new TypeError('bad type'),
    new RangeError('range', { cause: 'why' }),
  ];
  for (const value of cases) {
    const back = roundTrip(value);
    if (value instanceof Error) {
      assert.ok(back instanceof Error);
      assert.equal(Object.getPrototypeOf(back), Object.getPrototypeOf(value));
      assert.equal((back as Error).message, value.message);
      assert.deepEqual((back as Error).cause, value.cause);
    } else if (value instanceof Date) {
      // assert's deep equality treats two invalid dates as unequal; compare time values by SameValue.
      assert.ok(back instanceof Date && Object.is(back.getTime(), value.getTime()));
    } else {
      assert.deepStrictEqual(back, value);
    }
  }
  assert.ok(Object.is(roundTrip(-0), -0));
  const back = roundTrip(sparse) as unknown[];
  assert.equal(1 in back, false, 'holes stay holes');
});

test('large numeric results round-trip (compressed or raw)', () => {
  const random = Float64Array.from({ length: 200_000 }, () => Math.random());
  const smooth = Float64Array.from({ length: 200_000 }, (_, i) => Math.floor(i / 100));
  assert.deepStrictEqual(roundTrip(random), random);
  assert.deepStrictEqual(roundTrip(smooth), smooth);
  const bigSmooth = Float64Array.from({ length: 400_000 }, (_, i) => i % 7);
  assert.deepStrictEqual(roundTrip(bigSmooth), bigSmooth);
});

test('a hit decodes only the output; large typed arrays come back as views of the bytes read', () => {
  const big = Float64Array.from({ length: 100_000 }, (_, i) => i / 3);
  for (const [output, async] of [[big, false], [{ small: [1, 2] }, true], [Int16Array.of(1, -2), false]] as const) {
    const bytes = Buffer.concat(encodeRecord(makeRecord({ input: { x: 1 }, output, time: 1, async })).parts);
    const decoded = decodeOutput(bytes);
    assert.ok(decoded.ok);
    assert.deepStrictEqual(decoded.output, output);
    assert.equal(decoded.async, async);
    // The same bytes at an odd offset (a pooled buffer) still decode, by copying.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const odd of [shifted.subarray(1), Buffer.from(shifted.buffer, 1, bytes.length)]) {
      const again = decodeOutput(odd);
      assert.ok(again.ok);
      assert.deepStrictEqual(again.output, output);
    }
  }
  // Random floats do not compress, so they are stored as they are and read in place.
  const random = Float64Array.from({ length: 100_000 }, () => Math.random());
  const aligned = new Uint8Array(
    Buffer.concat(encodeRecord(makeRecord({ input: {}, output: random, time: 1, async: false })).parts),
  );
  const view = decodeOutput(aligned);
  assert.ok(
    view.ok && view.output instanceof Float64Array && view.output.buffer === aligned.buffer,
    'no copy of 800 KB',
  );
});

test('values that cannot be restored faithfully are refused with ENOTSERIALIZABLE', () => {
  class Model {
    weights = [1];
  }
  class CustomError extends Error {}
  const withCode = Object.assign(new Error('x'), { code: 'E1' });
  const cases: [unknown, RegExp][] = [
    [() => 1, /^output is a function/],
    [{ predict() {} }, /^output\.predict is a function/],
    [Symbol('s'), /^output is a symbol/],
    [new Model(), /^output is an instance of Model/],
    [[1, new Model()], /^output\[1\] is an instance of Model/],
    [new Map([[1, new Model()]]), /^output\.get\(0\) is an instance of Model/],
    [new CustomError('x'), /^output is an instance of CustomError/],
    [withCode, /^output\.code is an extra property of an Error/],
    [{ [Symbol('k')]: 1 }, /^output is an object with symbol keys/],
    [new WeakMap(), /^output is an instance of WeakMap/],
    [{ dict: Object.create(null) }, /^output\.dict is an object with a null prototype/],
    [{ n: 1, s: 'a', f: () => 1 }, /^output\.f is a function/],
    [[1, 'a', null, Symbol('s')], /^output\[3\] is a symbol/],
    [
      {
        n: 1,
        get x() {
          return 1;
        },
      },
      /^output\.x is an accessor property/,
    ],
    [Object.defineProperty([1, 2], 1, { get: () => 2, enumerable: true }), /^output\.1 is an accessor property/],
    [Object.assign(new Error('m'), { message: 42 }), /^output\.message is an Error's message that is not a string/],
    [Object.assign(new RangeError('m'), { stack: { at: 1 } }), /^output\.stack is an Error's stack that is not/],
    [Object.assign(new Error('m'), { [Symbol.for('k')]: 1 }), /^output is an object with symbol keys/],
    [Object.defineProperty(new Error('m'), 'message', { get: () => 'm' }), /^output\.message is an accessor/],
    [new Error('m', { cause: [new Error('n', { cause: () => 1 })] }), /^output\.cause\[0\]\.cause is a function/],
    // Assigned where the Error had none, a cause or message is enumerable: a hit's would be hidden ({ ...e }).
    [Object.assign(new Error('m'), { cause: 1 }), /^output\.cause is an Error's cause set as an enumerable property/],
    [Object.assign(new Error(), { message: 'm' }), /^output\.message is an Error's message set as an enumerable/],
    [
      (() => {
        const error = new TypeError('m');
        delete error.stack;
        return { error };
      })(),
      /^output\.error\.stack is an Error's deleted stack, which a hit would return/,
    ],
    [new Proxy({ a: 1 }, {}), /^output is a Proxy/],
    [{ rows: [1, new Proxy([2], {})] }, /^output\.rows\[1\] is a Proxy/],
    [new Proxy(new Map([[1, 2]]), {}), /^output is a Proxy/],
    [new Proxy({}, { ownKeys: () => assert.fail('a trap of the output ran') }), /^output is a Proxy/],
  ];
  for (const [value, message] of cases) assertNotStored(value, message);
});

test('a buffer whose memory was transferred away, or a view of one, is refused, not a raw engine error', () => {
  const detached = <T>(view: (buffer: ArrayBuffer) => T): T => {
    const buffer = new ArrayBuffer(8);
    const made = view(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    return made;
  };
  const cases: [unknown, RegExp][] = [
    [detached((b) => b), /^output is a detached ArrayBuffer/],
    [detached((b) => new Float64Array(b)), /^output is a detached ArrayBuffer/],
    [detached((b) => new DataView(b)), /^output is a detached ArrayBuffer/],
    [{ rows: [detached((b) => new Uint8Array(b, 2))] }, /^output\.rows\[0\] is a detached ArrayBuffer/],
  ];
  for (const [value, message] of cases) assertNotStored(value, message);
  // Empty buffers that were not transferred are stored as ever.
  assert.equal((roundTrip(new ArrayBuffer(0)) as ArrayBuffer).byteLength, 0);
  assert.deepEqual(roundTrip(new Float32Array(0)), new Float32Array(0));
});

test('a view of a resizable or shared buffer is refused: a hit would return a view of fixed, unshared memory', () => {
  // ES2024's resizable buffers, beyond the library the project compiles against.
  type Resizable = ArrayBuffer & { readonly resizable: boolean; readonly maxByteLength: number };
  type Growing = new (length: number, options: { maxByteLength: number }) => Resizable;
  const resizable = () => new (ArrayBuffer as unknown as Growing)(8, { maxByteLength: 16 });
  const cases: [unknown, RegExp][] = [
    [new Uint8Array(resizable()), /^output is a view of a resizable ArrayBuffer, which a hit would return as a view/],
    [{ fixed: new Float32Array(resizable(), 0, 1) }, /^output\.fixed is a view of a resizable ArrayBuffer/],
    [[new DataView(resizable())], /^output\[0\] is a view of a resizable ArrayBuffer/],
    [runInNewContext('new Uint8Array(new ArrayBuffer(8, { maxByteLength: 16 }))'), /^output is a view of a resizable/],
    [new Int32Array(new SharedArrayBuffer(8)), /^output is a view of a SharedArrayBuffer, which a hit would return/],
    [
      new Uint8Array(new (SharedArrayBuffer as unknown as Growing)(8, { maxByteLength: 16 })),
      /^output is a view of a SharedArrayBuffer/,
    ],
  ];
  for (const [value, message] of cases) {
    const back = deserialize(serialize(value)) as ArrayBufferView | ArrayBufferView[] | { fixed: ArrayBufferView };
    const view = Array.isArray(back) ? back[0] : 'fixed' in back ? back.fixed : back;
    assert.ok(!(view.buffer as Resizable).resizable && !(view.buffer instanceof SharedArrayBuffer), String(message));
    assertNotStored(value, message);
  }
  // The resizable buffer itself is stored as such, and a view of a buffer of fixed length as ever.
  const back = roundTrip({ buffer: resizable(), view: new Uint8Array(8) }) as { buffer: Resizable; view: Uint8Array };
  assert.equal(back.buffer.resizable, true);
  assert.equal(back.buffer.maxByteLength, 16);
  assert.deepEqual(back.view, new Uint8Array(8));
});

test('a buffer and a view of it, or views whose bytes overlap, are refused: a hit would copy them apart', () => {
  const memory = () => new ArrayBuffer(16);
  const shared = memory();
  const cases: [unknown, RegExp][] = [
    [{ buffer: shared, bytes: new Uint8Array(shared) }, /^output\.bytes is memory another part of the output holds/],
    [[new Float32Array(shared), shared], /^output\[1\] is memory another part/],
    [{ floats: new Float32Array(shared), bytes: new Uint8Array(shared, 4, 4) }, /^output\.bytes is memory/],
    [
      new Map<number, ArrayBufferView>([[1, new DataView(shared, 2)], [2, new Int16Array(shared, 0, 2)]]),
      /^output\.get\(1\) is memory/,
    ],
  ];
  for (const [value, message] of cases) assertNotStored(value, message);
  // Views of disjoint bytes of one buffer (small Buffers share Node's pool) are stored, each with its bytes.
  const halves = memory();
  const split = roundTrip({ low: new Uint8Array(halves, 0, 8).fill(1), high: new Uint8Array(halves, 8).fill(2) });
  assert.deepEqual(split, { low: new Uint8Array(8).fill(1), high: new Uint8Array(8).fill(2) });
  assert.deepEqual(roundTrip([Buffer.from('a'), Buffer.from('b')]), [Buffer.from('a'), Buffer.from('b')]);
  // A file's lines as views of its bytes, however many and in whatever order, are stored; one overlapping is found.
  const text = Buffer.alloc(200_000, 7);
  const lines = Array.from({ length: 20_000 }, (_, i) => text.subarray(i * 10, i * 10 + 10));
  for (const order of [lines, [...lines].reverse()]) assert.deepEqual(roundTrip(order), order);
  const late = [...lines.slice(0, 15_000).reverse(), text.subarray(95, 105), ...lines.slice(15_000)];
  assertNotStored(late, /^output\[15000\] is memory another part/);
  // One view met twice is one object, which structured clone keeps as such.
  const view = new Uint8Array(shared);
  const twice = roundTrip([view, view]) as Uint8Array[];
  assert.equal(twice[0], twice[1]);
});

test('an Error its own cause leads back to is refused: structured clone writes it but cannot read it back', () => {
  // Hidden, as `new Error(m, { cause })` makes it.
  const setCause = (error: Error, cause: unknown) =>
    Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  const loop = (cause: (e: Error) => unknown) => {
    const error = new Error('boom');
    return setCause(error, cause(error));
  };
  const [a, b] = [new Error('a'), new Error('b')];
  setCause(a, b);
  setCause(b, a);
  const cases: [unknown, RegExp][] = [
    [loop((e) => e), /^output\.cause is an Error its own cause leads back to/],
    [{ run: loop((e) => ({ e })) }, /^output\.run\.cause\.e is an Error its own cause leads back to/],
    [[loop((e) => new Map([[1, [e]]]))], /^output\[0\]\.cause\.get\(0\)\[0\] is an Error its own cause/],
    [a, /^output\.cause\.cause is an Error its own cause leads back to/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => deserialize(serialize(value)), Error, `structured clone cannot read it back: ${message}`);
    assertNotStored(value, message);
  }
  // An Error met again elsewhere, or whose cause holds an object that holds it, read back as written.
  const inner = new Error('inner');
  const shared = roundTrip([inner, new Error('outer', { cause: inner })]) as Error[];
  assert.equal(shared[1].cause, shared[0]);
  const holder: { error?: Error } = {};
  holder.error = new Error('held', { cause: holder });
  const back = roundTrip(holder) as { error: Error };
  assert.equal(back.error.cause, back);
});

test('properties structured clone would drop are refused, not lost from a hit', () => {
  const cases: [unknown, RegExp][] = [
    [Object.assign(new Date(5), { run: 1 }), /^output\.run is an extra property of a Date/],
    [{ m: Object.assign(new Map([[1, 2]]), { total: 3 }) }, /^output\.m\.total is an extra property of a Map/],
    [Object.assign(new Set([1]), { label: 'a' }), /^output\.label is an extra property of a Set/],
    [Object.assign(/a/g, { source2: 1 }), /^output\.source2 is an extra property of a RegExp/],
    [Object.assign(/a/g, { lastIndex: 3 }), /^output\.lastIndex is the position a global or sticky RegExp search/],
    [Object.assign(new Number(1), { unit: 'm' }), /^output\.unit is an extra property of a Number/],
    [Object.assign(new String('ab'), { unit: 'm' }), /^output\.unit is an extra property of a String/],
    [Object.assign(new String('ab'), { 5: 'x' }), /^output\.5 is an extra property of a String/],
    [Object.assign(new ArrayBuffer(2), { n: 1 }), /^output\.n is an extra property of an ArrayBuffer/],
    [Object.assign(new DataView(new ArrayBuffer(2)), { n: 1 }), /^output\.n is an extra property of a DataView/],
    [Object.assign(new Float64Array(300), { scale: 2 }), /^output is a Float64Array with own properties besides/],
    [Object.assign(Int8Array.of(1), { scale: 2 }), /^output is an Int8Array with own properties besides/],
    [Object.defineProperty({ a: 1 }, 'hidden', { value: 2 }), /^output\.hidden is a non-enumerable property/],
    // An array's hidden property is dropped, and a hidden element read back as a hole.
    [Object.defineProperty([1], 'meta', { value: 7 }), /^output\.meta is a non-enumerable property/],
    [
      { rows: Object.defineProperty([1, 2], 1, { value: 9, enumerable: false }) },
      /^output\.rows\.1 is a non-enumerable property/,
    ],
  ];
  for (const [value, message] of cases) {
    const shown = (v: unknown) => inspect(v, { showHidden: true });
    assert.notEqual(shown(deserialize(serialize(value))), shown(value), `structured clone drops it: ${message}`);
    assertNotStored(value, message);
  }
  // What the clone keeps is still stored: an array's named properties, an unused RegExp, a String's characters.
  for (const kept of [Object.assign([1, 2], { index: 0 }), /a/g, new String('ab'), Float64Array.of(1)]) {
    const record = makeRecord({ input: {}, output: kept, time: 0, async: false });
    const decoded = decodeOutput(Buffer.concat(encodeRecord(record).parts));
    assert.ok(decoded.ok);
    assert.deepStrictEqual(decoded.output, kept);
  }
});

test("another realm's built-ins (a vm context's) are stored as this realm's; its class instances are refused", () => {
  const made = runInNewContext(`({
    plain: { a: 1, rows: [1, { x: 2 }] },
    map: new Map([[1, { y: 3 }]]),
    set: new Set(['s']),
    date: new Date(7),
    regexp: /a+/g,
    error: new TypeError('t', { cause: [1] }),
    floats: Float64Array.of(1.5, -0),
    view: new DataView(new ArrayBuffer(2)),
    buffer: new ArrayBuffer(3),
    boxed: new Number(4),
  })`) as Record<string, unknown>;
  const back = roundTrip(made) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  for (const [key, value] of Object.entries(made)) {
    assert.equal(inspect(back[key], { showHidden: true }), inspect(value, { showHidden: true }), key);
  }
  assert.ok(back.map instanceof Map && back.floats instanceof Float64Array && back.error instanceof TypeError);
  assert.deepEqual(roundTrip(runInNewContext('[1, [2], { x: 3 }]')), [1, [2], { x: 3 }]);
  const cases: [unknown, RegExp][] = [
    [runInNewContext('new (class Model {})()'), /^output is an instance of Model/],
    [runInNewContext('({ dict: Object.create(null) })'), /^output\.dict is an object with a null prototype/],
    [runInNewContext('({ f() {} })'), /^output\.f is a function/],
    [runInNewContext('Object.create(Map.prototype)'), /^output is an object whose prototype is Map's but which is not/],
    // Named as a built-in, a class of the program is still a class.
    [new (runInNewContext('(class Object {})') as new () => object)(), /^output is an instance of Object/],
  ];
  for (const [value, message] of cases) assertNotStored(value, message);
});

test("an object given a built-in's prototype without being one is refused: a hit would read back another kind", () => {
  const cases: [unknown, RegExp][] = [
    [Object.create(Map.prototype), /^output is an object whose prototype is Map's but which is not a Map/],
    [{ at: Object.create(Date.prototype) }, /^output\.at is an object whose prototype is Date's but which is not/],
    [[Object.create(Array.prototype)], /^output\[0\] is an object whose prototype is Array's but which is not/],
    [Object.create(Error.prototype), /^output is an object whose prototype is Error's but which is not an Error/],
    [Object.create(Buffer.prototype), /^output is an object whose prototype is Buffer's but which is not/],
    [Object.setPrototypeOf(new Uint8Array(2), Float64Array.prototype), /^output is an object whose prototype is Float/],
    [Object.setPrototypeOf(new Uint8Array(2), Object.prototype), /^output is an object whose prototype is Object's/],
  ];
  for (const [value, message] of cases) assertNotStored(value, message);
});

test('a record keeps every field it was made with, in order', () => {
  const record = makeRecord({
    input: { x: 1, global_seed: 3 },
    this: { value: { scale: 2 } },
    output: [1, 2],
    time: 0.5,
    seed: 3,
    async: false,
    configuration: { 'environment:SCALE': 'ab' },
  });
  const decoded = decodeRecord(Buffer.concat(encodeRecord(record).parts));
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.record, record);
  const metadataKeys = Object.keys(record).filter((key) => key !== 'output' && key !== 'async');
  assert.deepEqual(Object.keys(decoded.record), [...metadataKeys, 'output', 'async']);
  // A `this` that was undefined is kept as a field.
  const withUndefinedThis = makeRecord({ input: {}, this: { value: undefined }, output: 1, time: 0, async: false });
  const again = decodeRecord(Buffer.concat(encodeRecord(withUndefinedThis).parts));
  assert.ok(again.ok && 'this' in again.record && again.record.this === undefined);
});

test('an object holds its output and metadata as each serializes alone, whatever objects they share', () => {
  const storesEachAlone = (input: Record<string, unknown>, output: unknown) => {
    const record = makeRecord({ input, output, time: 0.5, async: false });
    let bytes: Uint8Array;
    try {
      bytes = Buffer.concat(encodeRecord(record).parts);
    } catch (error) {
      if (error instanceof NotSerializableError) return;
      throw error;
    }
    const object = decodeObject(bytes);
    assert.ok(object.ok && object.metadata);
    const { time, createdAt, node, host, platform, funes } = record;
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    assert.equal(hex(object.metadata), hex(serialize({ input, time, createdAt, node, host, platform, funes })));
    assert.equal(hex(object.payload.subarray(8)), hex(serialize(output)));
  };
  const shared = { list: [1, 2] };
  const input = { a: shared, b: shared, n: 1 };
  storesEachAlone(input, shared);
  storesEachAlone(input, input);
  storesEachAlone(input, [shared, input, shared]);
  storesEachAlone({ x: 1 }, { x: 1, sum: 1.5, list: Array(10).fill(1) });
  // The byte that may refer back, in a short text and in a long one.
  storesEachAlone({ text: 'a^b' }, { x: 1 });
  storesEachAlone({ text: '^'.repeat(5000) }, [1, 2]);
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.anything()), fc.anything(), (given, output) =>
      storesEachAlone(given, output),
    ),
    { numRuns: 300 },
  );
});

test('records carry provenance', () => {
  const encoded = encodeRecord(
    makeRecord({ input: { x: 1, global_seed: 3 }, output: 2, time: 0.25, seed: 3, async: true }),
  );
  const decoded = decodeRecord(Buffer.concat(encoded.parts));
  assert.ok(decoded.ok);
  const r = decoded.record;
  assert.deepEqual(r.input, { x: 1, global_seed: 3 });
  assert.equal(r.seed, 3);
  assert.equal(r.async, true);
  assert.equal(r.time, 0.25);
  assert.equal(r.node, process.version);
  assert.equal(r.platform, `${process.platform}-${process.arch}`);
  assert.ok(r.createdAt instanceof Date);
  assert.equal(typeof r.host, 'string');
  assert.match(r.funes, /^\d+\.\d+\.\d+/);
});

test('fuzz: intact objects holding foreign payloads decode to a record or a verdict, never an exception', () => {
  const decodesCleanly = (payload: Uint8Array) => {
    const decoded = decodeRecord(Buffer.concat(encodeObject(payload).parts));
    if (!decoded.ok) assert.equal(typeof decoded.reason, 'string');
    // Metadata alone, from the whole payload or any start of it.
    for (const head of [payload, payload.subarray(0, payload.length >> 1)]) {
      const metadata = decodeMetadata(head, payload.length);
      if (!metadata.ok) assert.equal(typeof metadata.reason, 'string');
      else if (decoded.ok) assert.deepEqual(metadata.metadata, (({ output: _, ...rest }) => rest)(decoded.record));
    }
  };
  // Random bytes, and bytes that start like a structured-clone stream (version header 0xFF 0x0F).
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), decodesCleanly), { numRuns: 2000 });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (rest) => decodesCleanly(new Uint8Array([0xff, 0x0f, ...rest]))),
    { numRuns: 2000 },
  );
  // Well-formed values that are not records.
  fc.assert(fc.property(fc.anything(), (value) => decodesCleanly(serialize(value))), { numRuns: 500 });
});

test('a result nested too deeply to store is refused with ENOTSERIALIZABLE, not a stack overflow', () => {
  let deep: unknown = null;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  assert.throws(
    () => encodeRecord(makeRecord({ input: {}, output: deep, time: 0, async: false })),
    NotSerializableError,
  );
});

test('a result nested deeper than a hit could read back is refused; one just within reads back', () => {
  const nested = (levels: number) => {
    let value: unknown = { leaf: true };
    for (let i = 0; i < levels; i++) value = { o: value };
    return value;
  };
  // Structured clone writes these but its reader runs out of stack on them: every hit would be damaged.
  for (const levels of [MAX_STORED_DEPTH, 2_000, 3_000]) {
    assert.throws(
      () => encodeRecord(makeRecord({ input: {}, output: nested(levels), time: 0, async: false })),
      (error: NotSerializableError) => error.code === 'ENOTSERIALIZABLE' && /1000 levels deep/.test(error.message),
    );
  }
  const within = nested(MAX_STORED_DEPTH - 1);
  assert.deepEqual(roundTrip(within), within);
});

/**
 * Objects as Funes 0.1 wrote them (base64): a small raw record,
 * and a deflated typed array output of a seeded async call.
 */
const WRITTEN_BY_0_1 = {
  small: [
    'iUZOUwEBAAC3AAAAAAAAALcAAAAAAAAArpVUnV47m9IGiLaPNpiiBTYciiGRMvnB4OLxyYrQFwwAAQAAigAAAP8PbyIJY3JlYXRl',
    'ZEF0RAAAgH5GGXpCIgRub2RlIgh2MjAuMjAuMiIEaG9zdCIMZXhhbXBsZS1ob3N0IghwbGF0Zm9ybSIJbGludXgteDY0IgVmdW5l',
    'cyIFMC4xLjAiBWlucHV0byIBeEkEIgVsYWJlbCIDdHdvewIiBHRpbWVOAAAAAAAA0D97BwAAAAAAAP8PbyIHZG91YmxlZEkIIgRs',
    'aXN0QQJJAkkEJAACewI=',
  ].join(''),
  large: [
    'iUZOUwEBAQAQOQEAAAAAAIoEAAAAAAAAa+V7S4fkve83goaYWGcDk7u6CrmGXdUL1ZkFD26K9FXt18FKVAEcRvE7McYIQS1a1Pbu',
    'FYtoa0UEbnoHaa4k6IzoGJIQLXuIFj1iy3bFeI4PERyR+avg5jDfb2ZmDxbDj2EY/j5ej7ufLqfjzbR8u3k/DN+/fXj+9d04X62X',
    '07j48vJgf/s9zj+vrzbjo+nm+PzibNq7+21xcXa8OVlfno+7Z6er65u9m9evxp2T69V0Ne4c7L/YPxh3TlcX15v1OFsd/fo5u52N',
    '883p+fRxuPv6czjOr6ZpefTwdsFf7h9/H/rTG+7C+8T71PvM2/9RoC49X+63sL3tiBo5QYf8dB2+bvS6Qo+cyIltgfbQHrYFeh/J',
    '86A9tIf2MAxD75cYgo+9XyJEn6vo0Ocqh5EThuDkBB1ygg454TxywhCcnKBDTtAhJ5xHThiCkxN0yAk65ITzyAlDcHKCDjlBh5xw',
    'HjlhCE5O0CEn6JATziMnDMHJCTrkBB1ywnnkhCE4OUGHnKBDTjiPnDAEJyfokBN0yAnnkROG4OQEHXKCDjnhPHLCEJycoENO0CEn',
    'nEdOGIKTE3TICTrkhPPICUNwcoIOOUGHnHAeOWEITk7QISfokBPOIycMwckJOuQEHXLCeeSEITg5QYecoENOOI+cMAQnJ+iQE3TI',
    'CeeRE4bg5AQdcoIOOeE8csIQnJygQ07QISecR04YgpMTdMgJOuSE88gJQ3Bygg45QYeccB45YQhOTtAhJ+iQE84jJwzByQk65AQd',
    'csJ55IQhODlBh5ygQ044j5wwBCcn6JATdMgJ55EThuDkBB1ygg454TxywhCcnKBDTtAhJ5xHThiCkxN0yAk65ITzyAlDcHKCDjlB',
    'h5xwHjlhCE5O0CEn6JATziMnDMHJCTrkBB1ywnnkhCE4OUGHnKBDTjiPnDAEJyfokBN0yAnnkROG4OQEHXKCDjnhPHLCEJycoENO',
    '0CEnnEdOGIKTE3TICTrkhPPICUNwcoIOOUGHnHAeOWEITk7QISfokBPOIycMwckJOuQEHXLCeeSEITg5QYecoENOOI+cMAQnJ+iQ',
    'E3TICeeRE4bg5AQdcoIOOeE8csIQnJygQ07QISecR04YgpMTdMgJOuSE88gJQ3Bygg45QYeccB45YQhOTtAhJ+iQE84jJwzByQk6',
    '5AQdcsJ55IQhODlBh5ygQ044j5wwBCcn6JATdMgJ55EThuDkBB1ygg454TxywhCcnKBDTtAhJ5xHThiCkxN0yAk65ITzyAlDcHKC',
    'DjlBh5xwHjlhCE5O0CEn6JATziMnDMHJCTrkBB1ywnnkhCE4OUGHnKBDTjiPnDAEJyfokBN0yAnnkROG4OQEHXKCDjnhPHLCEJyc',
    'oENO0CEnnEdOGIKTE3TICTrkhPPICUNwcoIOOUGHnHAeOWEITk7QISfokBPOIycMwckJOuQEHXLCeeSEITg5QYecoENOOI+cMAQn',
    'J+iQE3TICeeRE4bg5AQdcoIOOeE8csIQnJygQ07QISecR04YgpMTdMgJOuSE88gJQ3Bygg45QYeccB45YQhOTtAhJ+iQE84jJwzB',
    'yQk65AQdcsJ55IQhOP+vE/8A',
  ].join(''),
};

test('objects written by earlier releases still decode', () => {
  const provenance = {
    createdAt: new Date(Date.UTC(2026, 10, 1)),
    node: 'v20.20.2',
    host: 'example-host',
    platform: 'linux-x64',
    funes: '0.1.0',
  };
  const small = decodeRecord(Buffer.from(WRITTEN_BY_0_1.small, 'base64'));
  assert.ok(small.ok);
  assert.deepEqual(small.record, {
    ...provenance,
    input: { x: 2, label: 'two' },
    output: { doubled: 4, list: [1, 2] },
    time: 0.25,
    async: false,
  });
  const large = decodeRecord(Buffer.from(WRITTEN_BY_0_1.large, 'base64'));
  assert.ok(large.ok);
  assert.deepEqual(large.record, {
    ...provenance,
    input: { n: 10000 },
    output: new Float64Array(10000).map((_, i) => i % 7),
    time: 1.5,
    async: true,
    seed: 3,
  });
  const output = decodeOutput(Buffer.from(WRITTEN_BY_0_1.large, 'base64'));
  assert.ok(output.ok && output.async && output.output instanceof Float64Array && output.output[13] === 6);
});

test('an object whose configuration holds anything but a hash per read is not a record', () => {
  const fields = { input: { x: 1 }, output: 2, time: 0.5, async: false };
  const sound = encodeRecord(makeRecord({ ...fields, configuration: { 'environment:SCALE': 'ab12' } }));
  assert.ok(decodeRecord(Buffer.concat(sound.parts)).ok);
  for (const configuration of [{ 'environment:SCALE': 5 }, ['ab12'], 'ab12', null]) {
    // Planted as someone else's cache could hold it: every field but this one as Funes writes it.
    const planted = { ...makeRecord(fields), configuration } as unknown as Parameters<typeof encodeRecord>[0];
    const bytes = Buffer.concat(encodeRecord(planted).parts);
    assert.deepEqual(decodeRecord(bytes), { ok: false, reason: 'not a record' }, JSON.stringify(configuration));
    assert.deepEqual(checkRecord(bytes), { ok: false, reason: 'not a record' }, `verify and log: ${configuration}`);
  }
  assert.deepEqual(checkRecord(Buffer.concat(sound.parts)), { ok: true, time: 0.5 });
});
