/**
 * `@memorious` and `@memorious({ …options })` on a class method (TC39 decorators): the
 * method is wrapped once, and named `Class.method` after the class that defines it.
 */
import type { DefinitionSite } from './definition/index.js';
import { InvalidUsageError } from './errors.js';
import { MemoizedFunction, type AnyFunction } from './memoized-function.js';
import type { MemoriousOptions } from './options.js';
import { checkFunction, makeWrapper } from './wrapper.js';

/** What `memorious(options)` returns: a decorator for methods, with those options. */
export type MemoriousDecorator = <This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return;

/** For a decorated method: `Class.method`, from the class that defines it. */
function ownerName(method: string, replacement: () => Function | undefined): (self: unknown) => string {
  return (self) => {
    let holder = self !== null && (typeof self === 'object' || typeof self === 'function') ? self : undefined;
    while (holder) {
      const descriptor = Object.getOwnPropertyDescriptor(holder, method);
      if (descriptor?.value === replacement()) {
        const owner = typeof holder === 'function' ? holder : (holder as { constructor?: Function }).constructor;
        return owner?.name ? `${owner.name}.${method}` : method;
      }
      holder = Object.getPrototypeOf(holder);
    }
    return method;
  };
}

/** The memorious replacement of a decorated method. */
export function decorate(
  method: AnyFunction,
  context: ClassMethodDecoratorContext,
  options: MemoriousOptions,
  site: DefinitionSite,
): AnyFunction {
  if (context.kind !== 'method') {
    throw new InvalidUsageError(`@memorious decorates methods; it was applied to a ${context.kind}`);
  }
  if ((typeof context.name === 'symbol' || context.private) && options.name === undefined) {
    throw new InvalidUsageError(
      '@memorious on a symbol-named or #private method needs the name option: @memorious({ name: "…" })',
    );
  }
  checkFunction(method);
  const methodName = String(context.name);
  const name = options.name ?? ownerName(methodName, () => replacement);
  const state = new MemoizedFunction(method, name, site, options);
  const replacement = makeWrapper(state, method, methodName);
  return replacement;
}

/** Whether `memorious`'s second argument is a decorator context rather than options. */
export function isDecoratorContext(value: unknown): value is ClassMethodDecoratorContext {
  return value !== null && typeof value === 'object' && 'kind' in value && 'name' in value && 'addInitializer' in value;
}
