import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeDefinition, explainDefinition, explainMiss, loadCachedResults, memorious } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'funes-explain-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the first version, then stored, new arguments and the nearest inputs', () => {
  const cacheDir = join(root, 'a');
  const fit = memorious(function fit(lr: number, epochs = 3) { return lr * epochs; }, { cacheDir });
  assert.equal(explainMiss(fit, 0.1).cause, 'first');
  assert.equal(explainDefinition(fit).cause, 'first');
  fit(0.1);
  fit(0.2, 5);
  assert.deepEqual(explainDefinition(fit), {
    function: 'fit',
    version: explainDefinition(fit).version,
    cause: 'version-stored',
    entries: 2,
  });
  const stored = explainMiss(fit, 0.1, 3);
  assert.equal(stored.cause, 'stored');
  const fresh = explainMiss(fit, 0.2);
  assert.equal(fresh.cause, 'arguments');
  if (fresh.cause !== 'arguments') return;
  assert.deepEqual(fresh.input, { lr: 0.2, epochs: 3 });
  assert.deepEqual(
    fresh.nearest[0].differences,
    [{ name: 'epochs', stored: 5, now: 3 }],
    'one argument apart comes first',
  );
  assert.equal(fresh.nearest[1].differences.length, 1);
});

test('a refused record: damaged, or too old for maxAge', () => {
  const cacheDir = join(root, 'b');
  const square = memorious(function square(x: number) { return x * x; }, { cacheDir, maxAge: 1 });
  square(3);
  const until = Date.now() + 5;
  while (Date.now() < until);
  const aged = explainMiss(square, 3);
  assert.equal(aged.cause, 'refused');
  assert.equal(aged.cause === 'refused' && aged.reason, 'expired');
  const cube = memorious(function cube(x: number) { return x * x * x; }, { cacheDir });
  cube(2);
  const { version, argumentHash } = explainMiss(cube, 2);
  writeFileSync(join(cacheDir, 'cube', version, argumentHash!), 'garbage');
  const damaged = explainMiss(cube, 2);
  assert.equal(damaged.cause === 'refused' && damaged.reason, 'damaged');
});

test('a seeded function explains its calls under its seed, as records hold them', () => {
  const cacheDir = join(root, 'c');
  const noisy = memorious(function noisy(x: number) { return x + Math.random(); }, { cacheDir });
  const seeded = noisy.withSeed(3);
  seeded(1);
  const stored = explainMiss(seeded, 1);
  assert.equal(stored.cause, 'stored');
  assert.deepEqual(stored.input, { x: 1, global_seed: 3 });
  assert.equal(explainMiss(noisy, 1).cause, 'arguments', 'unseeded, the call is another');
  const fresh = explainMiss(seeded, 2);
  assert.equal(fresh.cause, 'arguments');
  if (fresh.cause !== 'arguments') return;
  assert.deepEqual(fresh.nearest[0].differences, [{ name: 'x', stored: 1, now: 2 }], 'the seed is no difference');
  const other = explainMiss(noisy.withSeed(4), 1);
  assert.equal(other.cause, 'arguments');
  if (other.cause !== 'arguments') return;
  assert.deepEqual(other.nearest[0].differences, [{ name: 'global_seed', stored: 3, now: 4 }]);
  assert.equal(explainDefinition(seeded).cause, 'version-stored');
  assert.equal(describeDefinition(seeded).hash, describeDefinition(noisy).hash);
  assert.deepEqual(
    [...loadCachedResults(seeded)].map((record) => record.input),
    [{ x: 1, global_seed: 3 }],
    "a seeded function's records are its function's",
  );
});

test('arguments compared as records hold them: functions by their code, and what a record cannot show named', () => {
  const cacheDir = join(root, 'd');
  const apply = memorious(
    function apply(fn: (x: number) => number, x: number) {
      return fn(x) * Number(process.env.EXPLAIN_SCALE ?? 1);
    },
    { cacheDir },
  );
  const inc = (x: number) => x + 1;
  apply(inc, 1);
  const other = explainMiss(apply, (x: number) => x + 2, 1);
  assert.equal(other.cause, 'arguments');
  if (other.cause !== 'arguments') return;
  assert.deepEqual(
    other.nearest[0].differences.map((d) => d.name),
    ['fn'],
  );
  const next = explainMiss(apply, inc, 2);
  assert.equal(next.cause === 'arguments' && next.nearest[0].differences.map((d) => d.name).join(), 'x');
  process.env.EXPLAIN_SCALE = '2';
  try {
    const scaled = explainMiss(apply, inc, 1);
    assert.equal(scaled.cause, 'configuration');
    assert.deepEqual(scaled.cause === 'configuration' && scaled.changed.map((read) => read.name), ['EXPLAIN_SCALE']);
  } finally {
    delete process.env.EXPLAIN_SCALE;
  }

  class Meters { constructor(readonly n: number) {} }
  class Feet { constructor(readonly n: number) {} }
  const length = memorious(function length(d: Meters | Feet) { return d instanceof Feet ? d.n * 0.3 : d.n; }, {
    cacheDir,
  });
  length(new Meters(3));
  const feet = explainMiss(length, new Feet(3));
  assert.equal(feet.cause, 'arguments', 'not another configuration: nothing the code reads changed');
  if (feet.cause !== 'arguments') return;
  assert.deepEqual(feet.nearest[0].differences.map((d) => d.name), ['d']);
});

test("a method's call is explained with the this it is given, as peek is; another instance is named", () => {
  const cacheDir = join(root, 'method');
  const fit = memorious(function fit(this: { scale: number }, x: number) {
    return x * this.scale;
  }, { cacheDir });
  const model = { scale: 2, fit };
  model.fit(3);
  const stored = explainMiss.call(model, model.fit, 3);
  assert.equal(stored.cause, 'stored');
  assert.equal((stored.this as { scale: number }).scale, 2);
  const other = explainMiss.call({ scale: 5, fit }, model.fit, 3);
  assert.equal(other.cause, 'arguments');
  if (other.cause !== 'arguments') return;
  assert.equal((other.nearest[0].this as { scale: number }).scale, 2);
  const [difference] = other.nearest[0].differences;
  assert.equal(difference.name, 'this');
  assert.deepEqual([difference.stored, difference.now].map((self) => (self as { scale: number }).scale), [2, 5]);
  // Without its instance, the explanation says that `this` is what differs, not that nothing does.
  const bare = explainMiss(model.fit, 3);
  assert.equal(bare.cause === 'arguments' && bare.nearest[0].differences[0].name, 'this');
  // Called as a module's export, `this` is the module, not an instance.
  const funes = { explainMiss };
  assert.equal(funes.explainMiss(model.fit, 3).argumentHash, bare.argumentHash);
});
