import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './errors.js';
import {
  checkCount,
  countOf,
  formatAge,
  formatBytes,
  formatCount,
  formatSeconds,
  parseDuration,
  parseSince,
  parseSize,
} from './units.js';

test('durations as users write them', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('12h'), 43_200_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  assert.equal(parseDuration('2w'), 1_209_600_000);
  assert.equal(parseDuration('1d12h'), 129_600_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration(' 7D '), 604_800_000);
  for (const bad of ['', '7', 'd', '7x', '-1d', '7d ago', '1h-']) {
    assert.throws(
      () => parseDuration(bad, '--older-than'),
      (error: unknown) => error instanceof UsageError && error.exitCode === 2 && error.message.includes('--older-than'),
      bad,
    );
  }
});

test('sizes in decimal and binary units', () => {
  assert.equal(parseSize('10GB'), 10e9);
  assert.equal(parseSize('500MiB'), 500 * 2 ** 20);
  assert.equal(parseSize('500mb'), 500e6);
  assert.equal(parseSize('2g'), 2 * 2 ** 30);
  assert.equal(parseSize('1.5KiB'), 1536);
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize('0'), 0);
  for (const bad of ['', 'GB', '10 parsecs', '-5MB', '1e9']) assert.throws(() => parseSize(bad), UsageError, bad);
});

test('sizes print in binary units like git count-objects -H', () => {
  assert.equal(formatBytes(0), '0 bytes');
  assert.equal(formatBytes(1), '1 byte');
  assert.equal(formatBytes(1023), '1023 bytes');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(15 * 2 ** 20), '15.0 MiB');
  assert.equal(formatBytes(150 * 2 ** 30), '150 GiB');
});

test('compute times and ages read naturally', () => {
  assert.equal(formatSeconds(0.0123), '12 ms');
  assert.equal(formatSeconds(3.456), '3.46 s');
  assert.equal(formatSeconds(312), '5m 12s');
  assert.equal(formatSeconds(7500), '2h 05m');
  assert.equal(formatSeconds(3 * 86_400 + 4 * 3600), '3d 4h');
  const now = Date.UTC(2026, 10, 25);
  assert.equal(formatAge(now - 1000, now), 'just now');
  assert.equal(formatAge(now - 60_000, now), '1 minute ago');
  assert.equal(formatAge(now - 5 * 3_600_000, now), '5 hours ago');
  assert.equal(formatAge(now - 3 * 86_400_000, now), '3 days ago');
  assert.equal(formatAge(now - 400 * 86_400_000, now), '1 year ago');
  assert.equal(formatAge(now + 10_000, now), 'just now');
});

test('--since takes a duration or a date', () => {
  const now = Date.UTC(2026, 10, 25);
  assert.equal(parseSince('7d', now), now - 7 * 86_400_000);
  assert.equal(parseSince('2026-11-01', now), Date.parse('2026-11-01'));
  assert.throws(() => parseSince('last week', now), /neither a duration nor a date/);
  assert.equal(parseSince('2024-02-29', now), Date.parse('2024-02-29'));
  assert.equal(parseSince('2026-11-01T10:00', now), Date.parse('2026-11-01T10:00'));
});

test('--since refuses a day the calendar does not have rather than rolling it over', () => {
  const now = Date.UTC(2026, 10, 25);
  for (const bad of ['2026-02-31', '2026-02-29', '2026-04-31 10:00', '2026-02-30T10:00', '1900-02-29', '2026-13-01']) {
    const refused = (error: Error) => error instanceof UsageError && /is not a date/.test(error.message);
    assert.throws(() => parseSince(bad, now), refused, bad);
  }
  assert.throws(() => parseSince('2026-11-011', now), UsageError);
});

test('counts agree with their nouns and must be whole', () => {
  assert.equal(countOf(1, 'entry', 'entries'), '1 entry');
  assert.equal(countOf(100_000, 'entry', 'entries'), '100,000 entries');
  assert.equal(countOf(2, 'version'), '2 versions');
  assert.equal(checkCount(undefined, '-n'), undefined);
  assert.equal(checkCount(0, '-n'), 0);
  assert.equal(checkCount('12', '-n'), 12);
  for (const bad of [-1, 1.5, Number.NaN, '-1', '1.5', '', '1e3']) {
    assert.throws(() => checkCount(bad, '--keep'), UsageError);
  }
  assert.throws(() => checkCount('abc', '--keep'), { message: "--keep must be a whole number ≥ 0, not 'abc'" });
});

test('counts are grouped in thousands exactly as toLocaleString en-US groups them', () => {
  const counts = [0, -0, 7, 999, 1000, -1000, 123_456, 1_234_567, -98_765_432, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53];
  for (let digits = 1; digits <= 16; digits++) counts.push(Number('9'.repeat(digits)), 10 ** (digits - 1));
  for (const n of [...counts, 1.5, 1234.5678, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  }
});
