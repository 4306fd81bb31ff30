import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runSeeded } from './seeding.js';

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
