/**
 * Turns results into bytes and back with node:v8's structured clone, which keeps
 * every type Funes promises (NaN, -0, BigInt, sparse arrays, Map, Set, Date, RegExp,
 * typed arrays, Error, circular references). Structured clone silently drops what it
 * cannot keep (class prototypes, symbol keys, non-enumerable properties, properties set on a
 * built-in object other than an array, extra error properties), so values are
 * checked first and rejected with ENOTSERIALIZABLE rather than stored wrong.
 */
import { types } from 'node:util';
import { DefaultDeserializer, DefaultSerializer, serialize } from 'node:v8';
import { holdsSlotsOf, ownRealmPrototype } from './builtin-prototype.js';
import { maximumByteLength } from './builtin-slots.js';
import { NotSerializableError } from './errors.js';
import { hasNamedProperties, isElementOrLengthKey } from './named-properties.js';


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

/** Why a value would not survive storage, and where it lies below the value checked (`.model.predict`, `[1]`). */
interface Defect {
  readonly at: string;
  readonly what: string;
}

/**
 * The first value inside `v` that would not survive storage, or undefined. Where it lies
 * is spelled out only on the way back from a defect: most values pass, and tracking a
 * path for every property they hold cost most of the check.
 */
/**
 * How deep an output may nest to be stored: structured clone writes values nested far deeper
 * than it can read back (its reader runs out of stack), and such an object would be damaged
 * at every hit. The reader manages about twice this from a deep call stack.
 */
export const MAX_STORED_DEPTH = 1000;

function defectOf(v: unknown, seen: Seen, depth = 0): Defect | undefined {
  if (typeof v === 'function') return { at: '', what: 'a function' };
  if (typeof v === 'symbol') return { at: '', what: 'a symbol' };
  if (v === null || typeof v !== 'object') return undefined;
  if (seen.has(v)) return seen.causing(v) ? CAUSE_CYCLE : undefined;
  if (depth >= MAX_STORED_DEPTH) {
    return { at: '', what: `a value nested more than ${MAX_STORED_DEPTH} levels deep (too deep to read back)` };
  }
  seen.add(v);
  // Structured clone throws on a Proxy (a reactive store's object, an ORM row), and reading
  // it through its traps runs them: it is refused before either, so the result is still returned.
  if (types.isProxy(v)) return PROXY;
  let proto = Object.getPrototypeOf(v);
  // Most values are plain objects and arrays of this realm: checked before the rarer kinds.
  if (proto === Object.prototype && !ArrayBuffer.isView(v)) return propertyDefect(v, seen, depth + 1);
  if (proto === Array.prototype && Array.isArray(v)) return propertyDefect(v, seen, depth + 1);
  // Structured clone keeps no prototype: it writes a built-in by its slots and reads back this
  // realm's kind, so another realm's built-in is stored as this realm's, and a prototype the slots
  // disagree with is refused.
  if (proto === null) return { at: '', what: 'an object with a null prototype' };
  if (proto !== Buffer.prototype) {
    const own = ownRealmPrototype(proto);
    if (own === undefined) return { at: '', what: describe(v) };
    proto = own;
  }
  if (!holdsSlotsOf(v, proto)) {
    const name = kindOf(proto).replace(/^an? /, '');
    return { at: '', what: `an object whose prototype is ${name}'s but which is not ${kindOf(proto)}` };
  }
  if (ArrayBuffer.isView(v)) {
    if (isDetached(v.buffer)) return DETACHED;
    const memory = viewedMemoryDefect(v.buffer);
    if (memory) return memory;
    if (seen.metMemory(v.buffer, v)) return SHARED_MEMORY;
    if (proto === DataView.prototype) return lostPropertyDefect(v, proto);
    return hasNamedProperties(v as Uint8Array, false)
      ? { at: '', what: `${kindOf(proto)} with own properties besides its elements` }
      : undefined;
  }
  if (proto === Object.prototype || proto === Array.prototype) return propertyDefect(v, seen, depth + 1);
  if (ERROR_PROTOTYPES.has(proto)) {
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === 'symbol') return { at: '', what: 'an object with symbol keys' };
      if (!ERROR_OWN_KEYS.has(key)) return { at: `.${key}`, what: 'an extra property of an Error' };
      // Structured clone reads these as data: a getter's value is lost, a message that is not text comes back as text.
      const descriptor = Object.getOwnPropertyDescriptor(v, key)!;
      // An engine may keep the stack it wrote behind an accessor of its own.
      if (key === 'stack' && !('value' in descriptor)) continue;
      if (!('value' in descriptor)) return { at: `.${key}`, what: 'an accessor property' };
      if (key !== 'cause' && typeof descriptor.value !== 'string') {
        return { at: `.${key}`, what: `an Error's ${key} that is not a string` };
      }
      // Read back hidden, as the engine makes them: `e.cause = c` on an Error without one makes it enumerable.
      if (descriptor.enumerable) {
        const what = `an Error's ${key} set as an enumerable property, which a hit would return hidden`;
        return { at: `.${key}`, what };
      }
    }
    // Read back, an Error has a stack property, undefined for one whose stack was deleted.
    if (!Object.hasOwn(v, 'stack')) return { at: '.stack', what: "an Error's deleted stack, which a hit would return" };
    if (!('cause' in v)) return undefined;
    const found = seen.inCause(v, () => defectOf((v as { cause: unknown }).cause, seen, depth + 1));
    return found && below('.cause', found);
  }
  if (!CLONEABLE_PROTOTYPES.has(proto)) return { at: '', what: describe(v) };
  if (proto === ArrayBuffer.prototype) {
    if (isDetached(v as ArrayBuffer)) return DETACHED;
    if (seen.metMemory(v as ArrayBuffer)) return SHARED_MEMORY;
  }
  const lost = lostPropertyDefect(v, proto);
  if (lost) return lost;
  if (proto === Map.prototype) return mapDefect(v as Map<unknown, unknown>, seen, depth + 1);
  if (proto === Set.prototype) return setDefect(v as Set<unknown>, seen, depth + 1);
  return undefined;
}

