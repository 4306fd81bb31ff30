/**
 * Results that age, opt-in: `maxAge` refuses a record stored longer ago than that, and
 * `validate` decides whether a stored record may be used. A refused record is a miss:
 * the call computes and replaces it. Without either option every record is used forever,
 * and the hit path reads only the output.
 */
import { durationMs, DURATION_FORMS } from './duration.js';
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

/** Milliseconds from a duration: a number of milliseconds, or a string such as `'90s'`, `'12h'`, `'1d12h'`. */
export function parseDuration(value: string | number, option: string): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? durationMs(value) : undefined;
  if (ms === undefined || !(ms > 0) || !Number.isFinite(ms)) {
    throw new InvalidUsageError(
      `the ${option} option must be a positive duration: milliseconds, ` +
          `or ${DURATION_FORMS}; got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
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
  // Infinity is how a caller spells "forever", the default.
  const maxAgeMs = maxAge === undefined || maxAge === Infinity ? undefined : parseDuration(maxAge, 'maxAge');
  if (maxAgeMs === undefined && validate === undefined) return undefined;
  return {
    refuses(record) {
      if (maxAgeMs !== undefined && Date.now() - record.createdAt.getTime() > maxAgeMs) return 'expired';
      if (validate !== undefined && !validate(record)) return 'invalid';
      return undefined;
    },
  };
}
