import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tallyVersion } from '../cache-index.js';
import { collectGarbage } from './gc.js';
import { removeVersions } from './removal-plan.js';
import { diskUsage } from './usage.js';
import { TALLIES_FILE } from './version-tallies.js';
import { listCache } from './versions.js';

const H = (c: string) => c.repeat(64);
const allGracePassed = () => ({ graceMs: 0, maxDiskBytes: undefined, tempGraceMs: 0, now: Date.now(), dryRun: false });
const root = mkdtempSync(join(tmpdir(), 'funes-tallies-'));

/** A cache of two versions of `train`, with a use marker and definition.json beside their objects. */
function makeCache(name: string): string {
  const cache = join(root, name);
  for (const [hash, sizes] of [
    [H('a'), [100, 200]],
    [H('b'), [300]],
  ] as const) {
    const dir = join(cache, 'train', hash);
    mkdirSync(dir, { recursive: true });
    sizes.forEach((size, i) => writeFileSync(join(dir, H(String(i + 1))), Buffer.alloc(size)));
    writeFileSync(join(dir, '.used'), '');
  }
  // A directory a temp file's name prefix (no writer makes one): what a planted tally could try to reach through.
  if (name === 'planted') mkdirSync(join(cache, 'train', H('a'), '.tmp-'));
  return cache;
}

/** A directory of another tool whose folders are named by SHA-256 too (a container engine's layers). */
function makeForeignStore(name: string): string {
  const store = join(root, name);
  const layer = join(store, 'overlay2', H('c'));
  mkdirSync(join(layer, 'diff'), { recursive: true });
  writeFileSync(join(layer, 'link'), 'L3VZ');
  return store;
}

const recorded = (cache: string) =>
  Object.keys(JSON.parse(readFileSync(join(cache, TALLIES_FILE), 'utf8')).versions as object).sort();
const entriesOf = (cache: string) =>
  Object.fromEntries(
    diskUsage(listCache(cache), [])
      .functions.flatMap((fn) => fn.versions)
      .map((v) => [v.hash.slice(0, 1), [v.entries, v.bytes]]),
  );