const PROXY: Defect = { at: '', what: 'a Proxy' };

const CAUSE_CYCLE: Defect = {
  at: '',
  what: 'an Error its own cause leads back to, which structured clone writes but cannot read back',
};

/**
 * The objects a check has met, and the buffers among them and the views of them: structured
 * clone writes a view as the bytes it shows, so two views of the same bytes, or a buffer and
 * a view of it, would come back from a hit apart, where a write through one changed the other.
 * A first walk records the memory it meets and {@link sharedMemory} judges it once, sorted (an
 * output may hold a hundred thousand views of one buffer, a file's lines as `subarray`s); when it
 * finds memory held twice, a second walk, given that buffer or view, finds where it is. It also
 * holds the Errors whose cause the walk is in ({@link Seen.inCause}).
 */
class Seen extends Set<object> {
  private memory: Map<ArrayBufferLike, MetMemory> | undefined;
  private met = 0;
  /** Errors whose cause is being walked, outermost first. */
  private readonly causes: object[] = [];

  /** `culprit`: in a second walk, the buffer or view to stop at. */
  constructor(private readonly culprit?: object) {
    super();
  }

  /**
   * The defect `walk` finds in the cause of `error`. Structured clone numbers an Error only
   * once it has read its cause, so a reference back to it from inside its cause (`e.cause =
   * e`, `{ e }`, a chain of causes that loops) is written but cannot be read back.
   */
  inCause(error: object, walk: () => Defect | undefined): Defect | undefined {
    this.causes.push(error);
    try {
      return walk();
    } finally {
      this.causes.pop();
    }
  }

  /** Whether `v`, met again, is an Error whose cause is being walked: see {@link inCause}. */
  causing(v: object): boolean {
    return this.causes.length > 0 && this.causes.includes(v);
  }

  /** Records `buffer` (or `view` of it) as met; true when it is the culprit a second walk looks for. */
  metMemory(buffer: ArrayBufferLike, view?: ArrayBufferView): boolean {
    if (this.culprit !== undefined) return (view ?? buffer) === this.culprit;
    this.memory ??= new Map();
    let memory = this.memory.get(buffer);
    if (!memory) this.memory.set(buffer, (memory = { whole: undefined, views: [] }));
    const order = this.met++;
    if (!view) memory.whole = order;
    // Views of disjoint bytes (small Buffers from Node's shared pool) change nothing of each other.
    else memory.views.push({ view, start: view.byteOffset, end: view.byteOffset + view.byteLength, order });
    return false;
  }

  /** After a first walk: a buffer or view met after other parts of the output that hold its memory, if any. */
  sharedMemory(): object | undefined {
    for (const [buffer, { whole, views }] of this.memory ?? []) {
      if (views.length === 0) continue;
      if (whole !== undefined) {
        const first = views.reduce((a, b) => (b.order < a.order ? b : a));
        return whole > first.order ? buffer : first.view;
      }
      if (views.length === 1) continue;
      // Sorted by start, a range overlaps an earlier one when it starts before the latest end so far.
      const ranges = views.filter((range) => range.end > range.start).sort((a, b) => a.start - b.start);
      let latest = ranges[0];
      for (let i = 1; i < ranges.length; i++) {
        const range = ranges[i];
        if (range.start < latest.end) return (range.order > latest.order ? range : latest).view;
        if (range.end > latest.end) latest = range;
      }
    }
    return undefined;
  }
}

