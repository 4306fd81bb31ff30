/**
 * The differential check of argument keys: pairs of values from a small domain (so
 * that many pairs are equal or nearly so), and a battery of ordinary observations a
 * function could make of an argument. Two values whose keys are equal must look the
 * same to every observer; a pair that does not is a key shared by arguments a function
 * can tell apart.
 */
import { types } from 'node:util';
import { runInNewContext, runInThisContext } from 'node:vm';
import fc from 'fast-check';

/** Classes with the same fields: two with different names, and one with the first's name and other code. */
class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
class Pair {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
const Edited = (() =>
  class Point {
    constructor(
      readonly x: unknown,
      readonly y: unknown,
    ) {}

    norm(): number {
      return Number(this.x);
    }
  })();
const CLASSES = [Point, Pair, Edited] as const;
const BASES: readonly (object | null)[] = [Object.prototype, null, { p: 1 }, { p: 2 }];
const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
  Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

/** Keys of own properties: strings (one a lone surrogate) and registered and well-known symbols. */
const PROPERTY_KEYS: readonly (string | symbol)[] = [
  'a',
  'b',
  '\uD800',
  '\uDBFF',
  Symbol.for('k'),
  Symbol.for('j'),
  Symbol.toStringTag,
];

const LEAVES: readonly unknown[] = [
  0, -0, 1, NaN, '', 'a', 'ab\uD800', 'ab\uDBFF', 'ab\uFFFD', 'ab\uD83D\uDE00', '\uDC00',
  true, false, null, undefined, 1n, Symbol.for('k'), Symbol.for('j'), Symbol.iterator,
  (a: number) => a, (a: number) => a * 2, Math.max,
];

/**
 * Builds a value from a stream of choices (small integers), so that a pair can be two
 * streams one choice apart: values that differ in one place, which a key must still
 * tell apart, or that are equal.
 */
class Builder {
  private position = 0;

  constructor(private readonly choices: readonly number[]) {}

  private next(n: number): number {
    const choice = this.choices[this.position++] ?? 0;
    return choice % n;
  }

  private properties(target: object, depth: number, skip?: string): void {
    const count = this.next(4);
    for (let i = 0; i < count; i++) {
      const key = PROPERTY_KEYS[this.next(PROPERTY_KEYS.length)];
      const enumerable = this.next(2) === 0;
      const value = this.value(depth + 1);
      if (key !== skip) Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
    }
  }

  value(depth = 0): unknown {
    const kind = depth >= 3 ? 0 : this.next(14);
    switch (kind) {
      case 0:
      case 1:
        return LEAVES[this.next(LEAVES.length)];
      case 2: {
        const object = Object.create(BASES[this.next(BASES.length)]) as object;
        this.properties(object, depth);
        return object;
      }
      case 3: {
        const array: unknown[] = [];
        array.length = this.next(4);
        for (let i = 0; i < array.length; i++) if (this.next(3) !== 0) array[i] = this.value(depth + 1);
        this.properties(array, depth, 'length');
        return array;
      }
      case 4: {
        const kindOf = this.next(TYPED_ARRAYS.length + 1);
        const bytes = Uint8Array.from({ length: 8 * this.next(3) }, () => this.next(3));
        const view = kindOf === TYPED_ARRAYS.length ? Buffer.from(bytes) : new TYPED_ARRAYS[kindOf](bytes.buffer);
        if (this.next(3) === 0) this.properties(view, depth);
        return view;
      }
      case 5:
        return new Map(
          Array.from({ length: this.next(3) }, () => [LEAVES[this.next(LEAVES.length)], this.value(depth + 1)]),
        );
      case 6:
        return new Set(Array.from({ length: this.next(3) }, () => this.value(depth + 1)));
      case 7:
        return new Date([0, 1, NaN][this.next(3)]);
      case 8: {
        const message = ['a', 'b'][this.next(2)];
        return this.next(2) === 0 ? new Error(message) : new Error(message, { cause: this.value(depth + 1) });
      }
      case 9:
        return new CLASSES[this.next(CLASSES.length)](this.value(depth + 1), this.value(depth + 1));
      case 10:
        return [Object(1), Object('ab'), Object(1n), Object(false)][this.next(4)];
      case 11: {
        // A function given properties of its own (a loss with its weight).
        const fn = this.next(2) === 0 ? (a: number) => a : (a: number) => a * 2;
        this.properties(fn, depth);
        return fn;
      }
      case 12: {
        // A built-in whose prototype was replaced, or made in another realm.
        const source = ['new Map([[1, 2]])', 'new Map([[1, 3]])', 'new Set([1])', 'new Date(1)', '/a/g'][this.next(5)];
        const made = (this.next(2) === 0 ? runInNewContext(source) : runInThisContext(source)) as object;
        const base = [undefined, null, { p: 1 }][this.next(3)];
        return base === undefined ? made : Object.setPrototypeOf(made, base);
      }
      default:
        return ['xa', 'xxxa', 'ya'][this.next(3)].match(/a/);
    }
  }
}

/** Pairs of values built from choice streams one choice apart (often equal). */
export const valuePairs = fc
  .record({ choices: fc.array(fc.nat(1 << 16), { maxLength: 40 }), at: fc.nat(39), to: fc.nat(1 << 16) })
  .map(({ choices, at, to }) => {
    const changed = [...choices];
    changed[at] = to;
    return [new Builder(choices).value(), new Builder(changed).value()] as const;
  });

function symbolText(symbol: symbol): string {
  const key = Symbol.keyFor(symbol);
  return key === undefined ? `unique ${String(symbol)}` : `registered ${key}`;
}

function primitive(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `string ${[...Array(value.length).keys()].map((i) => value.charCodeAt(i).toString(16)).join(',')}`;
    case 'number':
      return `number ${Object.is(value, -0) ? '-0' : String(value)}`;
    case 'symbol':
      return `symbol ${symbolText(value)}`;
    case 'bigint':
      return `bigint ${value}`;
    default:
      return `${typeof value} ${String(value)}`;
  }
}

