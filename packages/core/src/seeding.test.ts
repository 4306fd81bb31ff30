import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import seedrandom from 'seedrandom';
import { generatorSeed, runSeeded, seedInKey } from './seeding.js';

const draw = (n: number) => Array.from({ length: n }, () => Math.random());

test('the same seed gives the same Math.random sequence; different seeds differ', () => {
  const a = runSeeded(1, () => draw(5));
  const b = runSeeded(1, () => draw(5));
  const c = runSeeded(2, () => draw(5));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('Math.random is restored after return, throw and rejection', async () => {
  const original = Math.random;
  runSeeded(1, () => draw(1));
  assert.equal(Math.random, original);
  assert.throws(() => runSeeded(1, () => { throw new Error('boom'); }), /boom/);
  assert.equal(Math.random, original);
  const pending = runSeeded(1, async () => {
    await sleep(5);
    throw new Error('late');
  });
  assert.notEqual(Math.random, original, 'seeded while the call is pending');
  await assert.rejects(pending, /late/);
  assert.equal(Math.random, original);
});

test('concurrent async calls with different seeds each see their own sequence', async () => {
  const slowDraw = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push(Math.random());
      await sleep(1);
    }
    return out;
  };
  const alone1 = await runSeeded(1, () => slowDraw(4));
  const alone2 = await runSeeded(2, () => slowDraw(4));
  const [together1, together2] = await Promise.all([runSeeded(1, () => slowDraw(4)), runSeeded(2, () => slowDraw(4))]);
  assert.deepEqual(together1, alone1);
  assert.deepEqual(together2, alone2);
});

test('every seed of a sweep draws its own sequence: 11 is not 1 again', () => {
  const seeds: (number | string)[] = [...Array.from({ length: 1000 }, (_, i) => i), '', '\0', 'ab', 'abab', 'α', '±'];
  seeds.push('x'.repeat(200), 'x'.repeat(201), 'a\uD800', 'a\uD801');
  const first = new Map<string, number | string>();
  for (const seed of seeds) {
    const drawn = runSeeded(seed, () => draw(2)).join();
    const earlier = first.get(drawn);
    assert.equal(earlier, undefined, `${JSON.stringify(seed)} draws ${JSON.stringify(earlier)}'s sequence`);
    first.set(drawn, seed);
  }
});

test('a seed seedrandom keeps apart draws the sequence of its text, under the key it always had', () => {
  for (const seed of [0, 1, 12, 0.5, -3, 'lr=0.1', '2/inner/3fa2b1c0d9e8f7a6', '']) {
    assert.equal(generatorSeed(seed), String(seed));
    assert.equal(seedInKey(seed), seed);
    const random = seedrandom(String(seed));
    assert.deepEqual(runSeeded(seed, () => draw(3)), [random(), random(), random()]);
  }
  // One drawn from through its hash keys apart from the results its former sequence gave.
  assert.deepEqual(seedInKey(11), [11, generatorSeed(11)]);
  assert.match(generatorSeed(11), /^sha256:[0-9a-f]{64}$/);
});

test('Math.random taken during a seeded call draws from the real generator once the call ends', () => {
  const original = Math.random;
  const taken = runSeeded(1, () => Math.random);
  assert.equal(Math.random, original);
  const value = taken();
  assert.ok(value >= 0 && value < 1);
  // Inside a later seeded call it is that call's generator, as Math.random is.
  assert.deepEqual(
    runSeeded(2, () => [taken(), taken()]),
    runSeeded(2, () => draw(2)),
  );
  // Put back as Math.random by the code that took it, it is not taken for the real one.
  Math.random = taken;
  try {
    assert.deepEqual(runSeeded(3, () => draw(2)), runSeeded(3, () => [taken(), taken()]));
    assert.ok(Math.random() < 1);
    assert.ok(taken() < 1);
  } finally {
    Math.random = original;
  }
});
