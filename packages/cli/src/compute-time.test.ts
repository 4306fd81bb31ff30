import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isHash, memorious } from '@funes/core';
import { splitWork, sumComputeTimes, sumComputeTimesHere } from './compute-time.js';

test('work splits into equal runs that keep their group', () => {
  const work = splitWork([['a', 'b', 'c'], [], ['d', 'e']], 2);
  assert.deepEqual(work, [
    [{ group: 0, files: ['a', 'b', 'c'] }],
    [{ group: 2, files: ['d', 'e'] }],
  ]);
  assert.deepEqual(splitWork([['a', 'b', 'c', 'd']], 3), [[{ group: 0, files: ['a', 'b'] }], [{ group: 0, files: ['c', 'd'] }]]);
});

test('one thread sums records and counts damaged objects apart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-compute-time-'));
  try {
    const square = memorious((x: number) => x * x, { name: 'square', version: 'v1', cacheDir: dir });
    for (let i = 0; i < 4; i++) square(i);
    const versionDir = join(dir, 'square', readdirSync(join(dir, 'square'))[0]);
    const files = readdirSync(versionDir)
      .filter(isHash)
      .map((name) => join(versionDir, name));
    writeFileSync(join(versionDir, 'broken'), 'not an object');
    const [all, broken] = await sumComputeTimes([files, [join(versionDir, 'broken'), join(versionDir, 'gone')]]);
    assert.equal(all.damaged, 0);
    assert.ok(all.seconds > 0 && all.seconds < 1);
    assert.deepEqual(broken, { seconds: 0, damaged: 1 });
    assert.deepEqual(sumComputeTimesHere([files]), [all]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
