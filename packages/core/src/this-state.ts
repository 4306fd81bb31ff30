/**
 * What stands for `this` in a key when a method reads it (pure): the instance,
 * with functions among its own properties — arrow-function class fields such as
 * `log = () => {}`, or a strategy assigned in the constructor — standing as their
 * code. Such a function is the class's code (which the definition hash covers), or
 * a choice of code, not data that no key could hold.
 */
import { funesKey } from './canonical-hash.js';
import { codeHash } from './argument-keys.js';
import { closesOverFunctionScope, mayBeBound } from './definition/index.js';
import { unwrap } from './definition/wrapped-functions.js';

const standIns = new WeakMap<Function, object>();

/**
 * What stands for a function held by an instance: its source text, and, when it closes over
 * variables of the function that made it (`this.f = (x) => x * k` in a constructor), its
 * definition hash, which covers their values: two instances made with another `k` differ.
 * A memorious wrapper stands for the function it wraps, whose code and values are what
 * it computes with (its own text is every wrapper's); a bound function (`act.bind(null)`),
 * whose text is the engine's, the same for every one, by its definition hash, which covers
 * its target and what was bound.
 */
function standIn(fn: Function): object {
  let known = standIns.get(fn);
  if (!known) {
    const target = unwrap(fn);
    const code = Function.prototype.toString.call(target);
    known = mayBeBound(target) || closesOverFunctionScope(target) ? { code, definition: codeHash(target) } : { code };
    standIns.set(fn, known);
  }
  return known;
}

/**
 * The instance itself, or, when own enumerable properties hold functions, a copy of the
 * same class with each of those functions replaced by what stands for it. The copy keeps
 * the instance's other own properties as they are — symbol-keyed and non-enumerable ones
 * too, which the method may read as much as the others.
 */
export function thisState(self: unknown): unknown {
  if (self === null || typeof self !== 'object' || typeof (self as { [funesKey]?: unknown })[funesKey] === 'function') {
    return self;
  }
  const entries = Object.entries(self);
  if (!entries.some(([, value]) => typeof value === 'function')) return self;
  const copy = Object.create(Object.getPrototypeOf(self) as object | null) as Record<PropertyKey, unknown>;
  for (const [key, value] of entries) {
    // Defined, not assigned: an own `__proto__` property stays a property rather than setting the copy's prototype.
    const held = typeof value === 'function' ? standIn(value) : value;
    Object.defineProperty(copy, key, { value: held, writable: true, enumerable: true, configurable: true });
  }
  for (const key of Reflect.ownKeys(self)) {
    if (Object.prototype.hasOwnProperty.call(copy, key)) continue;
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(self, key)!);
  }
  return copy;
}

/** Whether `holder` has `method` (or its memorious wrapper) as an own property. */
function owns(holder: object, method: Function): boolean {
  for (const key of Reflect.ownKeys(holder)) {
    const value = Object.getOwnPropertyDescriptor(holder, key)?.value as unknown;
    if (typeof value === 'function' && unwrap(value) === method) return true;
  }
  return false;
}

/** Whether instances made from a prototype have a method from it, by prototype and method. */
const ownedByPrototype = new WeakMap<object, WeakMap<Function, boolean>>();

/**
 * Whether `self` runs `method` inherited from a base class: neither its class (its
 * prototype) nor itself holds it. Only the method's own class is covered by the method's
 * definition hash; a subclass may override what the method calls through `this`.
 */
export function runsInherited(self: unknown, method: Function): boolean {
  if (self === null || typeof self !== 'object') return false;
  const proto = Object.getPrototypeOf(self) as object | null;
  if (proto === null) return false;
  let known = ownedByPrototype.get(proto);
  if (!known) ownedByPrototype.set(proto, (known = new WeakMap()));
  let owned = known.get(method);
  if (owned === undefined) known.set(method, (owned = owns(proto, method)));
  return !owned && !owns(self, method);
}
