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
 * under its seed. Reads the cache; never computes. See docs/keys.md.
 *
 * @example
 * ```ts
 * const why = explainMiss(train, 0.3);
 * if (why.cause === 'definition') for (const c of why.changes) console.log(c.change, c.kind, c.name, c.diff ?? '');
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export function explainMiss<F extends (...args: any[]) => any>(wrapped: F, ...args: Parameters<F>): MissExplanation {
  const { state, seed } = memoizedCall(wrapped, 'explainMiss');
  return explainCall(state, undefined, args, seed);
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
