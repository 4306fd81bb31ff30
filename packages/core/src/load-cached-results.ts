import { report } from './events.js';
import { memoizedState, type MemoizedFunction } from './memorious.js';
import type { CachedRecord } from './record.js';

/** A stored record together with its argument hash (its file name). */
export type StoredRecord<Output = unknown> = CachedRecord<Output> & { readonly argumentHash: string };

/** What a function's records hold as `output`: its return value, resolved when it is a Promise. */
export type OutputOf<F> = F extends (...args: any[]) => infer R ? Awaited<R> : unknown;

/**
 * Every stored record of the function's current version: `{ input, output, time, … }`,
 * read lazily one object at a time. Damaged objects are skipped and reported.
 *
 * @example
 * ```ts
 * for (const { input, output, time } of loadCachedResults(train)) console.log(input.lr, output.loss, time);
 * ```
 */
export function loadCachedResults<F extends (...args: any[]) => any>(wrapped: F): Generator<StoredRecord<OutputOf<F>>, void, undefined> {
  // Validated here, not in the generator, so misuse fails at the call rather than at the first iteration.
  const state = memoizedState(wrapped, 'loadCachedResults');
  return records<OutputOf<F>>(state);
}

function* records<Output>(state: MemoizedFunction): Generator<StoredRecord<Output>, void, undefined> {
  const store = state.version();
  for (const argumentHash of store.argumentHashes()) {
    const found = store.read(argumentHash);
    if (found.status === 'hit') {
      yield { ...(found.record as CachedRecord<Output>), argumentHash };
    } else if (found.status === 'damaged') {
      report({ type: 'damaged', code: 'EINTEGRITY', file: found.file, reason: found.reason, message: `${found.file} is damaged (${found.reason}); skipped` }, state.onEvent);
    }
  }
}
