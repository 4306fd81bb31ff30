/**
 * What a lease says about its holder (pure): one line of JSON, the same in an S3 lease
 * object and a Redis lease value.
 *
 * ```json
 * {"owner":"9f2c…","host":"node-7","pid":4242,"ttlMs":60000,"fence":17}
 * ```
 * `owner` is random per acquisition; `fence` (Redis) rises with every acquisition of a
 * key, so a holder that lost its lease can tell; a released S3 lease says `"released":true`.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseHolder } from '@funes/core';

export interface LeaseText {
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  readonly ttlMs: number;
  readonly fence?: number;
  readonly released?: boolean;
}

/** A new acquisition's text by this process. */
export function newLease(ttlMs: number, fence?: number): LeaseText {
  return {
    owner: randomBytes(12).toString('hex'),
    host: hostname(),
    pid: process.pid,
    ttlMs,
    ...(fence !== undefined && { fence }),
  };
}

export function formatLease(lease: LeaseText): string {
  return JSON.stringify(lease);
}

/** The lease a text holds; undefined for anything else (a damaged lease is treated as lapsed). */
export function parseLease(text: string | null | undefined): LeaseText | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = value as Partial<LeaseText> | null;
  if (
    !o ||
    typeof o.owner !== 'string' ||
    typeof o.host !== 'string' ||
    typeof o.pid !== 'number' ||
    typeof o.ttlMs !== 'number'
  ) {
    return undefined;
  }
  return o as LeaseText;
}

/** Who holds a lease, for waiters' messages. */
export function holderOf(lease: LeaseText | undefined): LeaseHolder {
  return lease ? { host: lease.host, pid: lease.pid } : { host: 'unknown', pid: 0 };
}
