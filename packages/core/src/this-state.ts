/**
 * What stands for `this` in a key when a method reads it (pure): the instance,
 * with functions among its own properties — arrow-function class fields such as
 * `log = () => {}`, or a strategy assigned in the constructor — standing as their
 * code. Such a function is the class's code (which the definition hash covers), or
 * a choice of code, not data that no key could hold.
 */
import { funesKey } from './canonical-hash.js';
import { codeHash } from './argument-keys.js';
import { UnhashableArgumentError } from './errors.js';
import { closesOverFunctionScope, mayBeBound } from './definition/index.js';
import { unwrap } from './definition/wrapped-functions.js';

/** What stands for a function by its code, by function, and whether its code alone cannot tell it wherever it is. */
const standIns = new WeakMap<Function, { readonly byCode: { readonly code: string }; readonly closes: boolean }>();
/**
 * The last stand-in with a definition hash, by function: kept while the hash stays, so that an instance holding one
 * function twice holds one stand-in twice. The hash is asked for at every call, as the values it covers may change.
 */
const definedStandIns = new WeakMap<Function, { readonly code: string; readonly definition: string }>();
/** Whether a function's text is written in the body of a class on a prototype chain, by prototype and function. */
const writtenInChain = new WeakMap<object, WeakMap<Function, boolean>>();

/**
 * What stands for a function held by an instance made from `proto`: its source text, and,
 * when it closes over variables of the function that made it (`this.f = (x) => x * k` in a
 * constructor), its definition hash, which covers their values: two instances made with
 * another `k` differ. A memorious wrapper stands for the function it wraps, whose code and
 * values are what it computes with (its own text is every wrapper's); a bound function
 * (`act.bind(null)`), whose text is the engine's, the same for every one, by its definition
 * hash, which covers its target and what was bound. A function written outside the
 * instance's classes (`this.loss = mse`, imported) by its definition hash too, which covers
 * the helpers it calls: its text alone would not change when they do.
 */
function standIn(fn: Function, proto: object | null): object {
  let known = standIns.get(fn);
  if (!known) {
    const target = unwrap(fn);
    const code = Function.prototype.toString.call(target);
    known = { byCode: { code }, closes: mayBeBound(target) || closesOverFunctionScope(target) };
    standIns.set(fn, known);
  }
  if (!known.closes && writtenInClassOf(proto, fn, known.byCode.code)) return known.byCode;
  const definition = codeHash(unwrap(fn));
  let defined = definedStandIns.get(fn);
  if (defined?.definition !== definition) {
    definedStandIns.set(fn, (defined = { code: known.byCode.code, definition }));
  }
  return defined;
}

/** Whether `code`, the text of `fn`, is written in the body of the class of `proto`'s instances or of a base class. */
function writtenInClassOf(proto: object | null, fn: Function, code: string): boolean {
  if (proto === null) return false;
  let known = writtenInChain.get(proto);
  if (!known) writtenInChain.set(proto, (known = new WeakMap()));
  let written = known.get(fn);
  if (written === undefined) {
    written = false;
    for (let at: object | null = proto; at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at)) {
      const ctor = Object.getOwnPropertyDescriptor(at, 'constructor')?.value as unknown;
      const text = typeof ctor === 'function' && ctor.prototype === at ? Function.prototype.toString.call(ctor) : '';
      if (text.includes(code)) {
        written = true;
        break;
      }
    }
    known.set(fn, written);
  }
  return written;
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
  const proto = Object.getPrototypeOf(self) as object | null;
  const copy = Object.create(proto) as Record<PropertyKey, unknown>;
  for (const [key, value] of entries) {
    // Defined, not assigned: an own `__proto__` property stays a property rather than setting the copy's prototype.
    const held = typeof value === 'function' ? standIn(value, proto) : value;
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

/** Whether a class, by its prototype, is covered by a method's definition hash, by prototype and method. */
const coveredByPrototype = new WeakMap<object, WeakMap<Function, boolean>>();

/**
 * Whether the definition hash of `method` covers the class of `self`, whose code then need
 * not join the key again: the method is written in the body of that class (as a decorated
 * method is), which its definition hash then counts when it reads `this`, and `self` runs it
 * from there. Not when `self` runs it inherited from a base class (a subclass may override
 * what it calls through `this`), nor when it was set on the prototype or the instance from
 * outside the class (`Config.prototype.run = memorious(function run() { … })`): the class's
 * methods it calls through `this` are then seen by no hash.
 */
export function classCovers(self: unknown, method: Function): boolean {
  // Nothing of a class's code is keyed for them.
  if (self === null || typeof self !== 'object') return true;
  const proto = Object.getPrototypeOf(self) as object | null;
  if (proto === null) return true;
  let known = coveredByPrototype.get(proto);
  if (!known) coveredByPrototype.set(proto, (known = new WeakMap()));
  let covered = known.get(method);
  if (covered === undefined) known.set(method, (covered = owns(proto, method) && writtenIn(proto, method)));
  return covered;
}

/** Whether `method` is written in the body of the class whose prototype is `proto`. */
function writtenIn(proto: object, method: Function): boolean {
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  if (typeof ctor !== 'function' || ctor.prototype !== proto) return false;
  return Function.prototype.toString.call(ctor).includes(Function.prototype.toString.call(method));
}

/**
 * Whether a function reading `this` reads the global object through it: called with it, or,
 * in sloppy code (a CommonJS file without 'use strict'), called without a `this`, which the
 * engine replaces with it. `sloppy`: whether the function is sloppy code.
 */
export function seesGlobalObject(self: unknown, sloppy: boolean): boolean {
  if (sloppy) return self === globalThis || self === undefined || self === null;
  // Through Funes' own wrapper made sloppy, a call without a `this` arrives as the global object too.
  return self === globalThis && !FUNES_SLOPPY;
}

/**
 * Whether Funes' own code runs as sloppy code: a loader that compiles it to CommonJS without 'use strict' (tsx in a
 * CommonJS project) makes its wrapper receive the global object for a call made without a `this`.
 */
const FUNES_SLOPPY = isSloppy(function probe() {});

/** Whether a function is sloppy code, whose `this` is the global object when it is called without one. */
export function isSloppy(fn: Function): boolean {
  // Only sloppy functions have `caller` of their own: strict ones, arrows, methods and classes inherit a poisoned one.
  return Object.hasOwn(fn, 'caller');
}

/**
 * The refusal of a call whose `this` is the global object: every global the program sets is a property
 * of it, so no key can hold it, and keyed without it, a call reading `this.scale` would return the result
 * stored when `scale` was another.
 */
export function globalThisError(name: string): UnhashableArgumentError {
  return new UnhashableArgumentError(
    'this',
    `the global object (${name} reads this, and was called without one in sloppy code, or on globalThis)`,
    `call ${name} on the object it reads from, pass what it reads as an argument, or, where what it reads ` +
      "through this does not change its result, give it thisKey: 'ignore'",
  );
}
