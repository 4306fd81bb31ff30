import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntryStat, LockFileStat, TempFileStat } from '@funes/core';
import type { Version } from '../cache.js';
import { planGc, STALE_TEMP_MS, type GcPolicy, type InventoryVersion } from './gc-plan.js';

const NOW = Date.UTC(2026, 10, 25);
const DAY = 86_400_000;

function item(name: string, hash: string, createdDaysAgo: number, entrySizes: number[], options: { module?: string | null; temps?: TempFileStat[]; locks?: LockFileStat[] } = {}): InventoryVersion {
  const version: Version = {
    functionDir: name,
    name,
    module: options.module === undefined ? `${name}.ts` : options.module,
    hash: hash.padEnd(64, '0'),
    dir: `/c/${name}/${hash}`,
    createdMs: NOW - createdDaysAgo * DAY,
    metadata: { status: 'missing' },
  };
  const entries: EntryStat[] = entrySizes.map((size, i) => ({
    argumentHash: `${hash}${i}`.padEnd(64, '0'),
    file: `/c/${name}/${hash}/${i}`,
    size,
    mtimeMs: NOW - createdDaysAgo * DAY + i,
    atimeMs: 0,
  }));
  return { version, entries, temps: options.temps ?? [], locks: options.locks ?? [], metadataSize: 10 };
}

function temp(name: string, ageMs: number, pid: number | undefined): TempFileStat {
  return { name, file: `/t/${name}`, size: 5, mtimeMs: NOW - ageMs, pid };
}

const policy: GcPolicy = {
  keep: 1,
  olderThanMs: undefined,
  maxBytes: undefined,
  tempGraceMs: 3_600_000,
  now: NOW,
  isLive: (pid) => pid === 42,
  isStaleLock: (lock) => lock.name.endsWith('stale'),
};

test('keeps the newest version of each function identity', () => {
  const old = item('train', 'a1', 10, [100]);
  const inventory = [old, item('train', 'a2', 1, [100]), item('train', 'b1', 20, [100], { module: 'lab/train.ts' }), item('eval', 'c1', 30, [100])];
  const plan = planGc(inventory, policy);
  assert.deepEqual(plan.versions.map((r) => [r.item, r.reason, r.bytes]), [[old, 'superseded', 110]]);
  assert.equal(plan.bytesBefore - plan.bytesAfter, 110);
  assert.equal(planGc(inventory, { ...policy, keep: 2 }).versions.length, 0);
  assert.equal(planGc(inventory, { ...policy, keep: 0 }).versions.length, 4);
});

test('--older-than spares versions created or written recently', () => {
  const inventory = [item('train', 'a1', 10, [100]), item('train', 'a2', 40, [100]), item('train', 'a3', 1, [100])];
  assert.deepEqual(planGc(inventory, { ...policy, olderThanMs: 30 * DAY }).versions.map((r) => r.item.version.hash.slice(0, 2)), ['a2']);
});

test('temp files go after the grace period unless a live process may still be writing them', () => {
  const crashed = temp('.tmp-7-aa', 2 * 3_600_000, 7);
  const fresh = temp('.tmp-7-bb', 60_000, 7);
  const live = temp('.tmp-42-cc', 2 * 3_600_000, 42);
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
  assert.equal(plan.bytesBefore - plan.bytesAfter, 50);
});

test('--max-size removes least recently used entries first, then emptied versions', () => {
  const a = item('train', 'a1', 5, [100, 100]);
  const b = item('eval', 'b1', 1, [100]);
  const plan = planGc([a, b], { ...policy, maxBytes: 220 });
  assert.deepEqual(plan.entries, [a.entries[0]]);
  assert.equal(plan.bytesAfter, 220);
  const emptied = planGc([a, b], { ...policy, maxBytes: 200 });
  assert.deepEqual(emptied.versions.map((r) => [r.item, r.reason]), [[a, 'max-size']]);
  assert.deepEqual(emptied.entries, [], "an emptied version's entries go with its directory");
  assert.equal(emptied.bytesAfter, 110);
  const used = { ...a, entries: [{ ...a.entries[0], atimeMs: NOW }, a.entries[1]] };
  assert.deepEqual(planGc([used, b], { ...policy, maxBytes: 220 }).entries, [used.entries[1]], 'a recent read counts as use');
});
