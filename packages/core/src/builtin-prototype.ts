/**
 * Which built-in a result's object is, as structured clone will write it and a hit read it
 * back: by its prototype, this realm's or the same built-in's of another realm (a `vm`
 * context, a library evaluating code in one), and only when the object holds the engine
 * slots of that built-in too. Structured clone writes by slots alone and reads back this
 * realm's object of the kind it wrote, so `{ a: 1 }` made in a `vm` context is read back as
 * this realm's plain object, while `Object.create(Date.prototype)`, holding no time, would be
 * read back as `{}`.
 */
import { types } from 'node:util';
import { TYPED_ARRAYS } from './typed-arrays.js';

/** This realm's constructors of the built-ins structured clone reads back, by name. */
const BUILTINS: readonly (abstract new (...args: never[]) => unknown)[] = [
  Object,
  Array,
  Date,
  RegExp,
  Map,
  Set,
  ArrayBuffer,
  DataView,
  Boolean,
  Number,
  String,
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  ...TYPED_ARRAYS,
];

const PROTOTYPE_BY_NAME = new Map<string, object>(BUILTINS.map((c) => [c.name, c.prototype as object]));
const NAME_BY_PROTOTYPE = new Map<object, string>(BUILTINS.map((c) => [c.prototype as object, c.name]));

const functionSource = Function.prototype.toString;
const typedArrayName = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
)!.get!;

/** Other realms' prototypes met, each with this realm's it stands for (null for none): a sweep meets the same few. */
const foreign = new WeakMap<object, object | null>();

/**
 * This realm's prototype of the built-in `proto` is the prototype of, in this realm or
 * another; undefined when it is none of them (a class's, or an object merely named so).
 */
export function ownRealmPrototype(proto: object): object | undefined {
  if (NAME_BY_PROTOTYPE.has(proto)) return proto;
  let own = foreign.get(proto);
  if (own === undefined) foreign.set(proto, (own = foreignBuiltin(proto) ?? null));
  return own ?? undefined;
}

/**
 * Read through descriptors and this realm's `Function.prototype.toString`, so no getter or
 * trap of the object runs: only the engine's own built-in constructor reads as native code
 * under its name (`class Object {}` reads as its source, a bound function as anonymous).
 */
function foreignBuiltin(proto: object): object | undefined {
  if (types.isProxy(proto)) return undefined;
  const constructor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  if (typeof constructor !== 'function' || types.isProxy(constructor)) return undefined;
  const name: unknown = Object.getOwnPropertyDescriptor(constructor, 'name')?.value;
  if (typeof name !== 'string') return undefined;
  const own = PROTOTYPE_BY_NAME.get(name);
  if (own === undefined) return undefined;
  if (Object.getOwnPropertyDescriptor(constructor, 'prototype')?.value !== proto) return undefined;
  return functionSource.call(constructor) === `function ${name}() { [native code] }` ? own : undefined;
}

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype) as object;
const ERROR_PROTOTYPES = new Set<unknown>(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((c) => c.prototype),
);

/**
 * Whether `v` holds the engine slots of the built-in whose prototype, this realm's, is `proto`:
 * structured clone writes what the slots hold, so an object given a built-in's prototype
 * without being one (`Object.create(Map.prototype)`) would be read back as another kind.
 */
export function holdsSlotsOf(v: object, proto: object): boolean {
  switch (proto) {
    case Object.prototype:
      return !Array.isArray(v) && !ArrayBuffer.isView(v) && !types.isArrayBuffer(v) && !hasBuiltinSlots(v);
    case Array.prototype:
      return Array.isArray(v);
    case Date.prototype:
      return types.isDate(v);
    case RegExp.prototype:
      return types.isRegExp(v);
    case Map.prototype:
      return types.isMap(v);
    case Set.prototype:
      return types.isSet(v);
    case ArrayBuffer.prototype:
      return types.isArrayBuffer(v);
    case DataView.prototype:
      return types.isDataView(v);
    case Boolean.prototype:
      return types.isBooleanObject(v);
    case Number.prototype:
      return types.isNumberObject(v);
    case String.prototype:
      return types.isStringObject(v);
    case Buffer.prototype:
      return types.isUint8Array(v);
  }
  if (Object.getPrototypeOf(proto) === TYPED_ARRAY_PROTOTYPE) {
    return types.isTypedArray(v) && typedArrayName.call(v) === NAME_BY_PROTOTYPE.get(proto);
  }
  return ERROR_PROTOTYPES.has(proto) && types.isNativeError(v);
}

/** Whether `v` holds the slots of a built-in other than a plain object, an array or memory. */
function hasBuiltinSlots(v: object): boolean {
  return (
    types.isDate(v) ||
    types.isRegExp(v) ||
    types.isMap(v) ||
    types.isSet(v) ||
    types.isBoxedPrimitive(v) ||
    types.isNativeError(v) ||
    types.isSharedArrayBuffer(v) ||
    types.isWeakMap(v) ||
    types.isWeakSet(v) ||
    types.isPromise(v)
  );
}
