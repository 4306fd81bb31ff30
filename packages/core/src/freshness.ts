/**
 * Results that age, opt-in: `maxAge` refuses a record stored longer ago than that, and
 * `validate` decides whether a stored record may be used. A refused record is a miss:
 * the call computes and replaces it. Without either option every record is used forever,
 * and the hit path reads only the output.
 */
import { InvalidUsageError } from './errors.js';
import type { CachedRecord } from './record.js';

/** Why a stored record was refused. */
export type Refusal = 'expired' | 'invalid';

/** The options that make records age. */
export interface FreshnessOptions {
  readonly maxAge?: string | number;
  readonly validate?: (record: CachedRecord) => boolean;
}

export interface RecordPolicy {
  /** Why `record` may not be used, or undefined when it may. */
  refuses(record: CachedRecord): Refusal | undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds from a duration: a number of milliseconds, or a string such as `'90s'`, `'12h'`, `'7d'`, `'1.5h'`. */
export function parseDuration(value: string | number, option: string): number {
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value) : null;
  const ms = typeof value === 'number' ? value : match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new InvalidUsageError(
      `the ${option} option must be a positive duration: milliseconds, or a number with a unit (ms, s, m, h, d, w) such as '7d'; got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** The policy the options ask for; undefined when records never age (the default). */
export function recordPolicy(options: FreshnessOptions): RecordPolicy | undefined {
  const { maxAge, validate } = options;
  if (validate !== undefined && typeof validate !== 'function') {
    throw new InvalidUsageError('the validate option must be a function (record) => boolean');
  }
  const maxAgeMs = maxAge === undefined ? undefined : parseDuration(maxAge, 'maxAge');
  if (maxAgeMs === undefined && validate === undefined) return undefined;
  return {
    refuses(record) {
      if (maxAgeMs !== undefined && Date.now() - record.createdAt.getTime() > maxAgeMs) return 'expired';
      if (validate !== undefined && !validate(record)) return 'invalid';
      return undefined;
    },
  };
}
