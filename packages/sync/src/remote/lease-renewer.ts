/**
 * Loaded into core's lease-renewal worker thread: renews the leases this package takes
 * (S3 or Redis) while the thread that holds them may be blocked computing. Connections
 * are kept per remote and per Redis server for the worker's life.
 */
import type { Redis } from 'ioredis';
import { connectRedis, renewRedisLease, type RedisLeaseState } from './redis-lease.js';
import { S3Remote } from './s3-client.js';
import { renewS3Lease, type S3LeaseState } from './s3-lease.js';

const remotes = new Map<string, Promise<S3Remote>>();
const redises = new Map<string, Promise<Redis>>();

/** Renews one lease; false once it is lost. */
export async function renewLease(state: S3LeaseState | RedisLeaseState): Promise<boolean> {
  if (state.kind === 'redis') {
    if (!redises.has(state.url)) redises.set(state.url, connectRedis(state.url));
    return renewRedisLease(await redises.get(state.url)!, state);
  }
  const id = JSON.stringify(state.remote);
  if (!remotes.has(id)) remotes.set(id, S3Remote.connect(state.remote, { signingKey: undefined }));
  return renewS3Lease(await remotes.get(id)!, state);
}

/** This module's URL, for the worker to load. */
export const LEASE_RENEWER = import.meta.url;
