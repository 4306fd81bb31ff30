import assert from 'node:assert/strict';
import test from 'node:test';
import { durationMs } from './duration.js';
import { parseDuration, recordPolicy } from './freshness.js';

test('one duration grammar: a number with a unit, or several in a row', () => {
  assert.equal(durationMs('90s'), 90_000);
  assert.equal(durationMs('1.5h'), 5_400_000);
  assert.equal(durationMs('1d12h'), 129_600_000);
  assert.equal(durationMs(' 7D '), 604_800_000);
  assert.equal(durationMs('250ms'), 250);
  for (const bad of ['', ' ', '7', 'd', '7x', '-1d', '7d ago', '1h-', 'a week']) {
    assert.equal(durationMs(bad), undefined, bad);
  }
});

test('M is no unit: 6M, written for six months, is not read as six minutes', () => {
  for (const months of ['6M', '1.5M', '1d6M', '6M1d']) assert.equal(durationMs(months), undefined, months);
  assert.equal(durationMs('6m'), 360_000);
  assert.equal(durationMs('250MS'), 250);
  assert.equal(durationMs('2H30m'), 9_000_000);
});

test('maxAge takes milliseconds or the same grammar as the CLI, and must be positive', () => {
  assert.equal(parseDuration(1500, 'maxAge'), 1500);
  assert.equal(parseDuration('1d12h', 'maxAge'), 129_600_000);
  for (const bad of [0, -1, Infinity, '0s', 'soon']) {
    assert.throws(() => parseDuration(bad, 'maxAge'), /the maxAge option must be a positive duration/, String(bad));
  }
});

test('maxAge: Infinity means forever, as leaving it out does; a bad value is shown as given', () => {
  assert.equal(recordPolicy({ maxAge: Infinity }), undefined);
  assert.throws(() => recordPolicy({ maxAge: NaN }), /got NaN$/);
  assert.throws(() => recordPolicy({ maxAge: -Infinity }), /got -Infinity$/);
  assert.throws(() => recordPolicy({ maxAge: '5 days' }), /got "5 days"$/);
});
