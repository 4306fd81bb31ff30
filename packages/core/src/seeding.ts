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

/** A seed: a number or a string, as seedrandom takes it. */
export type Seed = number | string;

/** The seeded call a piece of code runs in: its seed and its generator. */
interface SeededCall {
  readonly seed: Seed;
  readonly random: () => number;
}

const current = new AsyncLocalStorage<SeededCall>();
let original: (() => number) | undefined;
let active = 0;

function seededRandom(): number {
  const call = current.getStore();
  return call ? call.random() : original!();
}

function enter(): void {
  if (active++ === 0) {
    original = Math.random;
    Math.random = seededRandom;
  }
}

function leave(): void {
  if (--active === 0) {
    Math.random = original!;
    original = undefined;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** Runs `run` with `Math.random` seeded; for a Promise result, until it settles. */
export function runSeeded<T>(seed: Seed, run: () => T): T {
  enter();
  let result: T;
  try {
    result = current.run({ seed, random: seedrandom(String(seed)) }, run);
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

export { isThenable };
