import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { WarningEvent } from './events.js';
import {
  describeDefinition,
  funesKey,
  InvalidUsageError,
  loadCachedResults,
  memorious,
  openResults,
  UnhashableArgumentError,
} from './index.js';

const root = mkdtempSync(join(tmpdir(), 'funes-memorious-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshCache = () => join(root, `cache-${dirs++}`);

test('a sync function stays sync: a hit returns the value, not a Promise', () => {
  let runs = 0;
  const cacheDir = freshCache();
  const square = memorious(function square(x: number) { runs++; return x * x; }, { cacheDir });
  assert.equal(square(3), 9);
  assert.equal(square(3), 9);
  assert.equal(runs, 1);
  const again = memorious(function square(x: number) { runs++; return x * x; }, { cacheDir });
  assert.equal(again(3), 9, 'a second wrapper (as in a new process) reads the stored result');
  assert.equal(runs, 1);
});

test('async functions and functions returning promises return promises, hit or miss', async () => {
  let runs = 0;
  const cacheDir = freshCache();
  const slow = memorious(async function slow(x: number) { runs++; await sleep(1); return { x }; }, { cacheDir });
  const first = slow(1);
  assert.ok(first instanceof Promise);
  assert.deepEqual(await first, { x: 1 });
  const second = slow(1);
  assert.ok(second instanceof Promise);
  assert.deepEqual(await second, { x: 1 });
  assert.equal(runs, 1);
  const thenable = memorious(function thenable(x: number) { runs++; return Promise.resolve(x + 1); }, { cacheDir });
  assert.equal(await thenable(1), 2);
  const hit = thenable(1);
  assert.ok(hit instanceof Promise, 'the record remembers that the function returned a Promise');
  assert.equal(await hit, 2);
  assert.equal(runs, 2);
});

test('concurrent calls with the same key share one computation', async () => {
  let runs = 0;
  const work = memorious(
    async function work(x: number) {
      runs++;
      await sleep(20);
      return x;
    },
    { cacheDir: freshCache() },
  );
  const results = await Promise.all([work(1), work(1), work(1), work(2)]);
  assert.deepEqual(results, [1, 1, 1, 2]);
  assert.equal(runs, 2);
});

test('calls that join a computation under way each get their own copy of its result, as hits do', async (t) => {
  let runs = 0;
  const cacheDir = freshCache();
  const rows = memorious(
    async function rows(n: number) {
      runs++;
      await sleep(20);
      return { list: Array.from({ length: n }, (_, i) => i), at: new Date(0), seen: new Map([['a', 1]]) };
    },
    { cacheDir },
  );
  const [first, second, third] = await Promise.all([rows(3), rows(3), rows(3)]);
  assert.equal(runs, 1);
  first.list.push(99);
  first.seen.set('b', 2);
  second.at.setTime(5);
  assert.deepEqual(second.list, [0, 1, 2], "one caller's change to its result does not reach another's");
  assert.deepEqual([...third.seen], [['a', 1]]);
  assert.equal(third.at.getTime(), 0);
  assert.notEqual(second, third);
  assert.deepEqual((await rows(3)).list, [0, 1, 2]);
  // A result that cannot be stored is shared, as there is no stored copy to give.
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const unstorable = memorious(
    async function unstorable() {
      await sleep(20);
      return { handle: () => 1 };
    },
    { cacheDir },
  );
  const [a, b] = await Promise.all([unstorable(), unstorable()]);
  assert.equal(a, b);
  assert.match(printed.join('\n'), /unstorable: result not cached: output\.handle is a function/);
});

/** Megabytes of floats that do not compress, so they are stored raw and read and written while hashed. */
function noise(n: number): Float64Array {
  const out = new Float64Array(600_000);
  let x = n + 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = Math.sin(x);
  }
  return out;
}

test('large results of async functions are stored before the call resolves and read back ' +
    'whole; damage is recomputed', async (t) => {
  // The warning goes to the process too; it is asserted here rather than printed amid the test report.
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const events: WarningEvent[] = [];
  let runs = 0;
  const cacheDir = freshCache();
  const wrap = () =>
    memorious(
      async function large(n: number) {
        runs++;
        return noise(n);
      },
      { cacheDir, onEvent: (e) => 'code' in e && events.push(e) },
    );
  const first = wrap();
  assert.deepEqual(await first(1), noise(1));
  const dir = join(cacheDir, 'large', readdirSync(join(cacheDir, 'large'))[0]);
  const [object] = readdirSync(dir).filter((name) => name !== 'definition.json' && !name.startsWith('.used'));
  assert.equal(object.length, 64, 'stored by the time the call resolved, no temp file left');
  const again = wrap();
  const hit = again(1);
  assert.ok(hit instanceof Promise);
  assert.deepEqual(await hit, noise(1));
  assert.equal(runs, 1);
  const bytes = readFileSync(join(dir, object));
  bytes[bytes.length >> 1] ^= 1;
  writeFileSync(join(dir, object), bytes);
  assert.deepEqual(await again(1), noise(1));
  assert.equal(runs, 2, 'the damaged result is computed again');
  assert.deepEqual(
    events.map((e) => e.code),
    ['EINTEGRITY'],
  );
  assert.deepEqual(
    printed,
    events.map((e) => e.message),
  );
  assert.deepEqual(await wrap()(1), noise(1));
  assert.equal(runs, 2, 'and stored again whole');
});

test('calls that throw or reject are not cached', async () => {
  let runs = 0;
  const cacheDir = freshCache();
  const flaky = memorious(
    function flaky(x: number) {
      runs++;
      if (runs === 1) throw new Error('first');
      return x;
    },
    { cacheDir },
  );
  assert.throws(() => flaky(1), /first/);
  assert.equal(flaky(1), 1);
  assert.equal(runs, 2);
  let asyncRuns = 0;
  const rejecting = memorious(
    async function rejecting(x: number) {
      asyncRuns++;
      if (asyncRuns === 1) throw new Error('no');
      return x;
    },
    { cacheDir },
  );
  await assert.rejects(rejecting(1), /no/);
  assert.equal(await rejecting(1), 1);
  assert.equal(asyncRuns, 2);
});

test('literal defaults are filled in, so f(1) and f(1, 2) share an entry', () => {
  let runs = 0;
  const cacheDir = freshCache();
  const add = memorious(function add(x: number, y = 2) { runs++; return x + y; }, { cacheDir });
  assert.equal(add(1), 3);
  assert.equal(add(1, 2), 3);
  assert.equal(runs, 1);
  const [record] = [...loadCachedResults(add)];
  assert.deepEqual(record.input, { x: 1, y: 2 });
  assert.equal(record.output, 3);
  assert.equal(typeof record.time, 'number');
  assert.match(record.argumentHash, /^[0-9a-f]{64}$/);
});

test('objects are stored at <cacheDir>/<name>/<64 hex>/<64 hex> with the version metadata', () => {
  const cacheDir = freshCache();
  const f = memorious(function stored(x: number) { return x; }, { cacheDir });
  f(1);
  const [version] = readdirSync(join(cacheDir, 'stored'));
  assert.match(version, /^[0-9a-f]{64}$/);
  const files = readdirSync(join(cacheDir, 'stored', version)).sort();
  assert.equal(files.length, 4);
  assert.equal(files[0], '.used', 'the use marker, whose time says when the version was last used');
  assert.match(files[1], /^\.used-[0-9a-f]{16}$/, "the project directory's use marker");
  assert.equal(
    readFileSync(join(cacheDir, 'stored', version, files[1]), 'utf8'),
    resolve(dirname(fileURLToPath(import.meta.url)), '../../..'),
    'it names the project holding the module: the workspace root above packages/core',
  );
  assert.match(files[2], /^[0-9a-f]{64}$/);
  assert.equal(files[3], 'definition.json');
  const metadata = JSON.parse(readFileSync(join(cacheDir, 'stored', version, 'definition.json'), 'utf8'));
  assert.equal(metadata.name, 'stored');
  assert.equal(metadata.definitionHash, version);
  assert.match(metadata.source, /function stored/);
  assert.equal(describeDefinition(f).hash, version);
});

test('withSeed seeds Math.random, keys by the seed and records global_seed', () => {
  let runs = 0;
  const noisy = memorious(function noisy(x: number) { runs++; return x + Math.random(); }, { cacheDir: freshCache() });
  const a = noisy.withSeed(1)(0);
  const b = noisy.withSeed(2)(0);
  assert.notEqual(a, b);
  assert.equal(noisy.withSeed(1)(0), a);
  assert.equal(runs, 2);
  const unseeded = noisy(0);
  assert.equal(runs, 3);
  assert.notEqual(unseeded, a);
  const inputs = [...loadCachedResults(noisy)]
    .map((r) => r.input)
    .sort((p, q) => Number(p.global_seed ?? -1) - Number(q.global_seed ?? -1));
  assert.deepEqual(inputs, [{ x: 0 }, { x: 0, global_seed: 1 }, { x: 0, global_seed: 2 }]);
  assert.throws(() => noisy.withSeed(NaN), /finite number or a string/);
  assert.throws(() => noisy.withSeed({} as never), /finite number or a string/);
});

test('isCached, peek and refresh of a seeded function ask about its calls under that seed', () => {
  let runs = 0;
  const noisy = memorious(function noisy(x: number) { runs++; return x + Math.random(); }, { cacheDir: freshCache() });
  assert.equal(noisy.withSeed(1).isCached(0), false);
  const stored = noisy.withSeed(1)(0);
  assert.equal(noisy.withSeed(1).isCached(0), true);
  assert.equal(noisy.withSeed(1).peek(0), stored);
  assert.equal(noisy.withSeed(2).isCached(0), false, 'another seed is another call');
  assert.equal(noisy.isCached(0), false, 'so is the call without a seed');
  assert.equal(noisy.withSeed(1).refresh(0), stored, 'computed again under the same seed');
  assert.equal(runs, 2);
  assert.equal(noisy.withSeed(1)(0), stored);
  assert.equal(runs, 2);
});

test('a parameter named global_seed keeps its value in the record of a seeded call', () => {
  const shift = memorious(function shift(x: number, global_seed: number) {
    return x + global_seed;
  }, { cacheDir: freshCache() });
  assert.equal(shift.withSeed(7)(1, 100), 101);
  assert.equal(shift(1, 7), 8);
  const records = [...loadCachedResults(shift)].map(({ input, seed, output }) => ({ input, seed, output }));
  records.sort((a, b) => a.output - b.output);
  assert.deepEqual(records, [
    { input: { x: 1, global_seed: 7 }, seed: undefined, output: 8 },
    { input: { x: 1, global_seed: 100 }, seed: 7, output: 101 },
  ]);
});

test('a seeded call computes the same value in a fresh cache', () => {
  const make = (cacheDir: string) => memorious(function draw() { return Math.random(); }, { cacheDir });
  assert.equal(make(freshCache()).withSeed('s')(), make(freshCache()).withSeed('s')());
});

test('a memorious call inside a seeded call gives the same results whatever was stored before', () => {
  const make = (cacheDir: string) => {
    const inner = memorious(function inner(x: number) { return x + Math.random(); }, { cacheDir });
    const outer = memorious(
      function outer(x: number) { return [inner(x), inner(x + 1), Math.random()]; },
      { cacheDir },
    );
    return { inner, outer };
  };
  const alone = make(freshCache()).outer.withSeed(2)(1);
  const cacheDir = freshCache();
  const after = make(cacheDir);
  after.outer.withSeed(1)(1);
  assert.deepEqual(after.outer.withSeed(2)(1), alone, 'seed 1 stored inner(1) first');
  const fresh = make(freshCache());
  fresh.inner(1);
  fresh.inner(2);
  assert.deepEqual(fresh.outer.withSeed(2)(1), alone, 'inner stored unseeded first');
  assert.notEqual(alone[0] - 1, alone[1] - 2, 'each nested call draws a sequence of its own');
  // The record names the seed the nested call ran under: withSeed with it reproduces the call alone.
  const nested = [...loadCachedResults(after.inner)].find((r) => r.input.x === 1 && String(r.seed).startsWith('2/'));
  assert.ok(nested);
  assert.equal(nested.input.global_seed, nested.seed);
  assert.equal(make(freshCache()).inner.withSeed(nested.seed!)(1), alone[0]);
});

test('a graph whose edges share their nodes is another argument than its copy parsed from JSON', () => {
  const cacheDir = freshCache();
  const nodesOf = memorious(function nodesOf(edges: { from: object; to: object }[]) {
    return new Set(edges.flatMap((edge) => [edge.from, edge.to])).size;
  }, { cacheDir });
  const [a, b, c] = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const edges = [{ from: a, to: b }, { from: b, to: c }];
  assert.equal(nodesOf(edges), 3);
  assert.equal(nodesOf(JSON.parse(JSON.stringify(edges))), 4);
  assert.equal(nodesOf(edges), 3);
  assert.deepEqual(nodesOf.stats(), { hits: 1, misses: 2, timeSaved: nodesOf.stats().timeSaved });
});

test('objects made from prototypes whose getters differ are other arguments, though alike on the prototype', () => {
  const cacheDir = freshCache();
  const areaOf = memorious(function areaOf(shape: { area: number }) {
    return shape.area;
  }, { cacheDir });
  type Rectangle = { w: number; h: number; area: number };
  const made = (base: Rectangle) => Object.assign(Object.create(base) as Rectangle, { w: 2, h: 3 });
  assert.equal(areaOf(made({ get area() { return this.w * this.h; } } as Rectangle)), 6);
  assert.equal(areaOf(made({ get area() { return this.w + this.h; } } as Rectangle)), 5);
});

test('an argument changed while a call waited for its lock is keyed as it is then, with a warning', async (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const events: WarningEvent[] = [];
  const onEvent = (e: object) => void ('code' in e && events.push(e as WarningEvent));
  const scaled = memorious(async function scaled(cfg: { x: number }) {
    return cfg.x * 10;
  }, { cacheDir: freshCache(), lock: true, onEvent });
  const cfg = { x: 1 };
  const call = scaled(cfg);
  // The lock is taken after the caller goes on, as an async function's is.
  cfg.x = 2;
  assert.equal(await call, 20);
  assert.deepEqual([...loadCachedResults(scaled)].map((r) => [r.input.cfg, r.output]), [[{ x: 2 }, 20]]);
  assert.equal(await scaled({ x: 1 }), 10, 'no result of x = 2 is stored as that of x = 1');
  assert.deepEqual(events.map((e) => e.code), ['EARGSCHANGED']);
  assert.match(printed.join('\n'), /scaled: the arguments of a call were changed while it waited/);
  // An argument that changes at every read (a getter counting) is computed at once, not waited for again.
  let reads = 0;
  const counted = memorious(async function counted(o: { n: number }) {
    return o.n;
  }, { cacheDir: freshCache(), lock: true, onEvent });
  assert.equal(typeof await counted({ get n() { return reads++; } }), 'number');
});

test('a function working in place on views of one array is another call than on a copy', () => {
  const cacheDir = freshCache();
  // Each output reads the input before it: where they share memory, the value just written.
  const runningSum = memorious(function runningSum(input: Float64Array, output: Float64Array) {
    for (let i = 1; i < input.length; i++) output[i] = input[i] + input[i - 1];
    return Array.from(output);
  }, { cacheDir });
  const data = () => Float64Array.of(1, 1, 1, 1);
  const inPlace = data();
  assert.deepEqual(runningSum(inPlace, inPlace.subarray()), [1, 2, 3, 4]);
  assert.deepEqual(runningSum(data(), data()), [1, 2, 2, 2]);
  assert.deepEqual(runningSum(data(), data()), [1, 2, 2, 2]);
  assert.deepEqual(runningSum.stats(), { hits: 1, misses: 2, timeSaved: runningSum.stats().timeSaved });
});

test('a function that reads arguments tells an omitted argument from undefined and from its default', () => {
  const cacheDir = freshCache();
  const given = memorious(function given(a: number, b = 10) {
    // eslint-disable-next-line prefer-rest-params -- what arguments shows is the point
    const passed = arguments[1] as unknown;
    return arguments.length < 2 ? `${a} alone` : `${a} with ${String(passed)}, b = ${b}`;
  }, { cacheDir });
  assert.equal(given(1), '1 alone');
  assert.equal(given(1, undefined), '1 with undefined, b = 10');
  assert.equal(given(1, 10), '1 with 10, b = 10');
  // Each record says what was passed: the omitted argument is absent, not filled in.
  const inputs = [...loadCachedResults(given)].map((r) => r.input);
  assert.equal(inputs.length, 3);
  assert.deepEqual(inputs.find((input) => !('b' in input)), { a: 1 });
  assert.deepEqual(inputs.filter((input) => 'b' in input).map((input) => input.b).sort(), [10, undefined]);
});

test('a function that reads arguments is called with or without an ignored argument as two calls', () => {
  const cacheDir = freshCache();
  const count = memorious(function count(x: number, logger?: (m: string) => void) {
    logger?.(`x ${x}`);
    return `${x} of ${arguments.length}`;
  }, { cacheDir, ignore: ['logger'] });
  assert.equal(count(1), '1 of 1');
  assert.equal(count(1, () => {}), '1 of 2');
  assert.equal(count(1, console.log), '1 of 2', 'another logger: the same call');
  assert.deepEqual(count.stats().hits, 1);
  // The record shows how many arguments were passed where one is left out, and only there.
  const inputs = [...loadCachedResults(count)].map((record) => record.input);
  assert.deepEqual(inputs.sort((a, b) => Object.keys(a).length - Object.keys(b).length), [
    { x: 1 },
    { x: 1, 'arguments.length': 2 },
  ]);
  // Extra arguments past the parameters, and a rest parameter's, count alike.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- what arguments shows is the point
  const extra = memorious(function extra(x: number) {
    return arguments.length;
  }, { cacheDir, ignore: ['arguments[1]'] }) as (x: number, note?: string) => number;
  assert.deepEqual([extra(1), extra(1, 'a'), extra(1, 'b')], [1, 2, 2]);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- what arguments shows is the point
  const rest = memorious(function rest(x: number, ...notes: string[]) {
    return arguments.length;
  }, { cacheDir, ignore: ['notes'] });
  assert.deepEqual([rest(1), rest(1, 'a'), rest(1, 'a', 'b'), rest(1, 'c')], [1, 2, 3, 2]);
  // A function that does not read arguments never sees the count: the ignored argument is simply left out.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the ignored parameter
  const plain = memorious(function plain(x: number, logger?: unknown) {
    return x;
  }, { cacheDir, ignore: ['logger'] });
  plain(1);
  plain(1, 'l');
  assert.deepEqual(plain.stats().hits, 1);
});

test('results that cannot be stored are returned, reported and not cached', (t) => {
  // The warning goes to the process too; it is asserted here rather than printed amid the test report.
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const events: WarningEvent[] = [];
  let runs = 0;
  const cacheDir = freshCache();
  const makeFn = memorious(
    function makeFn(x: number) {
      runs++;
      return () => x;
    },
    { cacheDir, onEvent: (e) => 'code' in e && events.push(e) },
  );
  assert.equal(makeFn(1)(), 1);
  assert.equal(makeFn(1)(), 1);
  assert.equal(runs, 2);
  assert.equal(events[0].type, 'not-serializable');
  assert.equal(events[0].code, 'ENOTSERIALIZABLE');
  assert.deepEqual(printed, [events[0].message], 'warned once');
  assert.equal(existsSync(join(cacheDir, 'makeFn')), false);
});

test('a result holding a Proxy (a reactive store\'s object) is returned and reported, not a raw error', async (t) => {
  t.mock.method(process, 'emitWarning', () => undefined);
  const events: WarningEvent[] = [];
  const cacheDir = freshCache();
  const onEvent = (e: object) => 'code' in e && events.push(e as WarningEvent);
  const state = (n: number) => ({ n, rows: new Proxy([n], {}) });
  const sync = memorious(function reactive(n: number) { return state(n); }, { cacheDir, onEvent });
  const later = memorious(async function reactiveLater(n: number) { return state(n); }, { cacheDir, onEvent });
  assert.deepEqual(sync(1).rows, [1]);
  assert.deepEqual((await later(2)).rows, [2]);
  assert.deepEqual(
    events.map((e) => [e.code, 'path' in e && e.path]),
    [['ENOTSERIALIZABLE', 'output.rows'], ['ENOTSERIALIZABLE', 'output.rows']],
  );
});

test('a result with a property its clone would drop is not stored, so no hit returns it without', (t) => {
  t.mock.method(process, 'emitWarning', () => undefined);
  const cacheDir = freshCache();
  const counts = (n: number) => Object.assign(new Map([['n', n]]), { total: n * 2 });
  const make = () => memorious(function tally(n: number) { return counts(n); }, { cacheDir });
  assert.equal(make()(2).total, 4);
  assert.equal(make()(2).total, 4, 'a second wrapper (as in a new process) computes again');
  assert.equal(existsSync(join(cacheDir, 'tally')), false);
});

test('a cache directory that is a file: calls compute and warn once, reading finds nothing, nothing throws', (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const cacheDir = join(root, 'a-file');
  writeFileSync(cacheDir, 'not a directory');
  const triple = memorious(function triple(x: number) { return x * 3; }, { cacheDir });
  assert.equal(triple(1), 3);
  assert.equal(triple(1), 3);
  assert.equal(triple.isCached(1), false);
  assert.equal(triple.peek(1), undefined);
  assert.deepEqual([...loadCachedResults(triple)], []);
  assert.equal(triple.clear(), 0);
  assert.throws(() => loadCachedResults('triple', { cacheDir }), /no function 'triple' in the cache/);
  assert.equal(printed.length, 1, printed.join('\n'));
  assert.match(printed[0], /ENOTDIR .*a file stands where the cache needs a directory/);
  assert.equal(readFileSync(cacheDir, 'utf8'), 'not a directory');
});

test("a hit's typed arrays hold only their own bytes, in buffers that can be transferred, as a miss's do", () => {
  const cacheDir = freshCache();
  const make = () =>
    memorious(
      function weights(n: number) {
        const all = Float64Array.from({ length: 3 * n }, (_, i) => i + n / 10);
        // view's bytes lie before w's: views of the same bytes are not stored (a hit would copy them apart).
        return { w: all.subarray(n, 2 * n), tag: Buffer.from(`run ${n}`), view: new DataView(all.buffer, 0, 8) };
      },
      { cacheDir },
    );
  const first = make();
  for (let n = 1; n <= 40; n++) first(n);
  const again = make();
  for (let n = 1; n <= 40; n++) {
    const { w, tag, view } = again(n);
    for (const part of [w, tag, view]) {
      assert.equal(part.byteOffset, 0, `n = ${n}: no other bytes before it`);
      assert.equal(part.buffer.byteLength, part.byteLength, `n = ${n}: no other call's bytes after it`);
    }
    assert.deepEqual([...new Float64Array(w.buffer)], Array.from({ length: n }, (_, i) => n + i + n / 10));
    assert.equal(Buffer.from(tag.buffer).toString(), `run ${n}`);
    const moved = structuredClone(w, { transfer: [w.buffer] });
    assert.equal(moved[0], n + n / 10);
  }
  assert.equal(again.stats().hits, 40);
});

test('unhashable arguments are a clear error naming the argument path', () => {
  const f = memorious(function configure(config: unknown) { return typeof config; }, { cacheDir: freshCache() });
  assert.throws(() => f({ cache: new WeakMap() }), /args\.config\.cache is a WeakMap/);
  assert.throws(() => f({ tag: Symbol('run') }), /args\.config\.tag is a unique symbol/);
});

test('function-valued arguments are keyed by their definition', () => {
  let runs = 0;
  const fit = memorious(
    function fit(loss: (x: number) => number, x: number) {
      runs++;
      return loss(x);
    },
    { cacheDir: freshCache() },
  );
  const square = (x: number) => x * x;
  assert.equal(fit(square, 3), 9);
  assert.equal(fit((x) => x * x, 3), 9);
  assert.equal(runs, 1, 'the same code is the same key');
  assert.equal(fit((x) => Math.abs(x), -3), 3);
  assert.equal(fit((x) => -x, -3), 3);
  assert.equal(runs, 3, 'other code is another key');
  const records = [...loadCachedResults(fit)].map((record) => String(record.input.loss));
  assert.ok(records.some((loss) => /^\[function square [0-9a-f]{16}\]$/.test(loss)), records.join());
});

test('ignore leaves arguments out of the key and the record; key chooses what stands for them', () => {
  let runs = 0;
  const cacheDir = freshCache();
  const train = memorious(
    function train(lr: number, logger: { log(m: string): void }, onProgress?: (p: number) => void) {
      runs++;
      logger.log(`lr ${lr}`);
      onProgress?.(1);
      return lr * 2;
    },
    { cacheDir, ignore: ['logger', 'onProgress'] },
  );
  const logged: string[] = [];
  assert.equal(train(0.1, { log: (m) => logged.push(m) }, () => {}), 0.2);
  assert.equal(train(0.1, { log() {} }, undefined), 0.2);
  assert.equal(runs, 1);
  assert.deepEqual(logged, ['lr 0.1']);
  assert.deepEqual([...loadCachedResults(train)].map((record) => record.input), [{ lr: 0.1 }]);

  const fit = memorious(function fit(data: { id: string; rows: number[] }, lr: number) {
    runs++;
    return data.rows.length * lr;
  }, { cacheDir, key: (data: { id: string }, lr: number) => ({ data: data.id, lr }) });
  assert.equal(fit({ id: 'a', rows: [1, 2] }, 1), 2);
  assert.equal(fit({ id: 'a', rows: [1, 2] }, 1), 2);
  assert.equal(fit({ id: 'b', rows: [1, 2, 3] }, 1), 3);
  assert.equal(runs, 3);
  assert.deepEqual([...loadCachedResults(fit)].map((record) => record.input.lr), [1, 1]);
  assert.throws(
    () => fit({ id: Symbol('x') as never, rows: [] }, 1),
    (error: Error & { path?: string }) => error.path === 'key().data',
  );

  // A key function with a body and no return gives undefined for every call: refused, never one shared result.
  const sloppy = memorious(function sloppy(data: { id: string }) {
    runs++;
    return data.id;
  }, { cacheDir, key: (data: { id: string }) => void data.id });
  assert.throws(() => sloppy({ id: 'a' }), { code: 'EINVALID', message: /key option of sloppy returned undefined/ });
  assert.throws(() => sloppy({ id: 'b' }), { code: 'EINVALID', hint: /needs return/ });
  const shared = memorious(function shared(data: { id: string }) { return data.id; }, { cacheDir, key: () => null });
  assert.equal(shared({ id: 'a' }), 'a');
  assert.equal(shared({ id: 'b' }), 'a', 'null shares one result on purpose');

  assert.throws(
    () =>
      memorious(
        function f(x: number) {
          return x;
        },
        { cacheDir, ignore: 'x' as never },
      ),
    /ignore option must be an array of parameter names/,
  );
  assert.throws(
    () =>
      memorious(
        function f(x: number) {
          return x;
        },
        { cacheDir, key: 'x' as never },
      ),
    /key option must be a function/,
  );
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the parameter the misspelt name should have named
  const typo = memorious(function typo(x: number, logger: unknown) { return x; }, { cacheDir, ignore: ['loger'] });
  assert.throws(
    () => typo(1, null),
    (error: Error & { code?: string }) =>
      error.code === 'EINVALID' && /names 'loger', which is not a parameter of typo \(x, logger\)/.test(error.message),
  );
  // A position where the input holds a parameter's name would leave that argument in the key.
  for (const [fn, named] of [
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the parameter the position stands for
    [function byPosition(x: number, logger: unknown) { return x; }, /its parameter 'logger'; ignore 'logger'$/],
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the parameter the position stands for
    [function collected(x: number, ...loggers: unknown[]) { return x; }, /rest parameter 'loggers'; ignore 'loggers'/],
  ] as const) {
    const wrapped = memorious(fn, { cacheDir, ignore: ['arguments[1]'] });
    assert.throws(
      () => wrapped(1, null),
      (error: Error & { code?: string }) => error.code === 'EINVALID' && named.test(error.message),
    );
  }
  // Destructured parameters and extra arguments are named by position.
  let calls = 0;
  const positional = memorious(
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- an ignored destructured parameter
    function positional(x: number, { id }: { id: number }) {
      calls++;
      return x;
    },
    { cacheDir, ignore: ['arguments[1]', 'arguments[2]'] },
  );
  const extra = positional as (x: number, options: { id: number }, note: string) => number;
  extra(1, { id: 1 }, 'a');
  extra(1, { id: 2 }, 'b');
  assert.equal(calls, 1);
  const refused = memorious(
    function refused(x: number, cache: WeakMap<object, number>) {
      return x + (cache ? 0 : 1);
    },
    { cacheDir },
  );
  assert.throws(
    () => refused(1, new WeakMap()),
    (error: UnhashableArgumentError) =>
      /args\.cache is a WeakMap/.test(error.message) &&
      /ignore: \["cache"\].*key: \(\.\.\.args\) => value/.test(error.hint ?? ''),
  );
});

test('an arrow written in the call takes the name the code gives the result, in a TypeScript file too', () => {
  const cacheDir = freshCache();
  const triple = memorious((x: number) => x * 3, { cacheDir });
  assert.equal(describeDefinition(triple).name, 'triple');
  assert.equal(triple(2), 6);
  assert.deepEqual(readdirSync(cacheDir).filter((name) => !name.startsWith('.')), ['triple']);
});

test('bad usage gets clear errors', () => {
  assert.throws(
    () => memorious((x: number) => x),
    (e: unknown) => e instanceof InvalidUsageError && /anonymous/.test(e.message),
  );
  assert.equal(memorious((x: number) => x, { name: 'named', cacheDir: freshCache() })(2), 2);
  assert.throws(() => memorious(42 as never), /takes a function/);
  assert.throws(() => memorious(function* gen() {}), /generator/);
  assert.throws(() => memorious(class A {} as never), /is a class/);
  assert.throws(() => memorious(function f() {}, { cacheDir: 3 } as never), /cacheDir/);
  assert.throws(() => memorious(function f() {}, { deps: 'x' } as never), /deps/);
  assert.throws(() => memorious(function f() {}, { thisKey: 'x' } as never), /thisKey/);
  assert.throws(() => memorious(function f() {}, { onEvent: 'log' } as never), { code: 'EINVALID' });
  // Wrapped again, a memorious function would be keyed by Funes' own wrapper, which no edit of its code changes.
  const once = memorious(function once(x: number) { return x; }, { cacheDir: freshCache() });
  assert.throws(() => memorious(once, { name: 'twice' }), { code: 'EINVALID', message: /once is already memorious/ });
  assert.throws(() => memorious(once.withSeed(3), { name: 'seeded' }), { code: 'EINVALID', message: /already/ });
  assert.throws(() => loadCachedResults(function plain() {}), /function returned by memorious\(\)/);
});

test('loadCachedResults and openResults refuse options they do not take, rather than read another version', () => {
  const cacheDir = freshCache();
  const twice = memorious(function twice(x: number) { return 2 * x; }, { cacheDir });
  twice(1);
  for (const read of [loadCachedResults, openResults]) {
    const refused = (options: object, message: RegExp) =>
      assert.throws(() => read('twice', options as never), { code: 'EINVALID', message });
    refused({ cacheDir, versoin: 'abc' }, /no option 'versoin'; did you mean 'version'\?/);
    refused({ cachedir: cacheDir }, /did you mean 'cacheDir'\?/);
    refused({ cacheDir, version: 7 }, /version option of \w+ must be a definition hash or a prefix/);
    refused({ cacheDir, version: '' }, /version option/);
    refused({ cacheDir: 3 }, /cacheDir option of \w+ must be a non-empty path/);
    assert.throws(() => read(twice, { cacheDir } as never), { code: 'EINVALID', message: /reads its own cache/ });
    assert.deepEqual([...read('twice', { cacheDir })].map((record) => record.output), [2]);
  }
});

test('the cache directory defaults to $FUNES_CACHE_DIR, resolved when wrapping', () => {
  const cacheDir = freshCache();
  const previous = process.env.FUNES_CACHE_DIR;
  process.env.FUNES_CACHE_DIR = cacheDir;
  try {
    const f = memorious(function fromEnv(x: number) { return x; });
    delete process.env.FUNES_CACHE_DIR;
    f(1);
  } finally {
    if (previous === undefined) delete process.env.FUNES_CACHE_DIR;
    else {
      process.env.FUNES_CACHE_DIR = previous;
    }
  }
  assert.ok(existsSync(join(cacheDir, 'fromEnv')));
});

test('the wrapper keeps name and length', () => {
  const f = memorious(function keep(a: number, b: number) { return a + b; }, { cacheDir: freshCache() });
  assert.equal(f.name, 'keep');
  assert.equal(f.length, 2);
});

test('self-recursive functions work and memoize each level', () => {
  let runs = 0;
  // The inner calls go through the wrapper (`fib`), not the function's own name (`fibonacci`).
  const fib: (n: number) => number = memorious(
    function fibonacci(n: number): number {
      runs++;
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    },
    { cacheDir: freshCache() },
  );
  assert.equal(fib(30), 832040);
  assert.equal(runs, 31);
});

test('@memorious on methods: instances with different state never share results', () => {
  const cacheDir = freshCache();
  let runs = 0;
  class Scaler {
    constructor(public factor: number) {}
    @memorious({ cacheDir })
    scale(x: number) {
      runs++;
      return x * this.factor;
    }
    @memorious({ cacheDir })
    static describe(x: number) {
      runs++;
      return `x=${x}`;
    }
  }
  assert.equal(new Scaler(2).scale(3), 6);
  assert.equal(new Scaler(3).scale(3), 9);
  assert.equal(new Scaler(2).scale(3), 6);
  assert.equal(runs, 2);
  assert.equal(Scaler.describe(1), 'x=1');
  assert.equal(Scaler.describe(1), 'x=1');
  assert.equal(runs, 3);
  assert.deepEqual(readdirSync(cacheDir).sort(), ['.gitignore', 'Scaler.describe', 'Scaler.scale']);
});

test('a method reading this only in a parameter default is keyed by its instance', () => {
  const cacheDir = freshCache();
  class Scaler {
    constructor(public factor: number) {}
    @memorious({ cacheDir })
    scale(x: number, by = this.factor) {
      return x * by;
    }
  }
  assert.equal(new Scaler(2).scale(3), 6);
  assert.equal(new Scaler(5).scale(3), 15);
  const scaled = memorious(
    function scaled(this: { factor: number }, x: number, by = this.factor) { return x * by; },
    { cacheDir },
  );
  assert.equal(scaled.call({ factor: 2 }, 3), 6);
  assert.equal(scaled.call({ factor: 5 }, 3), 15);
});

test('methods that do not read this share results across instances; thisKey overrides', () => {
  const cacheDir = freshCache();
  let runs = 0;
  class Pure {
    constructor(public noise: number) {}
    @memorious({ cacheDir })
    twice(x: number) {
      runs++;
      return 2 * x;
    }
    @memorious({ cacheDir, thisKey: (self: Keyed) => self.id })
    byId(x: number) {
      runs++;
      return x;
    }
  }
  type Keyed = { id: number };
  assert.equal(new Pure(1).twice(2), 4);
  assert.equal(new Pure(2).twice(2), 4);
  assert.equal(runs, 1);
  class Private {
    #secret = 1;
    @memorious({ cacheDir })
    read(x: number) {
      return x + this.#secret;
    }
    [funesKey]() {
      return this.#secret;
    }
  }
  assert.equal(new Private().read(1), 2);
  assert.equal(new Private().read(1), 2);
  // A thisKey or [funesKey]() that returns undefined (a body without return) would make every instance one.
  class Unkeyed {
    constructor(readonly scale: number) {}
    @memorious({ cacheDir, thisKey: (self: Unkeyed) => void self.scale })
    times(x: number) {
      return x * this.scale;
    }
  }
  assert.throws(() => new Unkeyed(2).times(1), { code: 'EINVALID', message: /thisKey option of .* returned undefin/ });
  class Forgetful {
    constructor(readonly scale: number) {}
    @memorious({ cacheDir })
    times(x: number) {
      return x * this.scale;
    }
    [funesKey]() {
      void this.scale;
    }
  }
  assert.throws(() => new Forgetful(2).times(1), {
    code: 'EUNHASHABLE',
    message: /this is a Forgetful whose \[funesKey\]\(\) returned undefined/,
  });
});

test('a decorated method reading #private state is refused, also where decorators lower #private', () => {
  // With decorators, esbuild (tsx) compiles #scale into a WeakMap that no key can see.
  const cacheDir = freshCache();
  class Scaled {
    #scale: number;
    constructor(scale: number) {
      this.#scale = scale;
    }
    @memorious({ cacheDir })
    apply(x: number) {
      return x * this.#scale;
    }
  }
  const refused = { code: 'EUNHASHABLE', message: /^this is an instance of Scaled, whose #private/ };
  assert.throws(() => new Scaled(2).apply(5), refused);
  assert.throws(() => new Scaled(3).apply(5), { code: 'EUNHASHABLE' });
});

test('a method reading state its class keeps in a WeakMap by instance is refused, not shared', (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const cacheDir = freshCache();
  const scales = new WeakMap<object, number>();
  const pinned = new WeakSet<object>();
  class Scaled {
    constructor(scale: number) {
      scales.set(this, scale);
    }
    apply(x: number) {
      return x * (scales.get(this) ?? 0) + (pinned.has(this) ? 1 : 0);
    }
  }
  const apply = memorious(Scaled.prototype.apply, { cacheDir });
  assert.throws(() => apply.call(new Scaled(2), 5), { code: 'EUNHASHABLE', message: /^this is an instance of Scaled/ });
  const useScaled = memorious(function useScaled(s: Scaled) { return s.apply(5); }, { cacheDir });
  assert.throws(() => useScaled(new Scaled(3)), { code: 'EUNHASHABLE', message: /^args\.s is an instance of Scaled/ });
  // Its class, the argument's, is hashed too, and says what of it cannot be: the set it reads, which other code fills.
  // The map its own code fills is its instances' state, which the refusal is about.
  assert.match(printed.join('\n'), /Scaled → pinned cannot be hashed/);
});

test('a decorated method of a class with arrow-function fields is keyed by the instance\'s data', () => {
  const cacheDir = freshCache();
  let runs = 0;
  class Net {
    log = (message: string) => message.length;
    activation: (x: number) => number;
    constructor(public width: number, activation: (x: number) => number = (x) => x) {
      this.activation = activation;
    }
    @memorious({ cacheDir })
    forward(x: number) {
      runs++;
      this.log('forward');
      return this.activation(x * this.width);
    }
  }
  assert.equal(new Net(2).forward(3), 6);
  assert.equal(new Net(2).forward(3), 6);
  assert.equal(runs, 1);
  assert.equal(new Net(3).forward(3), 9);
  assert.equal(new Net(2, (x) => -x).forward(3), -6, 'another function in a field is another key');
  assert.equal(runs, 3);
  class Holder {
    config = { callback: () => 1, seen: new WeakSet() };
    @memorious({ cacheDir })
    read(x: number) {
      return x + this.config.callback();
    }
  }
  assert.throws(
    () => new Holder().read(1),
    (error: Error & { code?: string }) =>
      error.code === 'EUNHASHABLE' &&
      /this\.config\.seen/.test(error.message) &&
      /thisKey/.test((error as { hint?: string }).hint ?? ''),
  );
});

test('a method of a class with arrow-function fields keys its symbol-keyed and non-enumerable state too', () => {
  const cacheDir = freshCache();
  const SCALE = Symbol.for('scale');
  let runs = 0;
  class Scaler {
    log = () => undefined;
    [SCALE]: number;
    declare offset: number;
    constructor(scale: number, offset: number) {
      this[SCALE] = scale;
      Object.defineProperty(this, 'offset', { value: offset, enumerable: false });
    }
    @memorious({ cacheDir })
    apply(x: number) {
      runs++;
      this.log();
      return x * this[SCALE] + this.offset;
    }
  }
  assert.equal(new Scaler(2, 0).apply(1), 2);
  assert.equal(new Scaler(3, 0).apply(1), 3, 'another symbol-keyed value is another key');
  assert.equal(new Scaler(2, 10).apply(1), 12, 'another non-enumerable value is another key');
  assert.equal(new Scaler(2, 0).apply(1), 2);
  assert.equal(runs, 3);
});

test("an arrow function reading its maker's this or arguments is refused, as an argument and as the function " +
    'wrapped', () => {
  const cacheDir = freshCache();
  class Model {
    constructor(public w: number) {}
    predict = (x: number) => x * this.w;
    scale(x: number) {
      return x * this.w;
    }
  }
  const evaluate = memorious(function evaluate(f: (x: number) => number, x: number) { return f(x); }, { cacheDir });
  // Two models' predict have one code and each its own this: keyed by code, the second returned the first's result.
  assert.throws(
    () => evaluate(new Model(2).predict, 1),
    (error: Error & { code?: string; hint?: string }) =>
      error.code === 'EUNHASHABLE' &&
      error.message.startsWith(
        'args.f is an arrow function reading the `this` or `arguments` of the function that made it (predict)',
      ) &&
      /bind\(model\)/.test(error.hint ?? ''),
  );
  const bound = (w: number) => {
    const model = new Model(w);
    return model.scale.bind(model);
  };
  assert.equal(evaluate(bound(2), 1), 2);
  assert.equal(evaluate(bound(3), 1), 3, 'a bound method keys its bound this');
  assert.equal(evaluate((x: number) => x * 4, 1), 4, 'an arrow function not reading this keys by its code');
  class Trainer {
    fit: (x: number) => number;
    constructor(public k: number) {
      this.fit = memorious((x: number) => x * this.k, { name: 'fit', cacheDir });
    }
  }
  assert.throws(
    () => new Trainer(2).fit(1),
    (error: Error & { code?: string; hint?: string }) =>
      error.code === 'EINVALID' &&
      /^fit is an arrow function reading the `this` or `arguments` of the function that made it/.test(error.message) &&
      /\.bind\(this\)/.test(error.hint ?? ''),
  );
  // The arrow's `arguments` are those of the call that made it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  function scaling(factor: number) {
    // eslint-disable-next-line prefer-rest-params
    return (x: number) => x * (arguments[0] as number);
  }
  assert.throws(() => evaluate(scaling(2), 1), { code: 'EUNHASHABLE' });
  // Its super and new.target are its maker's too, though its text parses only inside a constructor.
  class Base {
    kind: () => string;
    constructor() {
      this.kind = () => new.target.name;
    }
    name() {
      return 'base';
    }
  }
  class Derived extends Base {
    named = () => super.name();
  }
  assert.throws(() => evaluate(new Derived().kind as () => never, 1), { code: 'EUNHASHABLE' });
  assert.throws(() => evaluate(new Derived().named as () => never, 1), { code: 'EUNHASHABLE' });
  assert.throws(
    () => memorious(scaling(2) as (x: number) => number, { name: 'scaled', cacheDir })(1),
    { code: 'EINVALID' },
  );
  class Holder {
    predict = (x: number) => x * this.w;
    constructor(public w: number) {}
    @memorious({ cacheDir })
    run(x: number) {
      return this.predict(x);
    }
  }
  assert.equal(new Holder(2).run(1), 2);
  assert.equal(new Holder(3).run(1), 3, "held by the method's this, it reads the instance the key holds");
});

test("a captured arrow function reading its maker's this, whose this no hash sees, is warned about", (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const cacheDir = freshCache();
  class Model {
    constructor(public w: number) {}
    predict = (x: number) => x * this.w;
  }
  const events: WarningEvent[] = [];
  const onEvent = (e: object) => void ('code' in e && events.push(e as WarningEvent));
  // Two models' predict have one code: captured, each hashes alike, so the second model's call found the first's.
  const evaluator = (model: Model) => {
    const predict = model.predict;
    return memorious(function evaluate(x: number) { return predict(x); }, { cacheDir, onEvent });
  };
  assert.equal(evaluator(new Model(2))(1), 2);
  const warning = events.find((e) => e.code === 'EDEFINITION');
  assert.match(warning?.message ?? '', /^evaluate: evaluate → predict is an arrow function reading the `this` or/);
  assert.match(warning!.message, /of the function that made it, which cannot be hashed.*bind\(model\)/);
  assert.ok(printed.includes(warning!.message));
  const listed = memorious(function listed(x: number) { return x; }, { cacheDir, deps: [new Model(2).predict] });
  assert.match(describeDefinition(listed).warnings.join('\n'), /^deps\[0\] is an arrow function reading the `this`/);
  // Held by an instance that is hashed with its data, it reads that instance: nothing to warn of.
  const holding = (model: Model) => memorious(function holding(x: number) { return model.predict(x); }, { cacheDir });
  assert.deepEqual(describeDefinition(holding(new Model(2))).warnings, []);
  assert.notEqual(describeDefinition(holding(new Model(2))).hash, describeDefinition(holding(new Model(3))).hash);
});

test("a method's this holding memorious or bound functions keys the functions they stand for", () => {
  const cacheDir = freshCache();
  type Helped = { helper: (x: number) => number; [method: string]: unknown };
  const run = memorious(function run(this: Helped, x: number) {
    return this.helper(x);
  }, { cacheDir });
  const double = memorious(function double(x: number) { return x * 2; }, { cacheDir });
  const triple = memorious(function triple(x: number) { return x * 3; }, { cacheDir });
  assert.equal({ helper: double, run }.run(1), 2);
  assert.equal({ helper: triple, run }.run(1), 3, 'another wrapped function is another key');
  const relu = (x: number) => Math.max(0, x);
  const negate = (x: number) => -x;
  assert.equal({ helper: relu.bind(null), run }.run(-2), 0);
  assert.equal({ helper: negate.bind(null), run }.run(-2), 2, 'another bound function is another key');
  let runs = 0;
  const counted = memorious(function counted(this: Helped, x: number) {
    runs++;
    return this.helper(x);
  }, { cacheDir });
  assert.equal({ helper: relu.bind(null), counted }.counted(3), 3);
  assert.equal({ helper: relu.bind(null), counted }.counted(3), 3);
  assert.equal(runs, 1, 'the same target bound alike is the same key');
});

test('arguments in shared memory: the record holds them as the call began, and the result is stored', () => {
  const cacheDir = freshCache();
  let runs = 0;
  const normalize = memorious(
    function normalize(xs: Float64Array) {
      runs++;
      let sum = 0;
      for (const x of xs) sum += x;
      for (let i = 0; i < xs.length; i++) xs[i] /= sum;
      return sum;
    },
    { cacheDir },
  );
  const xs = new Float64Array(new SharedArrayBuffer(24));
  xs.set([1, 2, 3]);
  assert.equal(normalize(xs), 6);
  const [record] = [...loadCachedResults(normalize)];
  assert.deepEqual([...(Object.values(record!.input)[0] as Float64Array)], [1, 2, 3]);
  const length = memorious(
    function length(buffer: SharedArrayBuffer) { runs++; return buffer.byteLength; },
    { cacheDir },
  );
  const warnings: string[] = [];
  const warned = (warning: Error) => warnings.push(warning.message);
  process.on('warning', warned);
  try {
    assert.equal(length(new SharedArrayBuffer(4)), 4);
    assert.equal(length(new SharedArrayBuffer(4)), 4);
  } finally {
    process.off('warning', warned);
  }
  assert.equal(runs, 2, 'the second call is a hit');
  assert.deepEqual(warnings, []);
  const [stored] = [...loadCachedResults(length)];
  assert.ok(Object.values(stored!.input)[0] instanceof ArrayBuffer);
});

test('seeds 1 and 11 give different results, though seedrandom draws one sequence for their texts', () => {
  const cacheDir = freshCache();
  const sample = memorious(function sample(n: number) { return Array.from({ length: n }, () => Math.random()); }, {
    cacheDir,
  });
  assert.notDeepEqual(sample.withSeed(1)(3), sample.withSeed(11)(3));
  assert.notDeepEqual(sample.withSeed(2)(3), sample.withSeed(22)(3));
  assert.deepEqual(sample.withSeed(11)(3), sample.withSeed(11)(3));
});

test('parameters keep the names they were written with where the compiler renamed them', () => {
  // In a file whose decorators it lowers, esbuild (tsx) renames a parameter shadowing an
  // outer name: `weights` runs as `weights2`.
  const cacheDir = freshCache();
  const weights = [2];
  const weigh = memorious(
    function weigh(weights: number[], verbose = false) { return weights.length + Number(verbose); },
    { cacheDir, ignore: ['weights'] },
  );
  assert.equal(weigh(weights), 1);
  assert.equal(weigh([1, 2, 3]), 1, 'weights is ignored');
  const [record] = [...loadCachedResults(weigh)];
  assert.deepEqual(record!.input, { verbose: false });
  class Scale {
    @memorious({ cacheDir })
    async total(weights: number[]) {
      await sleep(0);
      return weights.length;
    }
  }
  return new Scale().total(weights).then(() => {
    assert.deepEqual([...loadCachedResults('Scale.total', { cacheDir })].map((stored) => stored.input), [{ weights }]);
  });
});
