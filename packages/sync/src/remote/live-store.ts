/**
 * The S3 side of live sharing: `memorious(fn, { remote: 'origin' })` and
 * `FUNES_REMOTE` reach this through a dynamic import from @funes/core, which only
 * knows the `RemoteStore` interface.
 */
import { NoLeaseError, type LeaseAttempt, type RemoteStore } from '@funes/core';
import { connectRemote } from './connect.js';
import { RemoteRequestError } from './errors.js';
import { LEASE_RENEWER } from './lease-renewer.js';
import { checkRedisUrl, RedisLeases } from './redis-lease.js';
import type { S3Remote } from './s3-client.js';
import { takeS3Lease } from './s3-lease.js';

/** The environment variable naming a Redis server for leases. */
export const LOCK_URL_VARIABLE = 'FUNES_LOCK_URL';

type TakeLease = (key: string, ttlMs: number) => Promise<LeaseAttempt>;

/**
 * Where a remote's compute-once leases are kept: in Redis when `FUNES_LOCK_URL` names a
 * server, else on the remote itself when its server honours conditional writes (the
 * probe's verdict); else nowhere, and the `lock` option fails (`ENOLEASE`).
 */
async function leasesFor(remote: S3Remote): Promise<TakeLease> {
  const redisUrl = process.env[LOCK_URL_VARIABLE] || undefined;
  if (redisUrl !== undefined) {
    const redis = new RedisLeases(checkRedisUrl(redisUrl), remote.url, LEASE_RENEWER);
    return (key, ttlMs) => redis.take(key, ttlMs);
  }
  if (!(await remote.conditionalWrites())) {
    throw new NoLeaseError(remote.url, 'its server does not honour conditional writes (see `funes remote add`)');
  }
  return (key, ttlMs) => takeS3Lease(remote, key, ttlMs, LEASE_RENEWER);
}

/**
 * Opens a remote for memorious: a name configured for `cacheDir` (`funes remote add`)
 * or an `s3://bucket/prefix[?endpoint=…&region=…]` URL.
 *
 * @example
 * ```ts
 * const remote = await openRemoteStore('origin', { cacheDir: './cache' });
 * const train = memorious(async function train(lr: number) { … }, { remote });
 * ```
 */
export async function openRemoteStore(spec: string, options: { readonly cacheDir: string }): Promise<RemoteStore> {
  const remote = await connectRemote(options.cacheDir, spec);
  let leases: Promise<TakeLease> | undefined;
  /**
   * A request's outcome once the endpoint is known to be S3 (asked at the same time, once per
   * process): from another server, what the request found would be misread (a web page as a damaged object).
   */
  const onS3 = async <T>(request: Promise<T>): Promise<T> => {
    const [outcome, s3] = await Promise.allSettled([request, remote.confirmS3()]);
    if (s3.status === 'rejected') throw s3.reason;
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  };
  return {
    name: remote.url,
    readOnly: remote.remote.readOnly === true,
    get: (key) => onS3(remote.get(key)),
    put: async (key, bytes) => {
      await onS3(remote.create(key, bytes));
    },
    remove: async (keys) => {
      const [failure] = await onS3(remote.delete(keys));
      if (failure) throw new RemoteRequestError(`${remote.url}: could not remove ${failure.key} (${failure.reason})`);
    },
    markUsed: (key, bytes) => onS3(remote.replace(key, bytes)),
    lease: async (key, ttlMs) => {
      leases ??= leasesFor(remote).catch((error: unknown) => {
        // A verdict stands; a probe that failed on the way is tried again at the next call.
        if (!(error instanceof NoLeaseError)) leases = undefined;
        throw error;
      });
      return (await leases)(key, ttlMs);
    },
  };
}