function attempt(observe: () => string): string {
  try {
    return observe();
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

/** JSON with keys in one order (key order is left out of keys) and bigints written out. */
function canonicalJson(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const KNOWN_PROTOTYPES = new Map<unknown, string>([
  [Object.prototype, 'Object'],
  [Function.prototype, 'Function'],
  [Array.prototype, 'Array'],
  [Map.prototype, 'Map'],
  [Set.prototype, 'Set'],
  [Date.prototype, 'Date'],
  [Error.prototype, 'Error'],
  [Buffer.prototype, 'Buffer'],
  [Number.prototype, 'Number'],
  [String.prototype, 'String'],
  [BigInt.prototype, 'BigInt'],
  [Boolean.prototype, 'Boolean'],
  ...CLASSES.map((type) => [type.prototype, `class ${type.name}: ${type.toString()}`] as const),
  ...TYPED_ARRAYS.map((type) => [type.prototype, type.name] as const),
]);

/** Another realm's built-in prototype (`Map.prototype` of a vm context), by its class's name. */
function realmPrototype(proto: object): string | undefined {
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  if (typeof ctor !== 'function' || ctor.prototype !== proto) return undefined;
  return /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(ctor)) ? `realm ${ctor.name}` : undefined;
}

/**
 * What a function could observe of a value, as text; insensitive only to what keys
 * deliberately ignore: the order of keys and of Map and Set entries, identity, and
 * whether properties are writable or configurable, and an error's stack.
 */
export function observe(value: unknown, seen: object[] = []): string {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return primitive(value);
  if (seen.includes(value)) return `cycle ${seen.indexOf(value)}`;
  const inner = [...seen, value];
  const nested = (v: unknown) => observe(v, inner);
  const proto = Object.getPrototypeOf(value) as object | null;
  const parts = [
    `tag ${Object.prototype.toString.call(value)}`,
    `prototype ${proto === null ? 'null' : (KNOWN_PROTOTYPES.get(proto) ?? realmPrototype(proto) ?? nested(proto))}`,
    `String() ${attempt(() => primitive(String(value)))}`,
    `JSON ${attempt(() => primitive(JSON.stringify(value, canonicalJson)))}`,
  ];
  // Own keys, sorted, each with whether it is enumerable and what it holds.
  // An error's stack says where it was made, which keys deliberately leave out.
  const keys = Reflect.ownKeys(value).filter((key) => !(key === 'stack' && value instanceof Error));
  const own = keys.map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    const name = typeof key === 'symbol' ? `[${symbolText(key)}]` : primitive(key);
    return `${name} ${descriptor.enumerable ? 'enumerable' : 'hidden'} = ` +
        `${nested(descriptor.get ? descriptor.get.call(value) : descriptor.value)}`;
  });
  parts.push(`own {${own.sort().join('; ')}}`);
  if (ArrayBuffer.isView(value)) {
    parts.push(`bytes ${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`);
  }
  // What the engine holds for a built-in, whatever its prototype or realm.
  if (types.isMap(value)) {
    parts.push(
      `entries {${[...Map.prototype.entries.call(value)]
        .map(([k, v]) => `${nested(k)} => ${nested(v)}`)
        .sort()
        .join('; ')}}`,
    );
  }
  if (types.isSet(value)) parts.push(`items {${[...Set.prototype.values.call(value)].map(nested).sort().join('; ')}}`);
  if (types.isDate(value)) parts.push(`time ${Date.prototype.getTime.call(value)}`);
  if (types.isRegExp(value)) parts.push(`pattern ${String(new RegExp(value as RegExp))}`);
  if (value instanceof Error) parts.push(`error ${value.name}: ${value.message}`);
  return `(${parts.join(' | ')})`;
}

/** Why two values with equal keys are still told apart, or undefined when no observer tells them apart. */
export function toldApart(a: unknown, b: unknown): string | undefined {
  const seenA = observe(a);
  const seenB = observe(b);
  return seenA === seenB ? undefined : `observed differently:\n  ${seenA}\n  ${seenB}`;
}
