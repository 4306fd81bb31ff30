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

test('long work draws the bar after a second, at most every 100 ms, and clears it', (t) => {
  t.mock.timers.enable({ apis: ['Date'] });
  const written: string[] = [];
  const progress = createProgress({ write: (text: string) => written.push(text) }, 'Verifying', 4);
  progress.tick();
  t.mock.timers.tick(1001);
  progress.tick();
  progress.tick();
  t.mock.timers.tick(100);
  progress.tick();
  progress.done();
  assert.deepEqual(written, [`\r${progressLine('Verifying', 2, 4)}`, `\r${progressLine('Verifying', 4, 4)}`, '\r\x1b[2K']);
});
