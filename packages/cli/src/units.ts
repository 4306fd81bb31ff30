/**
 * Size and duration literals as users type them (`7d`, `12h`, `10GB`, `500MiB`) and
 * as the CLI prints them (binary units like `git count-objects -H`). Pure.
 */
import { durationMs, DURATION_FORMS } from '@funes/core/internal';
import { UsageError } from './errors.js';

/**
 * Milliseconds in a duration such as `30m`, `12h`, `7d`, `2w` or `1d12h` (core's grammar, shared with `maxAge`).
 * @throws UsageError when the text is not one.
 */
export function parseDuration(text: string, option = 'duration'): number {
  const ms = durationMs(text);
  if (ms === undefined) {
    throw new UsageError(`${option} '${text}' is not a duration`, `write ${DURATION_FORMS}`);
  }
  return ms;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  // Single letters are binary, as in git's config (`1g` = `1GiB`).
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
};

/**
 * Bytes in a size such as `10GB` (10⁹), `500MiB` (500·2²⁰), `2g` (2·2³⁰) or `4096`.
 * @throws UsageError when the text is not one.
 */
export function parseSize(text: string, option = 'size'): number {
  const found = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = found ? (found[2].toLowerCase() || 'b') : undefined;
  if (!found || unit === undefined || !(unit in SIZE_UNITS)) {
    throw new UsageError(
      `${option} '${text}' is not a size`,
      'write a number and a unit: 500MB, 10GB, 500MiB, 2GiB (or plain bytes)',
    );
  }
  return Math.floor(Number(found[1]) * SIZE_UNITS[unit]);
}

const BYTE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** A byte count in binary units: `512 bytes`, `1.5 KiB`, `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${BYTE_UNITS[unit]}`;
}

/** A compute time in seconds, compactly: `12 ms`, `3.4 s`, `5m 12s`, `2h 05m`, `3d 4h`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** How long ago a time was, like git: `just now`, `5 minutes ago`, `3 days ago`. */
export function formatAge(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  const steps: [number, string][] = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [30, 'day'],
    [12, 'month'],
  ];
  if (seconds < 5) return 'just now';
  let value = seconds;
  for (const [size, unit] of steps) {
    if (value < size) return `${value} ${unit}${value === 1 ? '' : 's'} ago`;
    value = Math.floor(value / size);
  }
  return `${value} year${value === 1 ? '' : 's'} ago`;
}

/** A local date and time to the second: `2026-11-25 20:04:53`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A point in time given as a duration before `now` (`7d`) or a date (`2026-11-01`).
 * @throws UsageError when the text is neither.
 */
export function parseSince(text: string, now: number, option = '--since'): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text.trim());
  if (date) {
    const [year, month, day] = date.slice(1).map(Number);
    // Date.parse rolls an impossible day over (`2026-02-31` is 3 March): refuse it rather than
    // silently select from another day.
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw new UsageError(
        `${option} '${text}' is not a date: ${date.slice(1).join('-')} does not exist`,
        'write a real date, e.g. 2026-11-01',
      );
    }
    const time = Date.parse(text.trim());
    if (!Number.isNaN(time)) return time;
  }
  try {
    return now - parseDuration(text, option);
  } catch {
    throw new UsageError(`${option} '${text}' is neither a duration nor a date`, 'write e.g. 7d, 12h or 2026-11-01');
  }
}

/** Days in a month (1–12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** A count with thousands separators: `100,000`. */
export function formatCount(n: number): string {
  // Whole numbers are grouped here: a process's first toLocaleString loads ICU's number
  // formatting, which costs a short command more than all its other work.
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${grouped}` : grouped;
}

/** `1 entry`, `3 entries`: a count and the noun that agrees with it. */
export function countOf(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Reads a count option (`-n`, `--keep`) as typed: a whole number ≥ 0.
 * @throws UsageError otherwise, quoting what was given.
 */
export function checkCount(value: string | number | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const count = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(Number.isSafeInteger(count) && count >= 0)) {
    throw new UsageError(`${option} must be a whole number ≥ 0, not '${value}'`, `e.g. ${option} 5`);
  }
  return count;
}