/** A buffer met while checking an output: when it was met whole, and the views of it met, in the walk's order. */
interface MetMemory {
  whole: number | undefined;
  readonly views: MetView[];
}

/** A view met: the bytes of its buffer it shows (`start` to `end`), and when it was met. */
interface MetView {
  readonly view: ArrayBufferView;
  readonly start: number;
  readonly end: number;
  readonly order: number;
}

const SHARED_MEMORY: Defect = {
  at: '',
  what: 'memory another part of the output holds too (an ArrayBuffer and a view of it, or two views whose ' +
    'bytes overlap), which a hit would return as separate copies',
};

const DETACHED: Defect = {
  at: '',
  what: 'a detached ArrayBuffer, or a view of one (its memory was transferred away, to a worker or by ' +
    'structuredClone with transfer)',
};

/**
 * Whether `buffer`'s memory was transferred away, which structured clone refuses to write.
 * Only an empty buffer can be: making a view of it throws then.
 */
function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * Structured clone writes a view as the bytes it shows, and a hit reads back a view of a
 * fixed-length buffer of its own: a view of a resizable or shared buffer would come back
 * neither resizable (nor following the buffer's length) nor shared.
 */
function viewedMemoryDefect(buffer: ArrayBufferLike): Defect | undefined {
  if (types.isSharedArrayBuffer(buffer)) return SHARED_VIEW;
  return maximumByteLength(buffer, false) === undefined ? undefined : RESIZABLE_VIEW;
}

const RESIZABLE_VIEW: Defect = {
  at: '',
  what: 'a view of a resizable ArrayBuffer, which a hit would return as a view of a fixed-length buffer ' +
    '(return a copy of its bytes, view.slice(), or the ArrayBuffer itself, which is stored resizable)',
};

const SHARED_VIEW: Defect = {
  at: '',
  what: 'a view of a SharedArrayBuffer, which a hit would return as a view of memory no one else shares ' +
    '(return a copy of its bytes, view.slice())',
};

/** `a Map`, `an ArrayBuffer`: the kind of built-in object whose prototype is `proto`. */
function kindOf(proto: object): string {
  const name = (proto as { constructor: { name: string } }).constructor.name;
  return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * The first own property of a built-in object (other than an array) that its structured
 * clone drops: the clone keeps only the contents (a Map's entries, a Date's time, a
 * String object's characters), so a property set on the object would be missing from a hit.
 */
function lostPropertyDefect(v: object, proto: object): Defect | undefined {
  for (const key of Reflect.ownKeys(v)) {
    if (typeof key === 'symbol') return { at: '', what: 'an object with symbol keys' };
    if (proto === String.prototype && isElementOrLengthKey(v as { length: number }, key)) continue;
    if (proto === RegExp.prototype && key === 'lastIndex') {
      if ((v as RegExp).lastIndex === 0) continue;
      return { at: '.lastIndex', what: 'the position a global or sticky RegExp search left' };
    }
    return { at: `.${key}`, what: `an extra property of ${kindOf(proto)}` };
  }
  return undefined;
}

function symbolDefect(v: object): Defect | undefined {
  return Object.getOwnPropertySymbols(v).length > 0 ? { at: '', what: 'an object with symbol keys' } : undefined;
}

function mapDefect(v: Map<unknown, unknown>, seen: Seen, depth: number): Defect | undefined {
  let i = 0;
  for (const [k, item] of v) {
    const atKey = defectOf(k, seen, depth);
    if (atKey) return below(`.<key ${i}>`, atKey);
    const atValue = defectOf(item, seen, depth);
    if (atValue) return below(`.get(${i})`, atValue);
    i++;
  }
  return undefined;
}

function setDefect(v: Set<unknown>, seen: Seen, depth: number): Defect | undefined {
  let i = 0;
  for (const item of v) {
    const found = defectOf(item, seen, depth);
    if (found) return below(`.<item ${i}>`, found);
    i++;
  }
  return undefined;
}

/** The first defect among an object's symbol keys and own enumerable properties. */
function propertyDefect(v: object, seen: Seen, depth: number): Defect | undefined {
  const symbols = symbolDefect(v);
  if (symbols) return symbols;
  const array = Array.isArray(v);
  // Every own property, hidden ones too: structured clone keeps only enumerable properties, so a
  // hidden one (an array's element or named property too) would be missing from a hit.
  const keys = Object.getOwnPropertyNames(v);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // An array's length is hidden by nature, and kept.
    if (array && key === 'length') continue;
    const descriptor = Object.getOwnPropertyDescriptor(v, key);
    let item: unknown;
    if (descriptor === undefined) item = (v as Record<string, unknown>)[key];
    else if (!descriptor.enumerable) return { at: `.${key}`, what: 'a non-enumerable property' };
    else if (descriptor.get || descriptor.set) return { at: `.${key}`, what: 'an accessor property' };
    else item = descriptor.value;
    // Most properties hold numbers or strings, which always survive: checked here, without a call.
    if (item === null || (typeof item !== 'object' && typeof item !== 'function' && typeof item !== 'symbol')) {
      continue;
    }
    const found = defectOf(item, seen, depth);
    if (found) return below(array ? `[${key}]` : `.${key}`, found);
  }
  return undefined;
}

/** A defect found inside a value, placed at `step` below the value holding it. */
function below(step: string, found: Defect): Defect {
  return { at: step + found.at, what: found.what };
}

/** Characters of a path shown in an error: a value nested a thousand deep has a path as long. */
const SHOWN_PATH = 120;

/** Throws NotSerializableError naming the first value that would not survive storage. */
export function assertSerializable(value: unknown, root = 'output'): void {
  const seen = new Seen();
  let found = defectOf(value, seen);
  const shared = found ? undefined : seen.sharedMemory();
  if (shared) found = defectOf(value, new Seen(shared));
  if (!found) return;
  const at = root + found.at;
  throw new NotSerializableError(at.length > SHOWN_PATH ? `${at.slice(0, SHOWN_PATH)}…` : at, found.what);
}

/** Serializes a value that has passed {@link assertSerializable}. */
export function serializeValue(value: unknown): Uint8Array {
  return serialize(value);
}

/** The tag with which structured clone refers back to an object it wrote before. */
const OBJECT_REFERENCE = 0x5e;

/**
 * What serializeValue(first) and serializeValue(second) return, from one serializer where
 * that writes the same: a fresh process pays for each serializer made. A serializer numbers
 * the objects it writes across values, and writes a number only after the tag that refers
 * back to one; so bytes of the second value without that tag anywhere are its own, and the
 * second is serialized alone otherwise.
 */
export function serializePair(first: unknown, second: unknown): Uint8Array[] {
  const serializer = new DefaultSerializer();
  serializer.writeHeader();
  serializer.writeValue(first);
  const firstBytes = serializer.releaseBuffer();
  serializer.writeHeader();
  serializer.writeValue(second);
  const secondBytes = serializer.releaseBuffer();
  return [firstBytes, secondBytes.indexOf(OBJECT_REFERENCE) === -1 ? secondBytes : serialize(second)];
}

/**
 * Typed arrays smaller than this are given buffers of their own when read: their bytes may
 * lie among other hits' (a store's read arena, Node's Buffer pool), which `.buffer` would
 * otherwise show and which cannot be transferred; copying so few costs little. Larger ones
 * come from reads of their own object and are viewed in place, with no copy.
 */
const OWN_BUFFER_BELOW = 64 * 1024;

const sliceTypedArray = (TYPED_ARRAY_PROTOTYPE as { slice(this: ArrayBufferView): ArrayBufferView }).slice;

/** `view`, or a copy of it with a buffer of its own when it is small and shares one. */
export function ownedView<View extends ArrayBufferView>(view: View): View {
  if (view.byteLength >= OWN_BUFFER_BELOW || view.byteLength === view.buffer.byteLength) return view;
  if (view instanceof DataView) {
    const bytes = view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
    return new DataView(bytes) as ArrayBufferView as View;
  }
  // A copy of the view's own class (a Buffer stays a Buffer) in a buffer of its size.
  return sliceTypedArray.call(view) as View;
}

type Deserializer = InstanceType<typeof DefaultDeserializer>;

/**
 * Node's deserializer, with small typed arrays in buffers of their own (see {@link ownedView});
 * made at the first read, as `node:v8` may load only when first used (the CLI's bundle).
 */
let OwnedDeserializer: (new (bytes: Uint8Array) => Deserializer) | undefined;

function ownedDeserializer(): new (bytes: Uint8Array) => Deserializer {
  // How Node's deserializer reads a typed array, a Buffer or a DataView (missing from its type declarations).
  const readView = (DefaultDeserializer.prototype as unknown as { _readHostObject(): ArrayBufferView })._readHostObject;
  return class extends DefaultDeserializer {
    _readHostObject(): ArrayBufferView {
      return ownedView(readView.call(this));
    }
  };
}

export function deserializeValue(bytes: Uint8Array): unknown {
  OwnedDeserializer ??= ownedDeserializer();
  const deserializer = new OwnedDeserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}
