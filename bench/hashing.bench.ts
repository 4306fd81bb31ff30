/**
 * Argument hashing: SHA-256 by @noble/hashes vs node:crypto on the canonical bytes of a
 * small key and of 10,000-leaf arguments (W4's object, a flat object, a table of rows),
 * and the whole canonical hash of each against `JSON.stringify` of the same value and
 * against listing its own keys and against the floor of any key that keeps the key rule
 * (every own key counts): listing every object's own keys, reading each value once and
 * SHA-256 of the canonical bytes. Each row's figures are medians of rounds taken in turn,
 * so a loaded machine slows them alike. A second table times each way JavaScript has to
 * list an object's own keys (and read its values) on W4's objects, built key by key and
 * from JSON.parse: what the key rule could ask instead.
 *
 *   node --import tsx bench/hashing.bench.ts
 */
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { hashValue } from '@funes/core';
import { canonicalBytes } from '../packages/core/src/canonical-hash.js';
import { bigArgument, keyRuleFloor, objectsOf } from './workload-values.mjs';

const ROUNDS = 15;

/** Median CPU µs per call of each function, measured in alternating rounds of `iterations` calls. */
function perCall(runs: readonly (() => unknown)[], iterations: number): number[] {
  for (const run of runs) for (let i = 0; i < Math.min(iterations, 200); i++) run();
  const samples = runs.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    runs.forEach((run, r) => {
      const started = process.cpuUsage().user;
      for (let i = 0; i < iterations; i++) run();
      samples[r].push((process.cpuUsage().user - started) / iterations);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]);
}

const small = { x: 1, y: 0.5 };
// W4 as the bench builds it, key by key (V8 keeps such objects in dictionary mode), and the same from JSON.parse.
const w4 = bigArgument();
const flat: Record<string, number> = {};
for (let i = 0; i < 10_000; i++) flat[`key${i}`] = i;
// 10,000 leaves as a table: rows of one shape, whose keys are not listed in canonical order.
const rows = Array.from({ length: 1000 }, (_, i) => ({
  id: i, a: i * 0.5, b: i + 1, c: `x${i}`, d: i % 7, e: i / 3, f: -i, g: i * 2, h: i * 3, k: true,
}));
// Many small objects: each is one more object whose identity the key follows (one object in two places).
const records = Array.from({ length: 10_000 }, (_, i) => ({ id: i, lr: i * 0.001, tag: `r${i % 7}` }));

console.log(
  '| input | bytes | @noble/hashes µs | node:crypto µs | ratio | canonical hash µs | JSON.stringify µs | ' +
    'hash ÷ JSON.stringify | own-key listing µs | listing + reads + SHA-256 µs | hash ÷ that floor |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, value, iterations] of [
  ['small key', small, 20_000],
  ['W4 100×100 object, built key by key', w4, 40],
  ['W4 from JSON.parse', JSON.parse(JSON.stringify(w4)), 40],
  ['flat 10,000-key object', flat, 20],
  ['1,000 rows of 10 keys', rows, 40],
  ['10,000 records of 3 keys', records, 20],
] as const) {
  const bytes = canonicalBytes(value);
  const objects = objectsOf(value);
  const list = () => {
    for (const inner of objects) {
      Object.keys(inner);
      Object.getOwnPropertyNames(inner);
      Object.getOwnPropertySymbols(inner);
    }
  };
  const [noble, node, whole, json, listing, floor] = perCall(
    [
      () => sha256(bytes),
      () => createHash('sha256').update(bytes).digest(),
      () => hashValue(value),
      () => JSON.stringify(value),
      // What the key rule must ask of every object: its enumerable keys, all its string keys, its symbols.
      list,
      // And what any key must do besides: read every value once and hash the bytes.
      keyRuleFloor(value, bytes),
    ],
    iterations,
  );
  console.log(
    `| ${name} | ${bytes.length} | ${noble.toFixed(2)} | ${node.toFixed(2)} | ${(noble / node).toFixed(1)}× | ` +
      `${whole.toFixed(1)} | ${json.toFixed(1)} | ${(whole / json).toFixed(2)} | ${listing.toFixed(1)} | ` +
      `${floor.toFixed(1)} | ${(whole / floor).toFixed(2)} |`,
  );
}

// Every way to list W4's objects' own keys (and read their values), on both builds of the argument.
const enumerable = Object.prototype.propertyIsEnumerable;
let seen = 0;
const listings: [string, (objects: readonly object[]) => void][] = [
  ['Object.keys', (os) => { for (const o of os) seen += Object.keys(o).length; }],
  ['Object.getOwnPropertyNames', (os) => { for (const o of os) seen += Object.getOwnPropertyNames(o).length; }],
  ['Object.getOwnPropertySymbols', (os) => { for (const o of os) seen += Object.getOwnPropertySymbols(o).length; }],
  ['Reflect.ownKeys', (os) => { for (const o of os) seen += Reflect.ownKeys(o).length; }],
  ['for…in', (os) => { for (const o of os) for (const key in o) seen += key.length; }],
  ['for…in with Object.hasOwn', (os) => {
    for (const o of os) for (const key in o) if (Object.hasOwn(o, key)) seen++;
  }],
  ['Object.values', (os) => { for (const o of os) seen += Object.values(o).length; }],
  ['Object.entries', (os) => { for (const o of os) seen += Object.entries(o).length; }],
  ['Object.keys, then a read per key', (os) => {
    for (const o of os) {
      const keys = Object.keys(o);
      for (let i = 0; i < keys.length; i++) if ((o as Record<string, unknown>)[keys[i]] !== undefined) seen++;
    }
  }],
  ['keys + names + symbols (the key rule, as hashed)', (os) => {
    for (const o of os) {
      seen += Object.keys(o).length + Object.getOwnPropertyNames(o).length + Object.getOwnPropertySymbols(o).length;
    }
  }],
  ['names + propertyIsEnumerable per key + symbols', (os) => {
    for (const o of os) {
      const names = Object.getOwnPropertyNames(o);
      for (let i = 0; i < names.length; i++) if (enumerable.call(o, names[i])) seen++;
      seen += Object.getOwnPropertySymbols(o).length;
    }
  }],
  ['keys + Reflect.ownKeys', (os) => {
    for (const o of os) seen += Object.keys(o).length + Reflect.ownKeys(o).length;
  }],
];
const builtKeyByKey = objectsOf(w4);
const parsed = objectsOf(JSON.parse(JSON.stringify(w4)));
const timed = perCall(
  listings.flatMap(([, list]) => [() => list(builtKeyByKey), () => list(parsed)]),
  30,
);
console.log('\n| listing W4\'s 101 objects | built key by key µs | from JSON.parse µs |');
console.log('|---|---|---|');
listings.forEach(([name], i) => {
  console.log(`| ${name} | ${timed[2 * i].toFixed(0)} | ${timed[2 * i + 1].toFixed(0)} |`);
});
void seen;
