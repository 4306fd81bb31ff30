import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { planRemoval, removeVersions } from './removal-plan.js';
import { diskUsage, summarizeVersion } from './usage.js';
import { listCache } from './versions.js';
import { objectFileBatches } from '../cache-index.js';
import { OBJECT_BATCH } from './read-objects.js';

const H = (c: string) => c.repeat(64);
let cache: string;

/** Writes a version of `name` holding one object per size. */
function version(name: string, hash: string, sizes: number[]): void {
  const dir = join(cache, name, hash);
  mkdirSync(dir, { recursive: true });
  sizes.forEach((size, i) => writeFileSync(join(dir, H(String(i + 1))), Buffer.alloc(size)));
}

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'funes-usage-'));
  version('train', H('a'), [100, 200]);
  version('train', H('b'), [20000]);
  version('eval', H('c'), [10]);
  writeFileSync(join(cache, 'eval', H('c'), '.tmp-1234-00ff00ff00ff'), 'partial');
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

test('summarizes a version from stat: entries, bytes with temp files, disk blocks, objects', () => {
  const evalVersion = listCache(cache).versions.find((v) => v.name === 'eval')!;
  const summary = summarizeVersion(evalVersion);
  assert.equal(summary.entries, 1);
  assert.equal(summary.bytes, 10 + 'partial'.length);
  assert.equal(summary.tempFiles, 1);
  assert.ok(summary.diskBytes >= summary.entries);
  assert.deepEqual(
    [...objectFileBatches(evalVersion.dir, OBJECT_BATCH)],
    [[join(cache, 'eval', H('c'), H('1'))]],
    'the temp file is no object',
  );
  const train = listCache(cache).versions.find((v) => v.hash === H('a'))!;
  assert.deepEqual(
    [...objectFileBatches(train.dir, 1)].map((batch) => batch.length),
    [1, 1],
    'batches of the size asked',
  );
});

test('groups sizes by function, largest on disk first, and measures only the selection', () => {
  const ticks: string[] = [];
  const all = diskUsage(listCache(cache), [], (label, total) => ({
    tick: () => ticks.push(`${label}/${total}`),
    done: () => ticks.push('done'),
  }));
  assert.deepEqual(ticks, ['Measuring/3', 'Measuring/3', 'Measuring/3', 'done']);
  assert.deepEqual(all.functions.map((fn) => fn.function), ['train', 'eval']);
  const train = all.functions[0]!;
  assert.deepEqual(train.versions.map((v) => [v.hash, v.entries, v.bytes]), [[H('b'), 1, 20000], [H('a'), 2, 300]]);
  // Without a definition.json no version counts as its function's current one.
  assert.equal(train.versions.some((v) => v.current), false);
  assert.equal(all.entries, 4);
  assert.equal(all.bytes, 20300 + 10 + 'partial'.length);
  assert.equal(all.diskBytes, all.functions.reduce((total, fn) => total + fn.diskBytes, 0));
  const evalOnly = diskUsage(listCache(cache), ['eval']);
  assert.deepEqual(evalOnly.functions.map((fn) => fn.function), ['eval']);
  assert.equal(evalOnly.entries, 1);
});

test('plans a removal without removing, then removes the versions and their emptied function directory', () => {
  const trains = listCache(cache).versions.filter((v) => v.name === 'train');
  const plan = planRemoval(trains);
  assert.equal(plan.entries, 3);
  assert.equal(plan.bytes, 20300);
  assert.deepEqual(plan.removed.map((v) => v.function), ['train', 'train']);
  assert.ok(existsSync(join(cache, 'train')));
  assert.deepEqual(removeVersions(trains), { ...plan, problems: [] });
  assert.equal(existsSync(join(cache, 'train')), false);
  assert.deepEqual(removeVersions(trains), { removed: [], entries: 0, bytes: 0, problems: [] });
  assert.deepEqual(listCache(cache).versions.map((v) => v.name), ['eval']);
});
