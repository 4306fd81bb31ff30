import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MemoryWindows } from './memory-windows.js';

const BUFFERS = [{}, {}, {}];

/** The windows met before, grouped as overlapping ones join, worked out pair by pair. */
class Naive {
  private readonly kept: { buffer: number; start: number; end: number; holder: number; group: number }[] = [];

  meet(buffer: number, holder: number, start: number, end: number, keep: boolean): number[] {
    const touching = this.kept.filter((w) => w.buffer === buffer && start < end && w.start < end && w.end > start);
    const groups = [...new Set(touching.map((w) => w.group))];
    // The first window met of each group: the one with the lowest holder, as holders are numbered in order.
    const firsts = groups.map((group) => Math.min(...this.kept.filter((w) => w.group === group).map((w) => w.holder)));
    if (keep && start < end) {
      const joined = groups.length > 0 ? Math.min(...groups) : holder;
      for (const w of this.kept) if (groups.includes(w.group)) w.group = joined;
      this.kept.push({ buffer, start, end, holder, group: joined });
    }
    return firsts.sort((a, b) => a - b);
  }
}

test('a window is told the first window of each group of overlapping ones it overlaps, however they were met', () => {
  const window = fc.record({
    buffer: fc.integer({ min: 0, max: 2 }),
    start: fc.integer({ min: 0, max: 60 }),
    length: fc.integer({ min: 0, max: 12 }),
    keep: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(window, { maxLength: 150 }), (met) => {
      const windows = new MemoryWindows<number>();
      const naive = new Naive();
      met.forEach(({ buffer, start, length, keep }, holder) => {
        const found = windows.meet(BUFFERS[buffer], holder, start, start + length, keep).map((w) => w.holder);
        assert.deepEqual(found, naive.meet(buffer, holder, start, start + length, keep));
      });
    }),
    { numRuns: 3000 },
  );
});

test('many disjoint windows met out of order each make a group of their own', () => {
  const windows = new MemoryWindows<number>();
  const buffer = {};
  const order = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
  for (const i of order) assert.deepEqual(windows.meet(buffer, i, i * 8, i * 8 + 8, true), []);
  assert.deepEqual(windows.meet(buffer, -1, 4, 12, false).map((w) => w.holder), [0, 1]);
  // A window over all of them joins them: the next is told only the first met.
  assert.equal(windows.meet(buffer, -2, 0, 5000 * 8, true).length, 5000);
  assert.deepEqual(windows.meet(buffer, -3, 100, 108, true).map((w) => w.holder), [order[0]]);
});
