import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress, progressLine } from './progress.js';

test('the bar shows the fraction done', () => {
  assert.equal(progressLine('Verifying', 50, 100), `Verifying [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 50/100`);
  assert.equal(progressLine('Verifying', 0, 0), `Verifying [${'-'.repeat(30)}]   0% 0/0`);
});

/** A clock that moves only when the test says. */
function manualClock() {
  let ms = 1_000_000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

test('short work draws nothing', () => {
  const written: string[] = [];
  const clock = manualClock();
  const progress = createProgress({ write: (text: string) => written.push(text) }, 'Verifying', 10, clock.now);
  for (let i = 0; i < 10; i++) {
    progress.tick();
    clock.advance(99);
  }
  progress.done();
  assert.deepEqual(written, []);
});

test('long work draws the bar after a second, at most every 100 ms, and clears it', () => {
  const written: string[] = [];
  const clock = manualClock();
  const progress = createProgress({ write: (text: string) => written.push(text) }, 'Verifying', 4, clock.now);
  progress.tick();
  clock.advance(1001);
  progress.tick();
  progress.tick();
  clock.advance(100);
  progress.tick();
  progress.done();
  assert.deepEqual(written, [
    `\r${progressLine('Verifying', 2, 4)}`,
    `\r${progressLine('Verifying', 4, 4)}`,
    '\r\x1b[2K',
  ]);
});
