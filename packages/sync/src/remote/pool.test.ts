import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachLimited } from './pool.js';

test('runs at most the given number at once', async () => {
  let running = 0;
  let peak = 0;
  const done: number[] = [];
  await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    done.push(n);
    running--;
  });
  assert.equal(peak, 3);
  assert.deepEqual(done.sort(), [1, 2, 3, 4, 5, 6, 7]);
});

test('stops starting work after the first failure and throws it', async () => {
  const started: number[] = [];
  await assert.rejects(
    forEachLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('refused');
    }),
    /refused/,
  );
  assert.ok(started.length < 6, `started ${started}`);
});
