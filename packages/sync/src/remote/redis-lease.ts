/**
 * Compute-once leases in Redis (`FUNES_LOCK_URL=redis://host:port`), for remotes whose
 * server does not honour conditional writes. The lease of a key is a Redis key set with
 * `SET … NX PX <ttl>`: Redis's clock lapses it. Its value names the holder and a fencing
 * token from `INCR`, which rises with every acquisition, so a holder whose lease lapsed
 * and was taken can tell. Renewal and release act only while the value is still ours.
 *
 * Uses ioredis (well kept, and made for this: commands, scripts, reconnection), loaded
 * only when a lease is taken. Connections close when no request is in flight, so they
 * never keep a process alive.
 */
import type { LeaseAttempt } from '@funes/core';
import type { Redis } from 'ioredis';
import { formatLease, holderOf, newLease, parseLease } from './lease-owner.js';
import { RemoteConfigError, RemoteUnreachableError } from './errors.js';

/** What the worker thread needs to renew a Redis lease (structured-cloneable). */
export interface RedisLeaseState {
  readonly kind: 'redis';
  readonly url: string;
  readonly key: string;
  readonly value: string;
  readonly ttlMs: number;
}

const RENEW =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Checks a `FUNES_LOCK_URL`. */
export function checkRedisUrl(url: string): string {
  if (!/^rediss?:\/\/[^/\s]+/.test(url)) {
    throw new RemoteConfigError(
      `FUNES_LOCK_URL=${url} is not a redis:// URL`,
      'write it as redis://host:port (rediss:// for TLS, redis://:password@host:port with a password)',
    );
  }
  return url;
}

/** Opens a connection that fails fast instead of queueing commands while the server is away. */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  });
  client.on('error', () => undefined);
  return client;
}

/** Leases in one Redis server for one remote (its URL scopes the keys). */
export class RedisLeases {
  private client: Promise<Redis> | undefined;
  private inFlight = 0;

  constructor(
    readonly url: string,
    private readonly scope: string,
    private readonly renewer: string,
  ) {}

  private async request<T>(run: (client: Redis) => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await run(await (this.client ??= connectRedis(this.url)));
    } catch (error) {
      throw new RemoteUnreachableError(
        `cannot take a lease in Redis at ${this.url.replace(/\/\/[^@/]*@/, '//')} (${(error as Error).message})`,
        { cause: error },
      );
    } finally {
      if (--this.inFlight === 0 && this.client) {
        const closing = this.client;
        this.client = undefined;
        void closing.then((client) => client.disconnect());
      }
    }
  }

  /** Takes the lease of a cache-relative key, or says who holds it. */
  take(key: string, ttlMs: number): Promise<LeaseAttempt> {
    const redisKey = `funes:lease:${this.scope}/${key}`;
    return this.request(async (client) => {
      const fence = await client.incr(`funes:fence:${this.scope}/${key}`);
      const value = formatLease(newLease(ttlMs, fence));
      if ((await client.set(redisKey, value, 'PX', ttlMs, 'NX')) !== 'OK') {
        return { heldBy: holderOf(parseLease(await client.get(redisKey))) };
      }
      return {
        lease: {
          renewal: {
            module: this.renewer,
            state: { kind: 'redis', url: this.url, key: redisKey, value, ttlMs } satisfies RedisLeaseState,
          },
          release: async () => (await this.request((c) => c.eval(RELEASE, 1, redisKey, value))) === 1,
        },
      };
    });
  }
}

/** Renews a lease from the worker thread; false once it lapsed and another took it. */
export async function renewRedisLease(client: Redis, state: RedisLeaseState): Promise<boolean> {
  return (await client.eval(RENEW, 1, state.key, state.value, String(state.ttlMs))) === 1;
}
