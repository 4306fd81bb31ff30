/**
 * The differential check of argument keys at scale (test/argument-keys.test.ts runs
 * thousands of pairs): generated pairs of values, and for every pair with equal keys, a
 * battery of ordinary observations that must not tell them apart. Prints how many pairs
 * it ran and how many shared a key; exits non-zero with the counterexample on a lie.
 *
 *   node --import tsx bench/argument-keys.fuzz.ts             # 1,000,000 pairs
 *   node --import tsx bench/argument-keys.fuzz.ts --pairs 5000
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { hashValue, UnhashableArgumentError } from '@funes/core';
import { toldApart, valuePairs } from '../test/helpers/told-apart.js';

const { values: flags } = parseArgs({
  options: { pairs: { type: 'string', default: '1000000' }, seed: { type: 'string' } },
});
const pairs = Number(flags.pairs);

function keyOf(value: unknown): string | undefined {
  try {
    return hashValue(value);
  } catch (error) {
    if (error instanceof UnhashableArgumentError) return undefined;
    throw error;
  }
}

let ran = 0;
let equalKeys = 0;
let refused = 0;
const started = performance.now();
fc.assert(
  fc.property(valuePairs, ([a, b]) => {
    ran++;
    const keyA = keyOf(a);
    const keyB = keyOf(b);
    if (keyA === undefined || keyB === undefined) refused++;
    if (keyA === undefined || keyA !== keyB) return true;
    equalKeys++;
    const why = toldApart(a, b);
    if (why) throw new Error(why);
    return true;
  }),
  { numRuns: pairs, seed: flags.seed === undefined ? undefined : Number(flags.seed) },
);
const seconds = (performance.now() - started) / 1000;
console.log(
  `${ran.toLocaleString('en')} pairs checked in ${seconds.toFixed(0)} s: ${equalKeys.toLocaleString('en')} shared a ` +
      `key and looked the same to every observer; ${refused.toLocaleString('en')} refused (EUNHASHABLE); ` +
      `no key shared by values an observer tells apart`,
);
