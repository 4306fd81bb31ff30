import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { formatLease, holderOf, newLease, parseLease } from './lease-owner.js';

test('a lease names its holder and round-trips; anything else reads as no lease', () => {
  const lease = newLease(60_000, 17);
  assert.equal(lease.host, hostname());
  assert.equal(lease.pid, process.pid);
  assert.match(lease.owner, /^[0-9a-f]{24}$/);
  assert.notEqual(newLease(60_000).owner, lease.owner, 'each acquisition is told apart');
  assert.deepEqual(parseLease(formatLease(lease)), lease);
  assert.deepEqual(holderOf(lease), { host: hostname(), pid: process.pid });
  for (const text of [undefined, null, '', '{', '{"owner":"x"}', '[]', 'null']) {
    assert.equal(parseLease(text), undefined, String(text));
  }
  assert.deepEqual(holderOf(undefined), { host: 'unknown', pid: 0 });
});
