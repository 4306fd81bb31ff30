/**
 * Argument hashing: SHA-256 by @noble/hashes vs node:crypto on the canonical bytes of
 * a small key and of a 10,000-leaf object (W4), and the whole canonical hash of each.
 *
 *   node --import tsx bench/hashing.bench.ts
 */
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { hashValue } from '@funes/core';
import { canonicalBytes } from '../packages/core/src/canonical-hash.js';

function perCall(run: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 200); i++) run();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) run();
  return ((performance.now() - started) * 1000) / iterations;
}

const small = { x: 1, y: 0.5 };
const groups: Record<string, Record<string, number>> = {};
for (let g = 0; g < 100; g++) {
  const leaves: Record<string, number> = {};
  for (let l = 0; l < 100; l++) leaves[`leaf${l}`] = g * 100 + l + 0.5;
  groups[`group${g}`] = leaves;
}
const flat: Record<string, number> = {};
for (let i = 0; i < 10_000; i++) flat[`key${i}`] = i;

console.log('| input | bytes | @noble/hashes µs | node:crypto µs | ratio | canonical hash µs | Object.keys floor µs |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, value, iterations] of [
  ['small key', small, 100_000],
  ['W4 100×100 object', groups, 1000],
  ['flat 10,000-key object', flat, 300],
] as const) {
  const bytes = canonicalBytes(value);
  const noble = perCall(() => sha256(bytes), iterations);
  const node = perCall(() => createHash('sha256').update(bytes).digest(), iterations);
  const whole = perCall(() => hashValue(value), iterations);
  // Enumerating the keys is a floor no canonical hash can go below.
  const objects = [value, ...Object.values(value).filter((inner) => inner !== null && typeof inner === 'object')];
  const keysFloor = perCall(() => objects.forEach((inner) => Object.keys(inner)), iterations);
  console.log(
    `| ${name} | ${bytes.length} | ${noble.toFixed(2)} | ${node.toFixed(2)} | ${(noble / node).toFixed(1)}× | ${whole.toFixed(1)} | ${keysFloor.toFixed(1)} |`,
  );
}
