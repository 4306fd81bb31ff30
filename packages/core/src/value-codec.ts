/**
 * Turns results into bytes and back with node:v8's structured clone, which keeps
 * every type Funes promises (NaN, -0, BigInt, sparse arrays, Map, Set, Date, RegExp,
 * typed arrays, Error, circular references). Structured clone silently drops what it
 * cannot keep (class prototypes, symbol keys, extra error properties), so values are
 * checked first and rejected with ENOTSERIALIZABLE rather than stored wrong.
 */
import { deserialize, serialize } from 'node:v8';
import { NotSerializableError } from './errors.js';


const ERROR_PROTOTYPES = new Set<unknown>(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((c) => c.prototype),
);
const ERROR_OWN_KEYS = new Set(['message', 'stack', 'cause']);

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype);

/** Built-in objects structured clone keeps exactly, by prototype. */
const CLONEABLE_PROTOTYPES = new Set<unknown>([
  Array.prototype,
  Date.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  Buffer.prototype,
]);

function describe(value: object): string {
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return ctor?.name ? `an instance of ${ctor.name}` : 'an object with a custom prototype';
}

/**
 * Where a value lies inside the checked one, kept as a stack of steps and spelled out
 * only for the error: most values pass, and building a path string for every property
 * made up most of the check's cost.
 */
const Step = { property: 0, index: 1, mapKey: 2, mapValue: 3, setItem: 4 } as const;
type Step = (typeof Step)[keyof typeof Step];

class Path {
  private readonly steps: (string | number)[] = [];
  private readonly kinds: Step[] = [];

  constructor(private readonly root: string) {}

  push(kind: Step, key: string | number): void {
    this.kinds.push(kind);
    this.steps.push(key);
  }

  pop(): void {
    this.kinds.pop();
    this.steps.pop();
  }

  /** The path, with `extra` (a property name) after it. */
  toString(extra?: string): string {
    let at = this.root;
    this.steps.forEach((key, i) => {
      const kind = this.kinds[i];
      at +=
        kind === Step.property
          ? `.${key}`
          : kind === Step.index
            ? `[${key}]`
            : kind === Step.mapKey
              ? `.<key ${key}>`
              : kind === Step.mapValue
                ? `.get(${key})`
                : `.<item ${key}>`;
    });
    return extra === undefined ? at : `${at}.${extra}`;
  }
}

/** Throws NotSerializableError naming the first value that would not survive storage. */
export function assertSerializable(value: unknown, root = 'output'): void {
  const seen = new Set<object>();
  const path = new Path(root);
  const visitAt = (kind: Step, key: string | number, v: unknown): void => {
    path.push(kind, key);
    visit(v);
    path.pop();
  };
  const visit = (v: unknown): void => {
    if (typeof v === 'function') throw new NotSerializableError(path.toString(), 'a function');
    if (typeof v === 'symbol') throw new NotSerializableError(path.toString(), 'a symbol');
    if (v === null || typeof v !== 'object') return;
    if (seen.has(v)) return;
    seen.add(v);
    const proto = Object.getPrototypeOf(v);
    if (ArrayBuffer.isView(v)) {
      if (
        proto !== Buffer.prototype &&
        Object.getPrototypeOf(proto) !== TYPED_ARRAY_PROTOTYPE &&
        proto !== DataView.prototype
      ) {
        throw new NotSerializableError(path.toString(), describe(v));
      }
      return;
    }
    if (ERROR_PROTOTYPES.has(proto)) {
      for (const key of Object.getOwnPropertyNames(v)) {
        if (!ERROR_OWN_KEYS.has(key)) {
          throw new NotSerializableError(path.toString(key), 'an extra property of an Error');
        }
      }
      if ('cause' in v) visitAt(Step.property, 'cause', (v as { cause: unknown }).cause);
      return;
    }
    // Structured clone gives null-prototype objects Object.prototype back: not faithful.
    if (proto === null) throw new NotSerializableError(path.toString(), 'an object with a null prototype');
    if (proto !== Object.prototype && !CLONEABLE_PROTOTYPES.has(proto)) {
      throw new NotSerializableError(path.toString(), describe(v));
    }
    if (Object.getOwnPropertySymbols(v).length > 0) {
      throw new NotSerializableError(path.toString(), 'an object with symbol keys');
    }
    if (v instanceof Map) {
      let i = 0;
      for (const [k, item] of v) {
        visitAt(Step.mapKey, i, k);
        visitAt(Step.mapValue, i++, item);
      }
      return;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const item of v) visitAt(Step.setItem, i++, item);
      return;
    }
    const kind = Array.isArray(v) ? Step.index : Step.property;
    for (const key of Object.keys(v)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key);
      if (descriptor?.get || descriptor?.set) {
        throw new NotSerializableError(path.toString(key), 'an accessor property');
      }
      visitAt(kind, key, (v as Record<string, unknown>)[key]);
    }
  };
  visit(value);
}

/** Serializes a value that has passed {@link assertSerializable}. */
export function serializeValue(value: unknown): Uint8Array {
  return serialize(value);
}

export function deserializeValue(bytes: Uint8Array): unknown {
  return deserialize(bytes);
}
