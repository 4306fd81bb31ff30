/**
 * `memorious`: wrap a function so each call's result is stored on disk under
 * `<cacheDir>/<name>/<definitionHash>/<argumentHash>` and returned from there when the
 * same call is made again — in this process or any later one.
 */
import { captureSite, nameAtDefinitionSite } from './definition/index.js';
import { decorate, isDecoratorContext, type MemoriousDecorator } from './decorator.js';
import { InvalidUsageError } from './errors.js';
import { functionDirName } from './layout.js';
import { MemoizedFunction, type AnyFunction } from './memoized-function.js';
import type { MemoriousOptions } from './options.js';
import { checkOptions } from './resolve-options.js';
import { checkFunction, makeWrapper, type Memorious } from './wrapper.js';

/**
 * Wraps `fn` so that each call's result is stored on disk and returned from there on
 * any later identical call — in this process or another, today or next month.
 *
 * Sync functions stay sync; functions returning a Promise return one. Calls that throw
 * or reject are not cached. Also usable as a method decorator: `@memorious` or
 * `@memorious({ …options })`.
 *
 * @example
 * ```ts
 * import { memorious, loadCachedResults } from '@funes/core';
 *
 * const double = memorious(function double(x: number) {
 *   return 2 * x;
 * });
 * double(21);              // computed and stored
 * double(21);              // read from ./cache
 * double.withSeed(7)(21);  // Math.random seeded with 7 for the call
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every function type fits this constraint
export function memorious<F extends (this: any, ...args: any[]) => any>(
  fn: F,
  options?: MemoriousOptions,
): Memorious<F>;
export function memorious<This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
): (this: This, ...args: Args) => Return;
export function memorious(options: MemoriousOptions): MemoriousDecorator;
export function memorious(fnOrOptions: unknown, optionsOrContext?: unknown): unknown {
  const site = captureSite(memorious);
  if (typeof fnOrOptions !== 'function') {
    if (fnOrOptions !== null && typeof fnOrOptions === 'object' && optionsOrContext === undefined) {
      const options = fnOrOptions;
      checkOptions(options);
      return (method: AnyFunction, context: ClassMethodDecoratorContext) => decorate(method, context, options, site);
    }
    checkFunction(fnOrOptions);
  }
  const fn = fnOrOptions as AnyFunction;
  if (isDecoratorContext(optionsOrContext)) return decorate(fn, optionsOrContext, {}, site);
  checkFunction(fn);
  checkOptions(optionsOrContext);
  const options = optionsOrContext ?? {};
  // An arrow written in the call has no name of its own: the one the code gives the result stands for it.
  const name = options.name ?? (fn.name || nameAtDefinitionSite(site, fn.length));
  if (!name) {
    throw new InvalidUsageError(
      'memorious needs a name for this anonymous function: assign the result (`const train = ' +
          'memorious((lr) => …)`), use a named function (`function train(…) {…}`) or pass { name: "train" }',
    );
  }
  functionDirName(name);
  const state = new MemoizedFunction(fn, name, site, options);
  return makeWrapper(state, fn, name);
}
