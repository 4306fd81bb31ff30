/**
 * `withSeed`: for the duration of a call, `Math.random` is a seedrandom generator.
 *
 * The generator is looked up through AsyncLocalStorage, so concurrent async calls
 * with different seeds each draw from their own sequence, and code outside any
 * seeded call keeps the real `Math.random`. `Math.random` itself is replaced only
 * while at least one seeded call is running and restored when the last one ends —
 * after a return, a throw or a rejection alike.
 *
 * A memorious call made inside a seeded call runs under a seed of its own, derived
 * from the enclosing seed and the call's key ({@link nestedSeed}): drawing from the
 * enclosing sequence would make its result depend on what was drawn before it, and
 * the enclosing call's later draws on whether it was a hit (which draws nothing).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import seedrandom from 'seedrandom';
import { sha256Hex } from './sha256.js';

/** A seed: a number or a string, as seedrandom takes it. */
export type Seed = number | string;

/** The seeded call a piece of code runs in: its seed and its generator. */
interface SeededCall {
  readonly seed: Seed;
  readonly random: () => number;
}

const current = new AsyncLocalStorage<SeededCall>();
/**
 * The `Math.random` that seeded calls stand in for. Kept once they end: code that took
 * `Math.random` during a seeded call (a module loaded then, as lodash takes it when
 * loaded) still holds {@link seededRandom}, which outside any seeded call draws from it.
 */
let original: () => number = Math.random;
let active = 0;

function seededRandom(): number {
  const call = current.getStore();
  return call ? call.random() : original();
}

function enter(): void {
  if (active++ === 0) {
    // Put back by code that took it during an earlier seeded call, it is not the real one.
    if (Math.random !== seededRandom) original = Math.random;
    Math.random = seededRandom;
  }
}

function leave(): void {
  if (--active === 0) Math.random = original;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * Texts seedrandom keeps apart: it keys its generator with the character codes (modulo
 * 256) of a text's first 256 characters, folding longer texts, and repeats them to 256
 * bytes, so `'1'`, `'11'` and `'111'` draw one sequence, as do `''` and `'\0'`. Two
 * different texts of at most half that length, neither a repetition of a shorter one,
 * never repeat to the same bytes (Fine and Wilf's theorem).
 */
const KEPT_APART_LENGTH = 128;

function keptApart(text: string): boolean {
  if (text.length > KEPT_APART_LENGTH || text === '\0') return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 255) return false;
  return (text + text).indexOf(text, 1) === text.length;
}

/**
 * The text `seed`'s generator is seeded with: `String(seed)`, or, where seedrandom would
 * draw from it another seed's sequence (`11` that of `1`), its SHA-256 (of its UTF-16 code units).
 */
export function generatorSeed(seed: Seed): string {
  const text = String(seed);
  return keptApart(text) ? text : `sha256:${sha256Hex(Buffer.from(text, 'utf16le'))}`;
}

/**
 * What stands for `seed` in a call's key: the seed, or with the text its generator is
 * seeded with when that is not `String(seed)`, so no result drawn from the sequence
 * seedrandom gave it before, another seed's, is found under it.
 */
export function seedInKey(seed: Seed): Seed | readonly [Seed, string] {
  const text = generatorSeed(seed);
  return text === String(seed) ? seed : [seed, text];
}

/** Runs `run` with `Math.random` seeded; for a Promise result, until it settles. */
export function runSeeded<T>(seed: Seed, run: () => T): T {
  enter();
  let result: T;
  try {
    result = current.run({ seed, random: seedrandom(generatorSeed(seed)) }, run);
  } catch (error) {
    leave();
    throw error;
  }
  if (!isThenable(result)) {
    leave();
    return result;
  }
  return Promise.resolve(result).finally(leave) as T;
}

/**
 * The seed of the seeded call the caller runs in, if any. Only while one is running:
 * work a seeded call leaves behind after it settles is not covered by its seed.
 */
export function enclosingSeed(): Seed | undefined {
  // The counter spares every unseeded call the lookup.
  return active > 0 ? current.getStore()?.seed : undefined;
}

/**
 * The seed of a memorious call made inside a call seeded with `enclosing`: a function
 * of that seed, the function's name and the call's key (without a seed), so each
 * nested call draws its own sequence whatever else the enclosing call draws, and
 * `withSeed` with it reproduces the call on its own.
 */
export function nestedSeed(enclosing: Seed, name: string, key: string): string {
  return `${String(enclosing)}/${name}/${key.slice(0, 16)}`;
}

/** The input under which a seeded call's record holds its seed. */
const SEED_INPUT = 'global_seed';

/**
 * A call's named input as its record holds it: with its seed as `global_seed`, when it has
 * one, unless a parameter of that name keeps its argument there (the seed is then the
 * record's `seed` alone).
 */
export function withSeedInput(input: Record<string, unknown>, seed: Seed | undefined): Record<string, unknown> {
  return seed === undefined || Object.hasOwn(input, SEED_INPUT) ? input : { ...input, [SEED_INPUT]: seed };
}

export { isThenable };
