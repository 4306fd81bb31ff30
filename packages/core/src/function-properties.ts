/**
 * Which own properties of a function its definition hash already stands for, and which a
 * caller gave it (`Object.assign(loss, { weight: 2 })`), so that a key counts the latter.
 */

/** What every function may hold by nature: its arity and name, a constructor's prototype, sloppy-mode leftovers. */
const NATURAL_KEYS = new Set<PropertyKey>(['length', 'name', 'prototype', 'arguments', 'caller']);

/** Properties set where a function was made (a memorious wrapper's `peek`, `stats`…), with the value each was given. */
const given = new WeakMap<Function, ReadonlyMap<PropertyKey, unknown>>();

/** Node's own functions (`Buffer`, `setTimeout`): each own property of theirs is Node's, as their origin says. */
const fromNode = new WeakSet<Function>();

/** Records that `fn` is one of Node's functions, as its definition hash found. */
export function recordNodeFunction(fn: Function): void {
  fromNode.add(fn);
}

/** Records the own properties `fn` holds now as its own: its maker gave them, so its code stands for them. */
export function recordGivenProperties(fn: Function): void {
  const values = new Map<PropertyKey, unknown>();
  for (const key of Reflect.ownKeys(fn)) {
    const descriptor = Object.getOwnPropertyDescriptor(fn, key)!;
    if ('value' in descriptor) values.set(key, descriptor.value);
  }
  given.set(fn, values);
}

function sourceOf(fn: Function): string {
  return Function.prototype.toString.call(fn);
}

/** Whether `member` (a static method, getter or setter) was written in the body of the class whose text is `body`. */
function writtenIn(body: string, member: unknown): boolean {
  return typeof member === 'function' && body.includes(sourceOf(member));
}

/**
 * Whether the own property `key` of `fn` is one its definition hash stands for: its
 * length, name and prototype; a property its maker gave it, still holding that value; a
 * static member written in its class's body; a property the engine gave one of its own
 * functions (`Array.from`, `Map[Symbol.species]`: never enumerable); any of Node's own
 * functions' properties.
 */
export function isNaturalFunctionKey(fn: object, key: PropertyKey): boolean {
  if (NATURAL_KEYS.has(key) || fromNode.has(fn as Function)) return true;
  const values = given.get(fn as Function);
  const descriptor = Object.getOwnPropertyDescriptor(fn, key);
  if (!descriptor) return true;
  if (values?.has(key)) return 'value' in descriptor && values.get(key) === descriptor.value;
  if (descriptor.enumerable) return false;
  const source = sourceOf(fn as Function);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) return true;
  if (!source.startsWith('class')) return false;
  return 'value' in descriptor
    ? writtenIn(source, descriptor.value)
    : writtenIn(source, descriptor.get ?? descriptor.set) && (!descriptor.set || writtenIn(source, descriptor.set));
}