// Tallies are recorded only for directories unchanged for the filesystem's timestamp granularity
// before a command began: the caches of these tests are made first, then left to settle once.
const names = ['answers', 'changes', 'markers', 'planted', 'removed', 'unwritable', 'gc'];
const caches = Object.fromEntries(names.map((name) => [name, '']));
before(async () => {
  for (const name of names) caches[name] = makeCache(name);
  caches.foreign = makeForeignStore('foreign');
  await sleep(2200);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('version tallies', () => {
  test('records each settled version and answers from the record while its directory is unchanged', () => {
    const cache = caches.answers;
    assert.deepEqual(entriesOf(cache), { a: [2, 300], b: [1, 300] });
    assert.deepEqual(recorded(cache), [`train/${H('a')}`, `train/${H('b')}`]);
    // Growing an object in place moves no stamp: the record answers (verify is what reads every byte).
    const dir = join(cache, 'train', H('a'));
    appendFileSync(join(dir, H('1')), Buffer.alloc(50));
    assert.deepEqual(entriesOf(cache), { a: [2, 300], b: [1, 300] });
    assert.equal(tallyVersion(dir).objects.bytes, 350, 'a walk sees the change the record does not');
  });

  test('counts a version again once an object is added, replaced or removed, and keeps the others', () => {
    const cache = caches.changes;
    entriesOf(cache);
    const dir = join(cache, 'train', H('a'));
    writeFileSync(join(dir, H('3')), Buffer.alloc(7));
    assert.deepEqual(entriesOf(cache), { a: [3, 307], b: [1, 300] }, 'added');
    assert.deepEqual(recorded(cache), [`train/${H('b')}`], 'a directory changed just now is not recorded');
    writeFileSync(join(dir, '.tmp-1-00'), Buffer.alloc(9));
    renameSync(join(dir, '.tmp-1-00'), join(dir, H('3')));
    assert.deepEqual(entriesOf(cache), { a: [3, 309], b: [1, 300] }, 'replaced');
    unlinkSync(join(dir, H('1')));
    assert.deepEqual(entriesOf(cache), { a: [2, 209], b: [1, 300] }, 'removed');
  });

  test('stats the files beside the objects afresh: a use marker touched in place shows', () => {
    const cache = caches.markers;
    const usedAt = (listing = listCache(cache)) =>
      listing.tallies.tally(join(cache, 'train', H('b'))).lastUsedMs;
    const first = listCache(cache);
    usedAt(first);
    first.tallies.save();
    const later = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    utimesSync(join(cache, 'train', H('b'), '.used'), later, later);
    const listing = listCache(cache);
    assert.ok(listing.tallies.recorded(join(cache, 'train', H('b'))), 'answered from the record');
    assert.equal(usedAt(listing), later.getTime());
  });

  test('a damaged or planted tallies file is not trusted: bad entries are counted afresh', () => {
    const cache = caches.planted;
    mkdirSync(join(cache, '.funes'), { recursive: true });
    writeFileSync(join(cache, TALLIES_FILE), '{"format":1,"versions":');
    assert.deepEqual(entriesOf(cache), { a: [2, 300], b: [1, 300] });
    const file = JSON.parse(readFileSync(join(cache, TALLIES_FILE), 'utf8'));
    const entry = file.versions[`train/${H('a')}`];
    const planted = (change: object) => {
      writeFileSync(
        join(cache, TALLIES_FILE),
        JSON.stringify({ format: 1, versions: { ...file.versions, [`train/${H('a')}`]: { ...entry, ...change } } }),
      );
      return entriesOf(cache).a;
    };
    assert.deepEqual(planted({ objects: { ...entry.objects, count: 99 } }), [99, 300], 'a sound entry is answered');
    assert.deepEqual(planted({ objects: { ...entry.objects, count: -1 } }), [2, 300]);
    assert.deepEqual(planted({ names: ['../../../etc/passwd'] }), [2, 300]);
    // gc removes the stale temp files a tally lists: a name reaching out of the version directory (through the
    // directory `.tmp-` its listing holds) is refused.
    writeFileSync(join(root, 'outside'), 'keep');
    assert.deepEqual(planted({ names: ['.tmp-', '.tmp-/../../../../outside'] }), [2, 300]);
    collectGarbage(listCache(cache), { ...allGracePassed(), keep: 5 });
    assert.equal(readFileSync(join(root, 'outside'), 'utf8'), 'keep');
    assert.deepEqual(planted({ stamp: 'now' }), [2, 300]);
    assert.deepEqual(planted({ reads: { seconds: 'many' } }), [2, 300]);
  });

  test('removing versions removes their tallies, and the file and .funes when none is left', () => {
    const cache = caches.removed;
    entriesOf(cache);
    const listing = listCache(cache);
    removeVersions([listing.versions.find((v) => v.hash === H('a'))!], listing.tallies);
    assert.deepEqual(recorded(cache), [`train/${H('b')}`]);
    const rest = listCache(cache);
    removeVersions(rest.versions, rest.tallies);
    assert.equal(existsSync(join(cache, '.funes')), false);
  });

  test('gc drops the tallies of the versions it removes', () => {
    const cache = caches.gc;
    entriesOf(cache);
    const past = new Date(Date.now() - 86_400_000);
    utimesSync(join(cache, 'train', H('a'), '.used'), past, past);
    const result = collectGarbage(listCache(cache), { ...allGracePassed(), keep: 1 });
    assert.deepEqual(result.removedVersions.map((v) => v.hash), [H('a')]);
    assert.deepEqual(recorded(cache), [`train/${H('b')}`]);
  });

  test('a cache whose tallies cannot be written works as before', () => {
    const cache = caches.unwritable;
    writeFileSync(join(cache, '.funes'), 'not a directory');
    assert.deepEqual(entriesOf(cache), { a: [2, 300], b: [1, 300] });
    assert.equal(readFileSync(join(cache, '.funes'), 'utf8'), 'not a directory');
  });

  test('records nothing for directories holding nothing Funes writes: another tool\'s store, read by mistake, ' +
      'gets no file', () => {
    const cache = caches.foreign;
    assert.deepEqual(entriesOf(cache), { c: [0, 0] });
    assert.deepEqual(readdirSync(cache), ['overlay2']);
  });

  test('records nothing for directories changed within the timestamp granularity', () => {
    const cache = makeCache('fresh');
    assert.deepEqual(entriesOf(cache), { a: [2, 300], b: [1, 300] });
    assert.equal(existsSync(join(cache, '.funes')), false);
  });
});
