import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newLease } from './lease-owner.js';
import { s3LeaseLapsed } from './s3-lease.js';

/** A lease object as a server answers a read of it: HTTP dates, in whole seconds. */
function read(lastModified: string, serverNow: string) {
  return { text: '', etag: 'e', lastModified: Date.parse(lastModified), serverNow: Date.parse(serverNow) };
}

test("an S3 lease lapses by the server's whole-second clock only when its holder cannot have renewed it", () => {
  const lease = newLease(900);
  // A second apart by the server's dates: renewed just before the second's end, read just after it.
  assert.equal(s3LeaseLapsed(lease, read('2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z')), false);
  assert.equal(s3LeaseLapsed(newLease(1500), read('2026-01-01T10:00:00Z', '2026-01-01T10:00:02Z')), false);
  // Two whole seconds apart: more than a second has passed since the last renewal, longer than the lease.
  assert.equal(s3LeaseLapsed(lease, read('2026-01-01T10:00:00Z', '2026-01-01T10:00:02Z')), true);
  assert.equal(s3LeaseLapsed({ ...lease, released: true }, read('2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')), true);
  assert.equal(s3LeaseLapsed(undefined, read('2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')), true, 'damaged');
  assert.equal(s3LeaseLapsed(newLease(60_000), read('2026-01-01T10:00:00Z', '2026-01-01T10:01:00Z')), false);
  assert.equal(s3LeaseLapsed(newLease(60_000), read('2026-01-01T10:00:00Z', '2026-01-01T10:01:02Z')), true);
});
