/**
 * What a user asks of a wrapped function without calling it: why a call would compute
 * (`explainMiss`, `explainDefinition`) and what its definition hash covers.
 */
import type { DefinitionDescription } from './definition/index.js';
import { explainCall, type MissExplanation } from './explain-miss.js';
import { memoizedCall, memoizedState } from './wrapper.js';

/**
 * Why calling `wrapped(...args)` would compute rather than return a stored result — or
 * that it would not (`cause: 'stored'`); for a seeded function (`train.withSeed(3)`), the call
 * under its seed; for a method, the call with the `this` it is given, as `peek` is
 * (`explainMiss.call(model, model.fit, 10)`). Reads the cache; never computes. See docs/keys.md.
 *
 * @example
 * ```ts
 * const why = explainMiss(train, 0.3);
 * if (why.cause === 'definition') for (const c of why.changes) console.log(c.change, c.kind, c.name, c.diff ?? '');
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export function explainMiss<F extends (...args: any[]) => any>(
  this: unknown,
  wrapped: F,
  ...args: Parameters<F>
): MissExplanation {
  const { state, seed } = memoizedCall(wrapped, 'explainMiss');
  // Called as a module's export (`funes.explainMiss(f, x)`, a namespace or a CommonJS exports object), `this`
  // is the module, not an instance.
  const self = (this as { explainMiss?: unknown } | undefined)?.explainMiss === explainMiss ? undefined : this;
  return explainCall(state, self, args, seed);
}

/**
 * {@link explainMiss} of the definition alone: whether this version
 * is stored, else what changed since the nearest stored one.
 */
export function explainDefinition(wrapped: Function): MissExplanation {
  return explainCall(memoizedState(wrapped, 'explainDefinition'), undefined, undefined);
}

/**
 * What a memorious function's definition hash covers: its code, the dependencies
 * followed, and any warnings about changes it may miss.
 */
export function describeDefinition(wrapped: Function): DefinitionDescription {
  return memoizedState(wrapped, 'describeDefinition').prepare().definition;
}
