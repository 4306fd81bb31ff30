/**
 * Argument keys never lie: thousands of generated pairs of values, and for every pair
 * whose keys are equal, no ordinary observation may tell the two apart
 * (bench/argument-keys.fuzz.ts runs a million pairs).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hashValue, UnhashableArgumentError } from '@funes/core';
import { toldApart, valuePairs } from './helpers/told-apart.js';

/** A value's key; a value refused with EUNHASHABLE shares no key, so it cannot lie. */
function keyOf(value: unknown): string {
  try {
    return hashValue(value);
  } catch (error) {
    if (error instanceof UnhashableArgumentError) return `refused: ${Math.random()}`;
    throw error;
  }
}

test('values with equal keys look the same to every observer', () => {
  let equalKeys = 0;
  fc.assert(
    fc.property(valuePairs, ([a, b]) => {
      if (keyOf(a) !== keyOf(b)) return;
      equalKeys++;
      assert.equal(toldApart(a, b), undefined);
    }),
    { numRuns: 5000 },
  );
  // The domain is small on purpose: many pairs share a key, so the check has work to do.
  assert.ok(equalKeys > 100, `only ${equalKeys} pairs shared a key`);
});
