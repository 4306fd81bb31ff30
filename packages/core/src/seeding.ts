/**
 * `withSeed`: for the duration of a call, `Math.random` is a seedrandom generator.
 *
 * The generator is looked up through AsyncLocalStorage, so concurrent async calls
 * with different seeds each draw from their own sequence, and code outside any
 * seeded call keeps the real `Math.random`. `Math.random` itself is replaced only
 * while at least one seeded call is running and restored when the last one ends —
 * after a return, a throw or a rejection alike.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import seedrandom from 'seedrandom';

/** A seed: a number or a string, as seedrandom takes it. */
export type Seed = number | string;

const current = new AsyncLocalStorage<() => number>();
let original: (() => number) | undefined;
let active = 0;

function seededRandom(): number {
  const generator = current.getStore();
  return generator ? generator() : original!();
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
    result = current.run(seedrandom(String(seed)), run);
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

export { isThenable };
