/**
 * What stands for `this` in a key when a method reads it (pure): the instance,
 * with functions among its own properties — arrow-function class fields such as
 * `log = () => {}`, or a strategy assigned in the constructor — standing as their
 * code. Such a function is the class's code (which the definition hash covers), or
 * a choice of code, not data that no key could hold.
 */
import { funesKey } from './canonical-hash.js';

/**
 * The instance itself, or, when own properties hold functions, a copy
 * of the same class with each function replaced by its source text.
 */
export function thisState(self: unknown): unknown {
  if (self === null || typeof self !== 'object' || typeof (self as { [funesKey]?: unknown })[funesKey] === 'function') {
    return self;
  }
  const entries = Object.entries(self);
  if (!entries.some(([, value]) => typeof value === 'function')) return self;
  const copy = Object.create(Object.getPrototypeOf(self) as object | null) as Record<string, unknown>;
  for (const [key, value] of entries) {
    copy[key] = typeof value === 'function' ? { code: Function.prototype.toString.call(value) } : value;
  }
  return copy;
}
