import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memorious } from '@funes/core';
import { isHash } from '@funes/core/internal';
import { readObjects } from '@funes/core/cache';
import { createObjectReader } from './object-reader.js';

/** A cache in `dir` of `count` results and a file beside them that is no object: its version directory and objects. */
function squares(dir: string, count: number): { versionDir: string; files: string[] } {
  const square = memorious((x: number) => x * x, { name: 'square', version: 'v1', cacheDir: dir });
  for (let i = 0; i < count; i++) square(i);
  const versionDir = join(dir, 'square', readdirSync(join(dir, 'square'))[0]);
  writeFileSync(join(versionDir, 'broken'), 'not an object');
  const files = readdirSync(versionDir)
    .filter(isHash)
    .map((name) => join(versionDir, name));
  return { versionDir, files };
}

test('reads records, sums their time and names the problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-object-reader-'));
  try {
    const { versionDir, files } = squares(dir, 4);
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

test('worker threads hand each batch on in the order given, as this thread reads them', async () => {
  // The built reader: run from source there is no worker script to start.
  const built = (await import(new URL('../dist/object-reader.js', import.meta.url).href)) as {
    createObjectReader: typeof createObjectReader;
  };
  const dir = mkdtempSync(join(tmpdir(), 'funes-object-reader-'));
  try {
    const { versionDir, files } = squares(dir, 12);
    const jobs = files.map((file, i) => ({ files: i % 3 === 0 ? [file, join(versionDir, 'broken')] : [file], i }));
    jobs.splice(5, 0, { files: [], i: -1 });
    // Counted as large, workers start at once; not counted, once more than ten thousand objects are listed.
    const many = Array.from({ length: 1200 }, (_, i) => ({ files, i: 100 + i }));
    for (const [expected, depth, given] of [
      [1_000_000, 'whole', jobs],
      [1_000_000, 'metadata', jobs],
      [undefined, 'metadata', [...jobs, ...many]],
    ] as const) {
      const reader = built.createObjectReader(expected, depth);
      const handed: number[] = [];
      try {
        await reader.readAll(given, (read, job) => {
          handed.push(job.i);
          assert.deepEqual(read, readObjects(job.files, depth), `job ${job.i} read as this thread reads it`);
        });
      } finally {
        await reader.close();
      }
      assert.deepEqual(
        handed,
        given.map((job) => job.i),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
