// The functions and arguments of W1–W4 (shared/notes/peers.md), shared by workloads.mjs, store-calls.mjs and
// hashing.bench.ts.
import { createHash } from 'node:crypto';

/** W1 and W2: a small result. */
export const small = (x, y) => ({ x, sum: x + y, list: Array(10).fill(x) });

/** W4: a nested 100 × 100 object argument. */
export const bigArgument = () => {
  const groups = {};
  for (let g = 0; g < 100; g++) {
    const leaves = {};
    for (let l = 0; l < 100; l++) leaves[`leaf${l}`] = g * 100 + l + 0.5;
    groups[`group${g}`] = leaves;
  }
  return groups;
};

/** Every object in a value, itself included. */
export function objectsOf(value, found = []) {
  if (value !== null && typeof value === 'object') {
    found.push(value);
    for (const inner of Object.values(value)) objectsOf(inner, found);
  }
  return found;
}

/**
 * The floor of any argument key that keeps the key rule (every own key counts, docs/keys.md): a function that
 * lists each object's enumerable keys, all its string keys and its symbols, reads every value once, and takes
 * SHA-256 of `bytes` (the key's canonical bytes).
 */
export function keyRuleFloor(value, bytes) {
  const objects = objectsOf(value);
  let seen = 0;
  return () => {
    for (const inner of objects) {
      const keys = Object.keys(inner);
      seen += Object.getOwnPropertyNames(inner).length + Object.getOwnPropertySymbols(inner).length;
      for (let i = 0; i < keys.length; i++) if (inner[keys[i]] !== undefined) seen++;
    }
    return seen > 0 ? createHash('sha256').update(bytes).digest() : undefined;
  };
}
