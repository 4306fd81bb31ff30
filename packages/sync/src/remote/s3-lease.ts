/**
 * Compute-once leases in an S3 bucket, for servers that honour conditional writes. The
 * lease of `<key>` is the object `<prefix>/.funes/leases/<key>`:
 *
 * - take: create it with `If-None-Match: *` — one creator wins;
 * - renew: write the same text again with `If-Match` on its ETag (the same bytes keep the
 *   same ETag, so the worker thread renewing it and this thread releasing it agree);
 * - lapsed: the server's own clock says so — its `Date` minus the object's `Last-Modified`
 *   exceeds the lease's `ttlMs` by more than their resolution — so no machine's clock matters;
 * - take over a lapsed or released lease: write a new one with `If-Match` on the ETag read;
 * - release: overwrite with a released lease, `If-Match` on the ETag (servers such as Ceph
 *   RGW ignore conditions on DELETE, so a lease is never deleted); a failed condition
 *   tells the holder its lease had lapsed and was taken over.
 */
import type { LeaseAttempt } from '@funes/core';
import { formatLease, holderOf, newLease, parseLease, type LeaseText } from './lease-owner.js';
import type { ResolvedRemote } from './remote-config.js';
import type { S3Remote, StateObject } from './s3-client.js';

/** Where leases live under a remote's prefix (outside the cache layout: never pulled). */
export const LEASES_DIR = '.funes/leases';

/**
 * How much the server's `Date` minus an object's `Last-Modified` may exceed the time since
 * the object was written: HTTP dates have whole seconds, so a lease renewed just before a
 * second ends and read just after looks a second older than it is.
 */
const HTTP_DATE_RESOLUTION_MS = 1000;

/**
 * Whether a lease object (`lease`, as its text parses) has lapsed, by the server's
 * clock (pure): released, damaged, or not renewed for longer than its `ttlMs`. A live
 * holder renews every third of it, so it is never judged lapsed, however short the lease.
 */
export function s3LeaseLapsed(lease: LeaseText | undefined, state: StateObject): boolean {
  return (
    !lease || lease.released === true || state.serverNow - state.lastModified > lease.ttlMs + HTTP_DATE_RESOLUTION_MS
  );
}

/** What the worker thread needs to renew an S3 lease (structured-cloneable). */
export interface S3LeaseState {
  readonly kind: 's3';
  readonly remote: ResolvedRemote;
  readonly key: string;
  readonly text: string;
  readonly etag: string;
}

/** Takes the lease of a cache-relative key on `remote`, or says who holds it. */
export async function takeS3Lease(
  remote: S3Remote,
  key: string,
  ttlMs: number,
  renewer: string,
): Promise<LeaseAttempt> {
  const leaseKey = `${LEASES_DIR}/${key}`;
  const text = formatLease(newLease(ttlMs));
  const held = (etag: string): LeaseAttempt => ({
    lease: {
      renewal: {
        module: renewer,
        state: { kind: 's3', remote: remote.remote, key: leaseKey, text, etag } satisfies S3LeaseState,
      },
      release: async () => {
        const released = formatLease({ ...parseLease(text)!, released: true });
        if ((await remote.writeState(leaseKey, released, { match: etag })) !== undefined) return true;
        // A lost race answered 5xx may still have been ours: re-read to know.
        return (await remote.readState(leaseKey))?.text === released;
      },
    },
  });
  const created = await remote.writeState(leaseKey, text, { create: true });
  if (created !== undefined) return held(created);
  const found = await remote.readState(leaseKey);
  // Gone between the create and the read (never deleted by Funes, but by hand): try again at the next poll.
  if (!found) return { heldBy: holderOf(undefined) };
  const current = parseLease(found.text);
  if (!s3LeaseLapsed(current, found)) return { heldBy: holderOf(current) };
  const taken = await remote.writeState(leaseKey, text, { match: found.etag });
  return taken !== undefined ? held(taken) : { heldBy: holderOf(current) };
}

/** Renews a lease from the worker thread; false once another process has taken it over. */
export async function renewS3Lease(remote: S3Remote, state: S3LeaseState): Promise<boolean> {
  const etag = await remote.writeState(state.key, state.text, { match: state.etag });
  if (etag !== undefined) return true;
  // A lost race answered 5xx may still have been ours: only another's lease means lost.
  const found = await remote.readState(state.key);
  return found?.text === state.text;
}
