import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LockFileStat, TempFileStat } from '../cache-index.js';
import { planGc, STALE_TEMP_MS, type GcPolicy, type InventoryVersion } from './gc-plan.js';
import type { CachedVersion } from './versions.js';

const NOW = Date.UTC(2026, 10, 25);
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface ItemOptions {
  readonly module?: string | null;
  readonly temps?: TempFileStat[];
  readonly locks?: LockFileStat[];
  /** Days since written, when not used here. */
  readonly writtenDaysAgo?: number;
  readonly metadata?: 'ok' | 'missing';
  /** Uses by project directories: marker, days ago, whether the directory is still there. */
  readonly projects?: readonly [marker: string, daysAgo: number, present: boolean][];
}

/**
 * A version last used `usedDaysAgo` days ago (null: never used here), its objects `entrySizes`
 * bytes (each one filesystem block).
 */
function item(
  name: string,
  hash: string,
  usedDaysAgo: number | null,
  entrySizes: number[],
  options: ItemOptions = {},
): InventoryVersion {
  const writtenMs = NOW - (options.writtenDaysAgo ?? usedDaysAgo ?? 0) * DAY - 1;
  const lastUsedMs = usedDaysAgo === null ? null : NOW - usedDaysAgo * DAY;
  const version: CachedVersion = {
    functionDir: name,
    name,
    module: options.module === undefined ? `${name}.ts` : options.module,
    hash: hash.padEnd(64, '0'),
    dir: `/c/${name}/${hash}`,
    metadata:
      options.metadata === 'missing'
        ? { status: 'missing' }
        : ({ status: 'ok', metadata: {} } as CachedVersion['metadata']),
    lastUsedMs,
    usedHereMs: null,
    changedMs: writtenMs,
    createdMs: null,
  };
  const objects = {
    count: entrySizes.length,
    bytes: entrySizes.reduce((total, size) => total + size, 0),
    diskBytes: 4096 * entrySizes.length,
    lastWrittenMs: entrySizes.length > 0 ? writtenMs : null,
  };
  return {
    version,
    objects,
    temps: options.temps ?? [],
    locks: options.locks ?? [],
    metadataSize: 10,
    otherDiskBytes: 8192,
    lastUsedMs,
    projectUses: (options.projects ?? []).map(([marker, daysAgo, present]) => ({
      marker,
      dir: `/projects/${marker}`,
      usedMs: NOW - daysAgo * DAY,
      present,
    })),
  };
}

function temp(name: string, ageMs: number, pid: number | undefined): TempFileStat {
  return { name, file: `/t/${name}`, size: 5, mtimeMs: NOW - ageMs, pid };
}

const policy: GcPolicy = {
  keep: 1,
  graceMs: HOUR,
  maxDiskBytes: undefined,
  tempGraceMs: HOUR,
  now: NOW,
  isLive: (pid) => pid === 42,
  isStaleLock: (lock) => lock.name.endsWith('stale'),
};

const hashes = (plan: { versions: readonly { item: InventoryVersion }[] }) =>
  plan.versions.map((r) => r.item.version.hash.slice(0, 2));

test('keeps the most recently used version of each function identity, whatever was created last', () => {
  const reverted = item('train', 'a1', 1, [100], { writtenDaysAgo: 10 });
  const abandoned = item('train', 'a2', 2, [100], { writtenDaysAgo: 2 });
  const inventory = [
    reverted,
    abandoned,
    item('train', 'b1', 20, [100], { module: 'lab/train.ts' }),
    item('eval', 'c1', 30, [100]),
  ];
  const plan = planGc(inventory, policy);
  assert.deepEqual(
    plan.versions.map((r) => [r.item, r.reason, r.bytes, r.diskBytes]),
    [[abandoned, 'superseded', 110, 4096 + 8192]],
  );
  assert.equal(plan.before.bytes - plan.after.bytes, 110);
  assert.equal(planGc(inventory, { ...policy, keep: 2 }).versions.length, 0);
  assert.equal(planGc(inventory, { ...policy, keep: 0 }).versions.length, 4);
});

test('a used version outranks one never used here (unpacked), ' +
    'and one without metadata is never kept as current', () => {
  const used = item('train', 'a1', 5, [100]);
  const unpacked = item('train', 'a2', null, [100], { writtenDaysAgo: 1 });
  const broken = item('train', 'a3', 0.5, [100], { metadata: 'missing' });
  assert.deepEqual(hashes(planGc([unpacked, broken, used], policy)).sort(), ['a2', 'a3']);
});

test('nothing used or written within the grace period goes; --now (0) and --unused-for change it', () => {
  const inventory = [
    item('train', 'a1', 0, [100]),
    item('train', 'a2', 0.01, [100]),
    item('train', 'a3', 10, [100]),
    item('train', 'a4', 40, [100]),
  ];
  assert.deepEqual(hashes(planGc(inventory, policy)), ['a3', 'a4']);
  assert.deepEqual(hashes(planGc(inventory, { ...policy, graceMs: 0 })), ['a2', 'a3', 'a4']);
  assert.deepEqual(hashes(planGc(inventory, { ...policy, graceMs: 30 * DAY })), ['a4']);
  const writtenToday = item('train', 'a5', 40, [100], { writtenDaysAgo: 0 });
  assert.deepEqual(hashes(planGc([inventory[0], writtenToday], policy)), [], 'a write counts as use');
});

