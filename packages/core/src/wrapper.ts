/**
 * The wrapped function a user holds: it calls its {@link MemoizedFunction} and carries
 * `withSeed`, `isCached`, `peek`, `refresh`, `clear` and `stats`. A registry maps it back
 * to its state, for `loadCachedResults` and `explainMiss`.
 */
import { isMemorious, registerSeeded, registerWrapper } from './definition/index.js';
import { InvalidUsageError } from './errors.js';
import { recordGivenProperties } from './function-properties.js';
import type { MemoriousStats } from './call-stats.js';
import type { AnyFunction, MemoizedFunction } from './memoized-function.js';
import type { Seed } from './seeding.js';

/**
 * A memorious function with a seed: `isCached`, `peek` and `refresh` ask about its calls under that seed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export type Seeded<F extends (this: any, ...args: any[]) => any> = F &
  Pick<Memorious<F>, 'isCached' | 'peek' | 'refresh'>;

/**
 * A memorious function: the same parameters and return type as the original, plus `withSeed` and control of its cache.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export type Memorious<F extends (this: any, ...args: any[]) => any> = F & {
  /**
   * The same function with `Math.random` seeded (seedrandom) for the call; the seed
   * is part of the key and stored as `global_seed` in the record's input. Memorious
   * calls made inside it are seeded with seeds derived from it (docs/api.md). Its
   * `isCached`, `peek` and `refresh` ask about calls under that seed.
   */
  withSeed(seed: Seed): Seeded<F>;
  /** Whether a call with these arguments would return a stored result (the object is read and verified). */
  isCached(...args: Parameters<F>): boolean;
  /**
   * The stored result of a call with these arguments (resolved, for a
   * function that returns a Promise), or `undefined`; never computes.
   */
  peek(...args: Parameters<F>): Awaited<ReturnType<F>> | undefined;
  /** Computes the call again, whatever is stored, and replaces the stored result. */
  refresh(...args: Parameters<F>): ReturnType<F>;
  /**
   * Removes this version's stored results (`allVersions`: every version's, past ones too);
   * returns how many were removed.
   */
  clear(options?: { readonly allVersions?: boolean }): number;
  /** What this function did in this process: hits, misses, and the computation time its hits spared. */
  stats(): MemoriousStats;
};

const registry = new WeakMap<Function, MemoizedFunction>();
/** Seeded functions (`train.withSeed(3)`): the state they call, and their seed. */
const seededRegistry = new WeakMap<Function, { readonly state: MemoizedFunction; readonly seed: Seed }>();

/**
 * The state behind a wrapped function, and the seed of a seeded one (`train.withSeed(3)`);
 * a clear error for anything else.
 */
export function memoizedCall(wrapped: unknown, caller: string): { state: MemoizedFunction; seed?: Seed } {
  const seeded = typeof wrapped === 'function' ? seededRegistry.get(wrapped) : undefined;
  return seeded ?? { state: memoizedState(wrapped, caller) };
}

/** The state behind a wrapped function, seeded or not; a clear error for anything else. */
export function memoizedState(wrapped: unknown, caller: string): MemoizedFunction {
  const state =
    typeof wrapped === 'function' ? (registry.get(wrapped) ?? seededRegistry.get(wrapped)?.state) : undefined;
  if (!state) {
    throw new InvalidUsageError(
      `${caller} takes a function returned by memorious(); got ` +
        (typeof wrapped === 'function' ? `the unwrapped function ${wrapped.name || '(anonymous)'}` : typeof wrapped),
    );
  }
  return state;
}

function checkSeed(seed: unknown): asserts seed is Seed {
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    throw new InvalidUsageError(
      `withSeed takes a finite number or a string; got ${typeof seed === 'number' ? seed : typeof seed}`,
    );
  }
}

/** Throws EINVALID for what memorious cannot wrap: a non-function, a generator, a class. */
export function checkFunction(fn: unknown): asserts fn is AnyFunction {
  if (typeof fn !== 'function') {
    throw new InvalidUsageError(`memorious takes a function; got ${fn === null ? 'null' : typeof fn}`);
  }
  const kind = fn.constructor?.name;
  if (kind === 'GeneratorFunction' || kind === 'AsyncGeneratorFunction') {
    throw new InvalidUsageError(
      `${fn.name || 'this function'} is a generator; memorious caches values, ` +
          `so wrap a function that returns an array instead`,
    );
  }
  if (isMemorious(fn)) {
    // Its definition hash would be that of Funes' own wrapper, which no edit of the function it runs changes.
    throw new InvalidUsageError(
      `${fn.name || 'this function'} is already memorious; call it as it is, or wrap the function it ` +
        'wraps with the options wanted (a seeded one as (x) => fn.withSeed(3)(x), named)',
    );
  }
  if (/^class\b/.test(Function.prototype.toString.call(fn))) {
    throw new InvalidUsageError(`${fn.name || 'this'} is a class; wrap one of its methods with @memorious instead`);
  }
}

/** Gives `target` the `isCached`, `peek` and `refresh` of `state`'s calls, under `seed` when given. */
function steer(target: Seeded<AnyFunction>, state: MemoizedFunction, seed: Seed | undefined): void {
  // Called as `train.peek(x)`, `this` is the function itself;
  // `model.fit.peek.call(model, x)` gives a method its instance.
  const self = (receiver: unknown) => (receiver === target ? undefined : receiver);
  target.isCached = function (this: unknown, ...args: unknown[]) {
    return state.stored(self(this), args, seed) !== undefined;
  };
  target.peek = function (this: unknown, ...args: unknown[]) {
    return state.stored(self(this), args, seed)?.output;
  };
  target.refresh = function (this: unknown, ...args: unknown[]) {
    return state.refresh(self(this), args, seed);
  };
}

/** The function handed to the user for `state`, named `displayName`, with the length of `fn`. */
export function makeWrapper(state: MemoizedFunction, fn: AnyFunction, displayName: string): AnyFunction {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return state.call(this, args, undefined);
  } as Memorious<AnyFunction>;
  wrapped.withSeed = (seed: Seed) => {
    checkSeed(seed);
    const seeded = function (this: unknown, ...args: unknown[]) {
      return state.call(this, args, seed);
    } as Seeded<AnyFunction>;
    steer(seeded, state, seed);
    // Its own properties are its maker's; as an argument or a captured value it counts by its function and seed.
    recordGivenProperties(seeded);
    registerSeeded(seeded, wrapped, seed);
    seededRegistry.set(seeded, { state, seed });
    return seeded;
  };
  steer(wrapped, state, undefined);
  wrapped.clear = (options?: { readonly allVersions?: boolean }) => state.clear(options?.allVersions === true);
  wrapped.stats = () => state.stats.read();
  Object.defineProperty(wrapped, 'name', { value: displayName });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  // What it wraps stands for a wrapper in a key; the properties given here are part of that.
  recordGivenProperties(wrapped);
  registry.set(wrapped, state);
  registerWrapper(wrapped, fn);
  return wrapped;
}
