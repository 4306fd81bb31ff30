import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress, progressLine } from './progress.js';

test('the bar shows the fraction done', () => {
  assert.equal(progressLine('Verifying', 50, 100), `Verifying [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 50/100`);
  assert.equal(progressLine('Verifying', 0, 0), `Verifying [${'-'.repeat(30)}]   0% 0/0`);
});

test('short work draws nothing', () => {
  const written: string[] = [];
  const progress = createProgress({ write: (text: string) => written.push(text) }, 'Verifying', 10);
  for (let i = 0; i < 10; i++) progress.tick();
  progress.done();
  assert.deepEqual(written, []);
});
