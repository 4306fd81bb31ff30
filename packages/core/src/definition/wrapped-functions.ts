/**
 * The original function behind each memorious wrapper, so that a wrapper found in
 * a closure is hashed by the code it runs rather than by the wrapper's own code; and
 * the wrapper and seed behind each seeded one (`train.withSeed(3)`), whose seed decides
 * its results as much as its code does.
 */
const originals = new WeakMap<Function, Function>();

/** What a seeded memorious function runs: its memorious function, under its seed. */
export interface SeededWrapper {
  readonly wrapper: Function;
  readonly seed: string | number;
}

const seededWrappers = new WeakMap<Function, SeededWrapper>();

/** Records that `wrapper` runs `original`. */
export function registerWrapper(wrapper: Function, original: Function): void {
  originals.set(wrapper, original);
}

/** The function a memorious wrapper runs; any other function as it is. */
export function unwrap(fn: Function): Function {
  return originals.get(fn) ?? fn;
}

/** Records that `seeded` runs the memorious function `wrapper` under `seed`. */
export function registerSeeded(seeded: Function, wrapper: Function, seed: string | number): void {
  seededWrappers.set(seeded, { wrapper, seed });
}

/** The memorious function and seed a seeded function runs; undefined for any other function. */
export function seededWrapper(fn: Function): SeededWrapper | undefined {
  return seededWrappers.get(fn);
}

/** Whether `fn` is a function memorious returned, seeded or not. */
export function isMemorious(fn: Function): boolean {
  return originals.has(fn) || seededWrappers.has(fn);
}
