import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memorious } from '@funes/core';
import { isHash } from '@funes/core/internal';
import { readObjects } from '@funes/core/cache';
import { createObjectReader, mergeReads } from './object-reader.js';

test('reads records, sums their time and names the problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-object-reader-'));
  try {
    const square = memorious((x: number) => x * x, { name: 'square', version: 'v1', cacheDir: dir });
    for (let i = 0; i < 4; i++) square(i);
    const versionDir = join(dir, 'square', readdirSync(join(dir, 'square'))[0]);
    const files = readdirSync(versionDir)
      .filter(isHash)
      .map((name) => join(versionDir, name));
    writeFileSync(join(versionDir, 'broken'), 'not an object');
    for (const depth of ['whole', 'metadata'] as const) {
      const reader = createObjectReader(files.length, depth);
      const read = await reader.read([...files, join(versionDir, 'broken'), join(versionDir, 'gone')]);
      await reader.close();
      assert.equal(read.objects, 5, 'a file gone meanwhile is not counted');
      assert.ok(read.seconds > 0 && read.seconds < 1);
      assert.deepEqual(read.problems, [
        { file: join(versionDir, 'broken'), reason: 'shorter than a header', unreadable: false },
      ]);
      assert.deepEqual(readObjects(files, depth).seconds, read.seconds);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('batches merge in order', () => {
  const a = { objects: 2, seconds: 1, problems: [{ file: 'a', reason: 'x', unreadable: false }] };
  const b = { objects: 3, seconds: 2, problems: [{ file: 'b', reason: 'y', unreadable: true }] };
  assert.deepEqual(mergeReads([a, b]), { objects: 5, seconds: 3, problems: [...a.problems, ...b.problems] });
});