test('temp files go after the grace period unless a live process may still be writing them', () => {
  const crashed = temp('.tmp-7-aa', 2 * HOUR, 7);
  const fresh = temp('.tmp-7-bb', 60_000, 7);
  const live = temp('.tmp-42-cc', 2 * HOUR, 42);
  const stale = temp('.tmp-42-dd', STALE_TEMP_MS + 1, 42);
  const inventory = [item('train', 'a1', 1, [100], { temps: [crashed, fresh, live, stale] })];
  assert.deepEqual(planGc(inventory, policy).temps, [crashed, stale]);
});

test('a version with a write in progress or a held lock is never removed; stale locks go', () => {
  const busy = item('train', 'a1', 10, [100], { temps: [temp('.tmp-42-aa', 1000, 42)] });
  assert.equal(planGc([busy, item('train', 'a2', 1, [100])], policy).versions.length, 0);
  const lock = (name: string): LockFileStat => ({ name, file: `/l/${name}`, size: 50, mtimeMs: NOW });
  const computing = item('train', 'a1', 10, [100], { locks: [lock('.lock-held')] });
  assert.equal(planGc([computing, item('train', 'a2', 1, [100])], policy).versions.length, 0);
  const stale = lock('.lock-stale');
  const left = item('train', 'a2', 1, [100], { locks: [stale, lock('.lock-held')] });
  const plan = planGc([left], policy);
  assert.deepEqual(plan.locks, [stale]);
  assert.equal(plan.before.bytes - plan.after.bytes, 50);
});

test('--max-size removes least recently used versions first, current ones too, never within the grace period', () => {
  const a = item('train', 'a1', 5, [100, 100]);
  const b = item('eval', 'b1', 1, [100]);
  const c = item('score', 'c1', 0, [100]);
  const size = (x: InventoryVersion) => 8192 + 4096 * x.objects.count;
  const fits = planGc([a, b, c], { ...policy, maxDiskBytes: size(b) + size(c) });
  assert.deepEqual(fits.versions.map((r) => [r.item, r.reason]), [[a, 'max-size']]);
  assert.equal(fits.after.diskBytes, size(b) + size(c));
  assert.deepEqual(
    hashes(planGc([a, b, c], { ...policy, maxDiskBytes: 0 })),
    ['a1', 'b1'],
    'the version used just now stays',
  );
  assert.deepEqual(hashes(planGc([a, b, c], { ...policy, maxDiskBytes: 0, graceMs: 0 })), ['a1', 'b1', 'c1']);
});

test('a version with no object and no definition.json goes whatever --keep says, after the grace period', () => {
  const current = item('train', 'a1', 5, [100]);
  const empty = item('train', 'a2', null, [], { writtenDaysAgo: 3, metadata: 'missing', module: null });
  const plan = planGc([current, empty], policy);
  assert.deepEqual(plan.versions.map((v) => [v.item.version.hash.slice(0, 2), v.reason]), [['a2', 'empty']]);
  assert.deepEqual(hashes(planGc([empty], { ...policy, keep: 5 })), ['a2'], 'alone, and however many are kept');
  const justMade = item('train', 'a3', null, [], { writtenDaysAgo: 0, metadata: 'missing' });
  assert.deepEqual(hashes(planGc([justMade], policy)), [], 'a process may be about to write in it');
  assert.deepEqual(hashes(planGc([justMade], { ...policy, graceMs: 0 })), ['a3']);
  const writing = item('train', 'a4', null, [], {
    writtenDaysAgo: 3,
    metadata: 'missing',
    temps: [temp('.tmp-42-cc', 2 * HOUR, 42)],
  });
  assert.deepEqual(hashes(planGc([writing], policy)), [], 'a write in progress');
});

test('projects sharing a cache each keep the version they used last, a gone one for 90 days', () => {
  // Checkouts a and b of one project on two branches; c was deleted, d deleted long ago.
  const versions = [
    item('train', 'a2', 1, [100], { projects: [['a', 1, true]] }),
    item('train', 'a1', 2, [100], { projects: [['a', 2, true]] }),
    item('train', 'b1', 5, [100], { projects: [['b', 5, true], ['a', 30, true]] }),
    item('train', 'c1', 40, [100], { projects: [['c', 40, false]] }),
    item('train', 'd1', 100, [100], { projects: [['d', 100, false]] }),
    item('train', 'x1', 3, [100]),
  ];
  const removed = (keep: number) =>
    planGc(versions, { ...policy, keep })
      .versions.map(({ item: v }) => v.version.hash.slice(0, 2))
      .sort();
  assert.deepEqual(removed(1), ['a1', 'd1', 'x1']);
  assert.deepEqual(removed(0), ['a1', 'a2', 'b1', 'c1', 'd1', 'x1'], '--keep 0 keeps nothing outside the grace period');
});
