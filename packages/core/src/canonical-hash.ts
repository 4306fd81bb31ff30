/**
 * Canonical argument hashing (pure). Values are written into a tagged byte encoding
 * in which equal values give equal bytes in every process and on every machine —
 * object keys in a canonical order, Map and Set contents sorted by their own encodings, types kept
 * apart (1, "1", 1n, true; a Date and its number) — and the bytes are hashed with SHA-256.
 *
 * Equality is SameValue: NaN equals NaN, -0 differs from 0. A property set to
 * `undefined` differs from a missing one (`'x' in o` can tell them apart).
 */
import { types } from 'node:util';
import { FunesError, UnhashableArgumentError } from './errors.js';
import {
  boxedPrototype,
  boxedValue,
  dataViewBytes,
  dateTime,
  mapEntries,
  maximumByteLength,
  builtinKind,
  regExpParts,
  setItems,
  slotKind,
  typedArraySlots,
  type SlotKind,
} from './builtin-slots.js';
import { isNaturalFunctionKey } from './function-properties.js';
import { MemoryWindows } from './memory-windows.js';
import { hasNamedProperties, isElementKey, isElementOrLengthKey } from './named-properties.js';
import { sha256Hex } from './sha256.js';
import { TYPED_ARRAYS } from './typed-arrays.js';

/**
 * A class can say which value stands for its instances in cache keys by defining a
 * method under this symbol, e.g. `[funesKey]() { return { rows: this.rows } }`.
 */
export const funesKey: unique symbol = Symbol.for('funes.key');

const enum Tag {
  Undefined = 0,
  Null,
  False,
  True,
  Number,
  BigInt,
  String,
  Array,
  Hole,
  Object,
  Date,
  RegExp,
  Map,
  Set,
  ArrayBuffer,
  TypedArray,
  DataView,
  Boxed,
  Error,
  Instance,
  BackReference,
  KeyedInstance,
  // Key format 2: tags that only values format 1 keyed wrongly (or refused) are written with.
  Symbol,
  /** A value with own properties its base encoding leaves out, followed by them. */
  Properties,
  /** An object whose prototype is not a class's (`Object.create(base)`), with that prototype. */
  Prototype,
  /** An instance of a built-in's subclass (`class Grid extends Array`), with its class. */
  Subclass,
  /** A function, by its definition hash. */
  Function,
  /** The definition hash of an instance's class, before the instance. */
  Class,
  /** What the `key` option returned, in place of the named arguments. */
  ChosenKey,
  /** Memory shared between threads, by the bytes it holds. */
  SharedArrayBuffer,
  /** A buffer that can grow (resizable, or growable if shared), with its maximum length, before the buffer. */
  Resizable,
  /** An object met before, not on the path (`[o, o]`): the number of the object it is, in the order they were met. */
  SharedReference,
  /** An accessor of an object written as a prototype (`Object.create(base)`), by its getter and setter. */
  Accessor,
  /**
   * Before a view or buffer whose memory one met before shows too (`[bytes, bytes.buffer]`): each such one,
   * by number, and where this one starts from where that one does.
   */
  Overlap,
}

/**
 * How functions and classes met in a value are hashed: by their definition (their code
 * and what it uses). Argument keys pass the definition module's; without one, a function
 * is refused and an instance is keyed by its class's name alone.
 */
export type CodeHasher = (fn: Function) => string;

/**
 * What a {@link CodeHasher} throws for a function no key can stand for: the encoder
 * refuses it (`EUNHASHABLE`), naming where it is in the value.
 */
export class UnkeyableFunction extends Error {
  constructor(
    readonly what: string,
    readonly hint: string,
  ) {
    super(what);
  }
}

const TYPED_ARRAY_KINDS: string[] = TYPED_ARRAYS.map((type) => type.name);
const TYPED_ARRAY_PROTOTYPES: object[] = TYPED_ARRAYS.map((type) => type.prototype);
/** A Buffer is a kind of its own: `String(buffer)` is its text, where a Uint8Array's is its numbers. */
const BUFFER_KIND = TYPED_ARRAY_KINDS.length;
const TYPED_ARRAY_KINDS_BY_PROTOTYPE = new Map<object | null, number>([
  ...TYPED_ARRAY_PROTOTYPES.map((prototype, kind) => [prototype, kind] as const),
  [Buffer.prototype, BUFFER_KIND],
]);

/** The well-known symbols (`Symbol.iterator`), the same in every process, by name. */
const WELL_KNOWN_SYMBOLS = new Map<symbol, string>(
  Object.getOwnPropertyNames(Symbol)
    .filter((name) => typeof (Symbol as unknown as Record<string, unknown>)[name] === 'symbol')
    .map((name) => [(Symbol as unknown as Record<string, symbol>)[name], `Symbol.${name}`]),
);

/**
 * What stands for a symbol in a key: a registered symbol's key,
 * a well-known symbol's name; undefined for a unique symbol.
 */
function symbolName(symbol: symbol): { readonly registered: boolean; readonly text: string } | undefined {
  const key = Symbol.keyFor(symbol);
  if (key !== undefined) return { registered: true, text: key };
  const known = WELL_KNOWN_SYMBOLS.get(symbol);
  return known === undefined ? undefined : { registered: false, text: known };
}

/** Whether an own string key of `v` is one its kind's base encoding already covers. */
type NaturalKey = (v: object, key: string) => boolean;
const noNaturalKeys: NaturalKey = () => false;
/** For a typed array without named properties: nothing to list. */
const allKeysNatural: NaturalKey = () => true;
const isElementOrLength: NaturalKey = (v, key) => isElementOrLengthKey(v as { length: number }, key);
/** A RegExp's `lastIndex` is keyed only once a global or sticky search has moved it. */
const isUnusedLastIndex: NaturalKey = (v, key) => key === 'lastIndex' && (v as RegExp).lastIndex === 0;
/**
 * An error's message is in its base encoding, but not whether it is enumerable, as one assigned where the
 * error had none is (`{ ...error }` and JSON show it); its stack says where it was made, not what it is.
 */
const isErrorOwnKey: NaturalKey = (v, key) =>
  key === 'stack' || (key === 'message' && !Object.prototype.propertyIsEnumerable.call(v, key));
const isEnumerableStringKey: NaturalKey = (v, key) => Object.prototype.propertyIsEnumerable.call(v, key);

const UNHASHABLE_TAGS: Record<string, string> = {
  '[object WeakMap]': 'a WeakMap',
  '[object WeakSet]': 'a WeakSet',
  '[object WeakRef]': 'a WeakRef',
  '[object Promise]': 'a Promise',
  '[object Generator]': 'a generator',
  '[object AsyncGenerator]': 'an async generator',
  '[object FinalizationRegistry]': 'a FinalizationRegistry',
  '[object Array Iterator]': 'an iterator',
  '[object String Iterator]': 'an iterator',
  '[object RegExp String Iterator]': 'an iterator',
  '[object Map Iterator]': 'an iterator',
  '[object Set Iterator]': 'an iterator',
  '[object Segmenter String Iterator]': 'an iterator',
  '[object Iterator Helper]': 'an iterator',
};

const ERROR_PROTOTYPES = new Set<unknown>(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError].map(
    (c) => c.prototype,
  ),
);

const textEncoder = new TextEncoder();

/**
 * Where an instance keeps state no key can see: in `#private` members, in a map its class keys by the
 * instance (`state.set(this, …)`, the WeakMap idiom of private state), or in slots inside the engine
 * (an `Intl` formatter, a built-in of another realm); no own property shows any of them.
 */
type HiddenState = 'private' | 'side-table' | 'engine';
const hiddenStates = new WeakMap<object, HiddenState | null>();

/** Whether a constructor is the engine's own (`function NumberFormat() { [native code] }`), not `Object`'s. */
function isEngineClass(ctor: Function, source: string): boolean {
  const prototype = (ctor as { prototype?: unknown }).prototype;
  return /\{\s*\[native code\]\s*\}$/.test(source) && typeof prototype === 'object' && ctor.name !== 'Object';
}

/**
 * `#private` members as compilers lower them (esbuild, and so tsx, whenever a class has decorators; tsc and SWC
 * below ES2022; Babel): the state moves into WeakMaps that the class's text reaches only through these helpers.
 */
const LOWERED_PRIVATE =
  /\b(?:__private(?:Add|Get|Set|Method|Wrapper|In)|__classPrivateField\w+|_classPrivate\w*|_class_private_\w*)\s*\(/;

/**
 * A `#private` member as a class body declares it: a field with or without a value — ended
 * by `=`, `;`, `}`, a line break (code written without semicolons) or a comment — or a method.
 * Every private field is declared so, however it is later assigned (`this.#n ??= n`,
 * `[this.#a, this.#b] = pair`).
 */
const PRIVATE_MEMBER = new RegExp(
  String.raw`#[\p{ID_Start}$_\\](?:\p{ID_Continue}|[$\\]|\u200C|\u200D)*` +
    String.raw`(?:\s*[=;(}]|[ \t]*(?:[\r\n\u2028\u2029]|\/[/*]))`,
  'u',
);

/** The state a class (or a class it extends) keeps out of its instances' own properties, if any. */
function hiddenState(ctor: unknown): HiddenState | undefined {
  if (typeof ctor !== 'function' || ctor === Object) return undefined;
  let known = hiddenStates.get(ctor);
  if (known === undefined) {
    const source = Function.prototype.toString.call(ctor);
    if (source.startsWith('class') && PRIVATE_MEMBER.test(source)) known = 'private';
    else if (LOWERED_PRIVATE.test(source)) known = 'private';
    else if (/\.\s*set\s*\(\s*this\s*[,)]/.test(source)) known = 'side-table';
    else if (isEngineClass(ctor, source)) known = 'engine';
    else known = hiddenState(Object.getPrototypeOf(ctor)) ?? null;
    hiddenStates.set(ctor, known);
  }
  return known ?? undefined;
}

/** Intl.Segmenter's segments, whose text no property shows; found at the first object made from a prototype. */
let segmentsPrototype: object | undefined;
function isSegments(proto: object | null): boolean {
  segmentsPrototype ??= Object.getPrototypeOf(new Intl.Segmenter().segment('')) as object;
  return proto === segmentsPrototype;
}

const FLOAT = new Float64Array(1);
const FLOAT_WORDS = new Uint32Array(FLOAT.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes a number's bits (little-endian) at `at`, copied through a Float64Array read as
 * two 32-bit words: on long runs of numbers the JIT makes these stores faster than
 * `DataView.setFloat64` or a copy of the eight bytes (docs/performance.md).
 */
function writeBits(bytes: Uint8Array, at: number, n: number): void {
  // One bit pattern for every NaN, so NaN keys equal NaN keys.
  const bits = n === n ? n : NaN;
  if (!LITTLE_ENDIAN) {
    new DataView(bytes.buffer, bytes.byteOffset).setFloat64(at, bits, true);
    return;
  }
  FLOAT[0] = bits;
  const low = FLOAT_WORDS[0];
  const high = FLOAT_WORDS[1];
  bytes[at] = low;
  bytes[at + 1] = low >>> 8;
  bytes[at + 2] = low >>> 16;
  bytes[at + 3] = low >>> 24;
  bytes[at + 4] = high;
  bytes[at + 5] = high >>> 8;
  bytes[at + 6] = high >>> 16;
  bytes[at + 7] = high >>> 24;
}

/** Writes a number's tag and its bits at `at`; returns where it ends. */
function writeNumber(bytes: Uint8Array, at: number, n: number): number {
  bytes[at] = Tag.Number;
  writeBits(bytes, at + 1, n);
  return at + 9;
}

class ByteWriter {
  bytes = new Uint8Array(1024);
  view = new DataView(this.bytes.buffer);
  length = 0;

  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  tag(tag: Tag): void {
    this.reserve(1);
    this.bytes[this.length++] = tag;
  }

  byte(n: number): void {
    this.reserve(1);
    this.bytes[this.length++] = n;
  }

  u32(n: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, n, true);
    this.length += 4;
  }

  /** A number with its tag. */
  number(n: number): void {
    this.reserve(9);
    this.length = writeNumber(this.bytes, this.length, n);
  }

  /**
   * A property with an ASCII key and a number value, the commonest member, written as
   * `string(key)` then `number(n)` would; false, with nothing written, for any other key.
   */
  numberProperty(key: string, n: number): boolean {
    const size = key.length;
    this.reserve(13 + size);
    const bytes = this.bytes;
    const start = this.length;
    let at = start + 4;
    for (let i = 0; i < size; i++) {
      const code = key.charCodeAt(i);
      if (code > 0x7f) return false;
      bytes[at++] = code;
    }
    bytes[start] = size;
    bytes[start + 1] = size >>> 8;
    bytes[start + 2] = size >>> 16;
    bytes[start + 3] = size >>> 24;
    this.length = writeNumber(bytes, at, n);
    return true;
  }

  f64(n: number): void {
    this.reserve(8);
    // One bit pattern for every NaN, so NaN keys equal NaN keys.
    this.view.setFloat64(this.length, Number.isNaN(n) ? NaN : n, true);
    this.length += 8;
  }

  /** A length-prefixed UTF-8 string; short ASCII strings (most keys) are copied directly, faster than encodeInto. */
  string(s: string): void {
    const n = s.length;
    this.reserve(4 + n * 3);
    const start = this.length + 4;
    const bytes = this.bytes;
    let i = 0;
    for (; i < n; i++) {
      const code = s.charCodeAt(i);
      if (code > 0x7f) break;
      bytes[start + i] = code;
    }
    // UTF-8 cannot hold a lone surrogate (half of an emoji): such a string is written as
    // its UTF-16 code units, its length marked by the top bit no UTF-8 length reaches.
    if (i < n && !(s as unknown as { isWellFormed(): boolean }).isWellFormed()) return this.codeUnits(s);
    const written = i === n ? n : i + textEncoder.encodeInto(s.slice(i), bytes.subarray(start + i)).written;
    this.view.setUint32(this.length, written, true);
    this.length = start + written;
  }

  private codeUnits(s: string): void {
    this.u32((0x80000000 | s.length) >>> 0);
    this.reserve(2 * s.length);
    for (let i = 0; i < s.length; i++) {
      this.view.setUint16(this.length, s.charCodeAt(i), true);
      this.length += 2;
    }
  }

  /** Bytes as they are, with no length. */
  append(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  raw(data: Uint8Array): void {
    this.u32(data.length);
    this.append(data);
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/**
 * The canonical order of object keys: shorter first, then by UTF-16 code units. Any
 * fixed order would do; this one is what objects built in a loop (`k0`…`k99`, or
 * integer keys) already have, so the linear check in {@link inCanonicalOrder} usually
 * saves the sort, the dearest step for large objects.
 */
function compareKeys(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Key lists of up to this many keys are remembered (their canonical order, their members' encoding). */
const REMEMBERED_KEYS = 256;
/** How many key lists are remembered: a few shapes alternate (a table's rows and the records inside them). */
const REMEMBERED_SHAPES = 4;
/** The largest members' encoding remembered for a shape. */
const REMEMBERED_BYTES = 1 << 14;
/** The fewest keys whose members' encoding is remembered. */
const NUMBERED_KEYS = 8;

/**
 * A key list met before, as `Object.keys` listed it. Objects of one shape (the rows of a
 * table, the groups of a nested record) list the same keys in the same order: matched key
 * by key, the list is sorted once rather than once per object, and once an object of the
 * shape held only numbers, its members' encoding is kept, so the next ones copy every
 * key's bytes at once and write only their numbers over it.
 */
interface Shape {
  readonly listed: readonly string[];
  /** The same keys in canonical order. */
  readonly keys: readonly string[];
  /** Each key followed by a number, as `ByteWriter.numberProperty` writes them; the numbers are overwritten. */
  numbers: Uint8Array | undefined;
}

const shapes: Shape[] = [];
let nextShape = 0;

function knownShape(listed: readonly string[]): Shape | undefined {
  for (let entry = 0; entry < shapes.length; entry++) {
    const shape = shapes[entry];
    const known = shape.listed;
    if (known.length !== listed.length || known[0] !== listed[0]) continue;
    let same = 1;
    while (same < listed.length && listed[same] === known[same]) same++;
    if (same === listed.length) return shape;
  }
  return undefined;
}

function rememberShape(listed: readonly string[], keys: readonly string[], numbers?: Uint8Array): Shape {
  const shape: Shape = { listed, keys, numbers };
  shapes[nextShape] = shape;
  nextShape = (nextShape + 1) % REMEMBERED_SHAPES;
  return shape;
}

/** Whether keys listed by `Object.keys` are in canonical order already (usually). */
function inCanonicalOrder(listed: readonly string[]): boolean {
  let previous = listed[0];
  for (let i = 1; i < listed.length; i++) {
    const key = listed[i];
    if (previous.length > key.length || (previous.length === key.length && previous > key)) return false;
    previous = key;
  }
  return true;
}

/**
 * The shape of keys as `Object.keys` listed them: a remembered one, or a new one when they
 * need sorting; undefined when they are new and already in canonical order. Objects of
 * fewer than {@link NUMBERED_KEYS} keys are written faster than matched: only their
 * sorting is worth remembering.
 */
function shapeOf(listed: string[]): Shape | undefined {
  const known = listed.length >= NUMBERED_KEYS ? knownShape(listed) : undefined;
  if (known) return known;
  if (inCanonicalOrder(listed)) return undefined;
  // Too many keys to remember: sorted for this object alone.
  if (listed.length > REMEMBERED_KEYS) return { listed, keys: listed.sort(compareKeys), numbers: undefined };
  const small = listed.length < NUMBERED_KEYS ? knownShape(listed) : undefined;
  if (small) return small;
  const original = listed.slice();
  return rememberShape(original, listed.sort(compareKeys));
}

/**
 * Whether `keys`, as `Object.keys` listed them, are all of `v`'s own keys: none is
 * non-enumerable and none a symbol. Two counts tell it (Reflect.ownKeys, one call, costs
 * ten times more on a small object).
 */
function ownKeysListed(v: object, keys: readonly string[]): boolean {
  return Object.getOwnPropertyNames(v).length === keys.length && Object.getOwnPropertySymbols(v).length === 0;
}

type PathSegment = string | number | { readonly label: string };

/** Whether any own property of `v` is an accessor (a getter, a setter or both). */
function hasAccessor(v: object): boolean {
  for (const key of Reflect.ownKeys(v)) {
    const descriptor = Object.getOwnPropertyDescriptor(v, key);
    if (descriptor !== undefined && 'get' in descriptor) return true;
  }
  return false;
}

/** Writes a number, string, boolean, bigint, undefined or null; false for anything else. */
function writePrimitive(out: ByteWriter, v: unknown): boolean {
  switch (typeof v) {
    case 'number':
      out.number(v);
      return true;
    case 'string':
      out.tag(Tag.String);
      out.string(v);
      return true;
    case 'undefined':
      out.tag(Tag.Undefined);
      return true;
    case 'boolean':
      out.tag(v ? Tag.True : Tag.False);
      return true;
    case 'bigint':
      out.tag(Tag.BigInt);
      out.string(v.toString(16));
      return true;
    case 'object':
      if (v !== null) return false;
      out.tag(Tag.Null);
      return true;
    default:
      return false;
  }
}

/**
 * The longest array keyed: each index is written, holes too, so a sparse array as long as
 * an array may be (`a[2 ** 32 - 2] = 1`) would take minutes and more memory than there is.
 * No array longer than this holds its items densely in V8.
 */
const LONGEST_KEYED_ARRAY = 2 ** 27;

/** What stands for the length of an error's name or message that is not a string: more than any string's. */
const NOT_A_STRING = 0xffffffff;

/** How deep a path is searched linearly for cycles before a Map indexes it. */
const DEEP_PATH = 64;
/** How many objects met are searched linearly for one met again before a Set holds them. */
const FEW_OBJECTS = 64;
/**
 * Objects met are held in Sets of at most this many: V8 builds a Set this size several
 * times faster per object than one of tens of thousands (whose table it keeps apart from
 * other objects), and a lookup in a few of them costs less than the difference.
 */
const MET_CHUNK = 4096;
/** Past this many full chunks the last Set grows without bound: a lookup in each chunk would cost more. */
const MAX_MET_CHUNKS = 16;
/** How much of a path an error message shows. */
const SHOWN_PATH = 12;

/**
 * What to do about an instance whose state no key can see: a class of the platform (URL,
 * Headers, AbortSignal) is not the caller's to give a method; the caller's own class is.
 */
function stateHint(className: string, ctor: unknown): string {
  if ((globalThis as Record<string, unknown>)[className] === ctor) {
    return `pass the data it is made from instead (a URL's href), and make the ${className} inside the function`;
  }
  return `give ${className} a [funesKey]() method returning the state that matters ` +
      '(import { funesKey } from "@funes/core")';
}

class Encoder {
  /**
   * Objects on the path from the root to the value being written, for cycles. An array,
   * as most paths are short: a Map per key made a quarter of a small key's garbage.
   */
  private readonly ancestors: object[] = [];
  private deepAncestors: Map<object, number> | undefined;
  /**
   * Every object met so far, numbered in the order met: `a[0] === a[1]` tells `[o, o]`
   * from two copies of `o`. Members of Maps and Sets, which are sorted by their bytes
   * after they are written, are not numbered (their order of meeting is not the order
   * written), though they may point to an object numbered before. An array while there
   * are few, as for the path; then Sets of {@link MET_CHUNK}, which keep the order of adding.
   */
  private readonly metFew: object[] = [];
  private metMany: Set<object>[] | undefined;
  /** The number of each object in {@link metMany}, made once one of them is met again. */
  private numbers: Map<object, number> | undefined;
  /** How many Map or Set members are being written, one inside the other. */
  private isolation = 0;
  /** The memory of the views and buffers met so far, but those in Map and Set members, which are not numbered. */
  private windows: MemoryWindows<object> | undefined;
  /** Instances whose `[funesKey]()` result is being written, innermost last: see {@link keyedItself}. */
  private readonly keying: object[] = [];
  /** The object being written as a prototype not a class's (`Object.create(base)`), whose accessors count by code. */
  private prototypeWritten: object | null = null;
  /**
   * The path below the root to the value being written; turned into text only for an
   * error message. A member's segment is left in place when writing it throws, so the
   * error names where it happened.
   */
  private readonly path: PathSegment[] = [];

  constructor(
    private out: ByteWriter,
    private readonly root: string,
    private readonly code: CodeHasher | undefined,
    /** Whether the root's class is known already: `this` of a method, whose class the definition hash covers. */
    private readonly rootClassKnown = false,
  ) {}

  private fail(what: string, hint: string): never {
    let text = this.root;
    for (const segment of this.path.slice(0, SHOWN_PATH)) {
      text +=
        typeof segment === 'number' ? `[${segment}]` : typeof segment === 'string' ? `.${segment}` : segment.label;
    }
    if (this.path.length > SHOWN_PATH) text += '…';
    throw new UnhashableArgumentError(text, what, hint + this.optionHint());
  }

  /** The options that would leave the value out: for an argument, `ignore` and `key`; for `this`, `thisKey`. */
  private optionHint(): string {
    if (this.root === 'this') {
      return "; or give the method's options a thisKey: a function returning the state that matters, or 'ignore'";
    }
    const parameter = this.root === 'args' ? this.path[0] : undefined;
    if (typeof parameter !== 'string') return '';
    return `; or leave the argument out of the key with the option ignore: [${JSON.stringify(parameter)}], ` +
        `or choose what stands for the arguments with the option key: (...args) => value`;
  }

  /**
   * Writes a whole value: the encoder's entry point. Whatever a
   * getter, a Proxy trap or `[funesKey]()` throws becomes EUNHASHABLE.
   */
  write(v: unknown): void {
    try {
      this.value(v);
    } catch (error) {
      if (error instanceof FunesError) throw error;
      // The encoder recurses; a value nested thousands deep (a long linked list) runs out of stack.
      if (error instanceof RangeError && /call stack/.test(error.message)) {
        this.fail(
          `nested ${this.path.length} levels deep, more than the stack allows`,
          'pass it in a flatter form, such as an array of its items, ' +
              'or give its class a [funesKey]() method returning one',
        );
      }
      // Reading a buffer whose memory was transferred away fails inside the engine, not in a getter.
      if (error instanceof TypeError && /detached ArrayBuffer/.test(error.message)) {
        this.fail(
          'a detached ArrayBuffer, or a view of one: its memory was transferred away (to a worker, or by ' +
              'structuredClone with transfer)',
          'pass a copy made before the transfer (buffer.slice(0))',
        );
      }
      // A strict function's `arguments` object throws on `.callee` by design.
      if (error instanceof TypeError && this.path.at(-1) === 'callee' && /'callee'/.test(error.message)) {
        this.path.pop();
        this.fail('the arguments object of a function', 'pass Array.from(arguments) instead, or use a rest parameter');
      }
      const thrown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.fail(
        `a value that throws when read — a getter, a Proxy trap or a revoked Proxy (${thrown})`,
        'pass the plain data it stands for instead',
      );
    }
  }

  /** A member of an object or array; primitives (most members) are written without tracking their path. */
  private child(segment: PathSegment, v: unknown): void {
    if (writePrimitive(this.out, v)) return;
    this.path.push(segment);
    this.value(v);
    this.path.pop();
  }

  /** A property's value; when its getter throws, the path names it. */
  private read(v: object, key: PropertyKey, segment: PathSegment): unknown {
    try {
      return (v as Record<PropertyKey, unknown>)[key];
    } catch (error) {
      this.path.push(segment);
      throw error;
    }
  }

  value(v: unknown): void {
    const out = this.out;
    if (writePrimitive(out, v)) return;
    switch (typeof v) {
      case 'function':
        if (!this.code) {
          return this.fail(
            'a function',
            'pass the data it would compute, or add the function to `deps` and pass its name',
          );
        }
        return this.function(v);
      case 'symbol':
        out.tag(Tag.Symbol);
        return this.symbol(v);
    }
    const depth = this.depthOf(v as object);
    if (depth !== undefined) {
      if (this.keying.length > 0 && this.keying[this.keying.length - 1] === v) this.keyedItself(v as object);
      out.tag(Tag.BackReference);
      return out.u32(depth);
    }
    if (this.metBefore(v as object)) {
      out.tag(Tag.SharedReference);
      return out.u32(this.numberOf(v as object));
    }
    this.enter(v as object);
    try {
      this.object(v as object);
    } finally {
      this.leave(v as object);
    }
  }

  /**
   * A function: its definition hash, then the own properties its definition does not stand
   * for (`Object.assign(loss, { weight: 2 })`), when it has any; through those it may hold itself.
   */
  private function(v: Function): void {
    if (types.isProxy(v)) {
      // Its text is the engine's (`function () { [native code] }`) whatever its traps run.
      this.fail('a Proxy standing for a function, whose traps run code no key can see', 'pass the function it wraps');
    }
    const out = this.out;
    const depth = this.depthOf(v);
    if (depth !== undefined) {
      out.tag(Tag.BackReference);
      return out.u32(depth);
    }
    // Its definition first: the hasher learns there which of its properties are its maker's.
    let code: string;
    try {
      code = this.code!(v);
    } catch (error) {
      if (error instanceof UnkeyableFunction) this.fail(error.what, error.hint);
      throw error;
    }
    const extras = this.extraKeys(v, isNaturalFunctionKey, isNaturalFunctionKey);
    if (extras) out.tag(Tag.Properties);
    out.tag(Tag.Function);
    out.string(code);
    if (!extras) return;
    this.enter(v);
    try {
      this.extraProperties(v, extras);
    } finally {
      this.leave(v);
    }
  }

  /**
   * Refuses an instance met again inside what its own `[funesKey]()` returned (`return this`,
   * `{ state: this }`): it would be written as a reference back to itself, which is the same
   * for every instance, so all of them would share one key. Met inside what another
   * instance's `[funesKey]()` returned (a node's parent, whose key holds its children), it
   * is a cycle like any other, and what the instance's own `[funesKey]()` returned is keyed.
   */
  private keyedItself(v: object): never {
    const ctor = (v as { constructor?: { name?: string } }).constructor;
    const className = typeof ctor === 'function' && ctor.name ? ctor.name : '<anonymous class>';
    return this.fail(
      `an instance of ${className} whose [funesKey]() returned a value holding the instance itself, ` +
        `under which every ${className} would share one key`,
      'return the state that matters from [funesKey]() ({ rows: this.rows }), not the instance',
    );
  }

  /** A symbol every process can recreate: registered (`Symbol.for`) by its key, a well-known one by its name. */
  private symbol(symbol: symbol): void {
    const name = symbolName(symbol);
    if (name === undefined) {
      this.fail(
        `a unique symbol (${symbol.description === undefined ? 'Symbol()' : `Symbol(${symbol.description})`}) no ` +
            `other process can recreate`,
        "use a registered symbol (Symbol.for('…')) or a string",
      );
    }
    this.out.byte(name.registered ? 0 : 1);
    this.out.string(name.text);
  }

  /** Whether `v` was met before; if not, and it is not inside a Map or Set member, it is numbered next. */
  private metBefore(v: object): boolean {
    const many = this.metMany;
    if (many === undefined) {
      const few = this.metFew;
      if (few.indexOf(v) >= 0) return true;
      if (this.isolation > 0) return false;
      few.push(v);
      if (few.length > FEW_OBJECTS) this.metMany = [new Set(few)];
      return false;
    }
    const last = many.length - 1;
    for (let i = 0; i < last; i++) if (many[i].has(v)) return true;
    const open = many[last];
    if (this.isolation > 0) return open.has(v);
    const size = open.size;
    // One lookup for the commonest case, an object met for the first time.
    if (open.add(v).size === size) return true;
    // Every chunk before the last is full.
    this.numbers?.set(v, last * MET_CHUNK + size);
    if (size + 1 === MET_CHUNK && last + 1 < MAX_MET_CHUNKS) many.push(new Set());
    return false;
  }

  private numberOf(v: object): number {
    if (this.metMany === undefined) return this.metFew.indexOf(v);
    if (this.numbers === undefined) {
      let n = 0;
      this.numbers = new Map();
      for (const chunk of this.metMany) for (const o of chunk) this.numbers.set(o, n++);
    }
    return this.numbers.get(v)!;
  }

  /** Where `v` is on the path from the root, if it is there (a cycle). */
  private depthOf(v: object): number | undefined {
    if (this.deepAncestors) return this.deepAncestors.get(v);
    const depth = this.ancestors.indexOf(v);
    return depth < 0 ? undefined : depth;
  }

  private enter(v: object): void {
    const ancestors = this.ancestors;
    ancestors.push(v);
    if (this.deepAncestors) this.deepAncestors.set(v, ancestors.length - 1);
    else if (ancestors.length > DEEP_PATH) this.deepAncestors = new Map(ancestors.map((a, depth) => [a, depth]));
  }

  private leave(v: object): void {
    this.ancestors.pop();
    this.deepAncestors?.delete(v);
  }

  private object(v: object): void {
    if (Array.isArray(v)) return this.array(v);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype) return this.properties(v, Tag.Object);
    if (ArrayBuffer.isView(v)) return types.isDataView(v) ? this.dataView(v, proto) : this.typedArray(v, proto);
    const kind = builtinKind(v);
    if (kind !== undefined) return this.slots(v, proto, kind);
    const unhashable = UNHASHABLE_TAGS[Object.prototype.toString.call(v)];
    if (unhashable) this.fail(unhashable, 'pass the data it holds instead');
    this.instance(v, proto);
  }

  /** A built-in object read through its slots (builtin-slots.ts), so its prototype does not decide what is read. */
  private slots(v: object, proto: object | null, kind: SlotKind): void {
    const out = this.out;
    switch (kind) {
      case 'ArrayBuffer': {
        const bytes = this.memory(v, new Uint8Array(v as ArrayBuffer));
        return this.builtin(v, proto, ArrayBuffer.prototype, noNaturalKeys, () => {
          this.growth(maximumByteLength(v, false));
          out.tag(Tag.ArrayBuffer);
          out.raw(bytes);
        });
      }
      case 'SharedArrayBuffer': {
        const bytes = this.memory(v, new Uint8Array(v as SharedArrayBuffer));
        return this.builtin(v, proto, SharedArrayBuffer.prototype, noNaturalKeys, () => {
          this.growth(maximumByteLength(v, true));
          out.tag(Tag.SharedArrayBuffer);
          out.raw(bytes);
        });
      }
      case 'Date':
        return this.builtin(v, proto, Date.prototype, noNaturalKeys, () => {
          out.tag(Tag.Date);
          out.f64(dateTime(v));
        });
      case 'RegExp':
        return this.builtin(v, proto, RegExp.prototype, isUnusedLastIndex, () => {
          const { source, flags } = regExpParts(v);
          out.tag(Tag.RegExp);
          out.string(source);
          out.string(flags);
        });
      case 'Map':
        return this.builtin(v, proto, Map.prototype, noNaturalKeys, () => this.map(mapEntries(v)));
      case 'Set':
        return this.builtin(v, proto, Set.prototype, noNaturalKeys, () => this.set(setItems(v)));
      case 'Boxed': {
        const boxed = boxedPrototype(v);
        return this.builtin(v, proto, boxed, boxed === String.prototype ? isElementOrLength : noNaturalKeys, () => {
          out.tag(Tag.Boxed);
          this.value(boxedValue(v, boxed));
        });
      }
      case 'Error': {
        const base = ERROR_PROTOTYPES.has(proto) ? proto : Error.prototype;
        return this.builtin(v, proto, base as object, isErrorOwnKey, () => {
          out.tag(Tag.Error);
          this.text((v as Error).name, '.name');
          this.text((v as Error).message, '.message');
        });
      }
      default:
        return this.fail(`a ${kind}`, 'pass the data it holds instead');
    }
  }

  /** Before a buffer that can grow (`resizable`, `growable`), how far: a fixed one has nothing written. */
  private growth(maximum: number | undefined): void {
    if (maximum === undefined) return;
    this.out.tag(Tag.Resizable);
    this.out.f64(maximum);
  }

  /**
   * The bytes a view or buffer `v` shows, after the views and buffers met before that share
   * memory with it, if any: a write through one shows through the other, which two copies do not.
   */
  private memory(v: object, bytes: Uint8Array): Uint8Array {
    const start = bytes.byteOffset;
    const windows = (this.windows ??= new MemoryWindows());
    const earlier = windows.meet(bytes.buffer, v, start, start + bytes.byteLength, this.isolation === 0);
    if (earlier.length === 0) return bytes;
    const out = this.out;
    out.tag(Tag.Overlap);
    out.u32(earlier.length);
    for (const window of earlier) {
      out.u32(this.numberOf(window.holder));
      out.f64(start - window.start);
    }
    return bytes;
  }

  /** A DataView: the bytes it shows. */
  private dataView(v: DataView, proto: object | null): void {
    const bytes = this.memory(v, dataViewBytes(v));
    this.builtin(v, proto, DataView.prototype, noNaturalKeys, () => {
      this.out.tag(Tag.DataView);
      this.out.raw(bytes);
    });
  }

  /** A typed array: its kind (eleven, and Buffer) and the bytes it shows. */
  private typedArray(v: ArrayBufferView, proto: object | null): void {
    const { kind: name, length, bytes: shown } = typedArraySlots(v);
    const bytes = this.memory(v, shown);
    const kind = TYPED_ARRAY_KINDS_BY_PROTOTYPE.get(proto) ?? TYPED_ARRAY_KINDS.indexOf(name);
    const base = kind === BUFFER_KIND ? Buffer.prototype : TYPED_ARRAY_PROTOTYPES[kind];
    const named = hasNamedProperties(v, false, length);
    const elements: NaturalKey = (_v, key) => isElementKey({ length }, key);
    this.builtin(v, proto, base, named ? elements : allKeysNatural, () => {
      this.out.tag(Tag.TypedArray);
      this.out.u32(kind);
      this.out.raw(bytes);
    });
  }

  /**
   * An error's name or message: a string as one, anything else (`error.name = 5`) marked by
   * a length no string has, then as a value.
   */
  private text(value: unknown, segment: string): void {
    if (typeof value === 'string') return this.out.string(value);
    this.out.u32(NOT_A_STRING);
    this.child({ label: segment }, value);
  }

  private array(v: unknown[]): void {
    const out = this.out;
    if (v.length > LONGEST_KEYED_ARRAY) {
      this.fail(
        `an array of length ${v.length}, too long to key item by item`,
        'pass the items that are set (Object.entries(array), or a Map), or the numbers as a typed array',
      );
    }
    const named = hasNamedProperties(v, true);
    if (named) out.tag(Tag.Properties);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== Array.prototype) this.subclass(proto);
    out.tag(Tag.Array);
    out.u32(v.length);
    for (let i = 0; i < v.length; i++) {
      if (i in v) this.child(i, this.read(v, i, i));
      else {
        out.tag(Tag.Hole);
      }
    }
    if (named) this.extraProperties(v, this.extraKeys(v, isElementOrLength)!);
  }

  private map(entries: Iterable<[unknown, unknown]>): void {
    const encoded: Uint8Array[] = [];
    let i = 0;
    for (const [key, item] of entries) {
      encoded.push(this.isolated(() => {
        this.child({ label: `.<key ${i}>` }, key);
        this.child({ label: `.get(${i})` }, item);
      }));
      i++;
    }
    this.sortedCollection(Tag.Map, encoded);
  }

  private set(items: Iterable<unknown>): void {
    const encoded: Uint8Array[] = [];
    let i = 0;
    for (const item of items) encoded.push(this.isolated(() => this.child({ label: `.<item ${i++}>` }, item)));
    this.sortedCollection(Tag.Set, encoded);
  }

  /**
   * A built-in object: its base encoding (`write`), preceded by its class when it is an
   * instance of a subclass, and followed by the own properties its base encoding does not
   * cover (`natural` says which it does), each only when there are any.
   */
  private builtin(v: object, proto: object | null, base: object, natural: NaturalKey, write: () => void): void {
    const extras = natural === allKeysNatural ? undefined : this.extraKeys(v, natural);
    if (extras) this.out.tag(Tag.Properties);
    if (proto !== base) this.subclass(proto);
    write();
    if (extras) this.extraProperties(v, extras);
  }

  /** The class of an instance of a built-in's subclass (`class Grid extends Array`, a `Buffer`'s subclass). */
  private subclass(proto: object | null): void {
    this.out.tag(Tag.Subclass);
    this.prototype(proto);
  }

  /** A prototype: a class's by the class's name; any other object as a value. */
  private prototype(proto: object | null): void {
    const ctor = proto === null ? undefined : this.read(proto, 'constructor', { label: '.constructor' });
    if (typeof ctor === 'function' && ctor.prototype === proto) {
      this.out.byte(this.code ? 2 : 0);
      this.out.string(ctor.name);
      if (this.code) this.out.string(this.code(ctor));
      return;
    }
    this.out.byte(1);
    const outer = this.prototypeWritten;
    this.prototypeWritten = proto;
    try {
      this.child({ label: '.[[Prototype]]' }, proto);
    } finally {
      this.prototypeWritten = outer;
    }
  }

  private instance(v: object, proto: object | null): void {
    const out = this.out;
    const ctor = this.read(v, 'constructor', { label: '.constructor' });
    const className = typeof ctor === 'function' && ctor.name ? ctor.name : '<anonymous class>';
    const ofClass = typeof ctor === 'function' && ctor.prototype === proto;
    // Editing a method changes what an instance does: its class's definition is part of its key.
    if (ofClass && this.code && !(this.rootClassKnown && this.ancestors.length === 1)) {
      out.tag(Tag.Class);
      out.string(this.code(ctor));
    }
    const keyMethod = this.read(v, funesKey, { label: '[funesKey]' });
    if (typeof keyMethod === 'function') {
      out.tag(Tag.KeyedInstance);
      out.string(className);
      const keyed: unknown = keyMethod.call(v);
      // What a method body without `return` gives: every instance of the class would share one key.
      if (keyed === undefined) {
        this.fail(
          `a ${className} whose [funesKey]() returned undefined`,
          'return the state that matters from [funesKey]() (a method body needs return), ' +
            `or null where every ${className} is alike`,
        );
      }
      this.keying.push(v);
      try {
        return this.child({ label: '[funesKey]()' }, keyed);
      } finally {
        this.keying.pop();
      }
    }
    // The environment is an object of the engine's class that keeps every variable as an own property.
    if (v === process.env) return this.madeFrom(v, proto);
    if (!ofClass) {
      // A built-in whose prototype was replaced (Object.setPrototypeOf(map, null)) is still read as one.
      const kind = slotKind(v);
      if (kind !== undefined) return this.slots(v, proto, kind);
      if (isSegments(proto)) this.fail('the segments of an Intl.Segmenter', 'pass the text and its options instead');
      return this.madeFrom(v, proto);
    }
    const hidden = hiddenState(ctor);
    if (hidden === 'private' || hidden === 'side-table') {
      this.fail(
        hidden === 'private'
          ? `an instance of ${className}, whose #private state no key can see`
          : `an instance of ${className}, whose state its class keeps in a map by instance ` +
              '(`….set(this, …)`), where no key can see it',
        stateHint(className, ctor),
      );
    }
    if (hidden === 'engine') {
      // A built-in of another realm (a vm context, as under Jest) is read as its kind, its prototype keyed with it.
      const kind = slotKind(v);
      if (kind !== undefined) return this.slots(v, proto, kind);
      this.fail(
        `an instance of ${className}, a built-in whose state lives inside the engine, where no key can see it`,
        "pass the data it is made from instead (a formatter's locale and options), and make it inside the function",
      );
    }
    this.properties(v, Tag.Instance, className);
  }

  /** An object made with Object.create(prototype): its prototype, whose properties are read through it, and its own. */
  private madeFrom(v: object, proto: object | null): void {
    this.out.tag(Tag.Prototype);
    this.prototype(proto);
    this.properties(v, Tag.Object);
  }

  /** An object's own enumerable string-keyed properties, in canonical order; any other own property after them. */
  private properties(v: object, tag: Tag, className?: string): void {
    const out = this.out;
    const listed = Object.keys(v);
    if (v === this.prototypeWritten && this.code && hasAccessor(v)) {
      return this.inheritedProperties(v, listed, tag, className);
    }
    const shape = shapeOf(listed);
    const keys = shape ? shape.keys : listed;
    // Every own key counts; most objects have only enumerable string keys.
    const extras = ownKeysListed(v, keys) ? undefined : this.extraKeys(v, isEnumerableStringKey);
    if (extras) out.tag(Tag.Properties);
    out.tag(tag);
    if (className !== undefined) out.string(className);
    out.u32(keys.length);
    const start = out.length;
    const numbered = shape?.numbers ? this.numberMembers(v, keys, shape.numbers) : 0;
    const onlyNumbers = this.members(v, keys, numbered);
    const worthKeeping = keys.length >= NUMBERED_KEYS && keys.length <= REMEMBERED_KEYS;
    if (onlyNumbers && numbered === 0 && worthKeeping && out.length - start <= REMEMBERED_BYTES) {
      const numbers = out.bytes.slice(start, out.length);
      if (shape) shape.numbers = numbers;
      else rememberShape(listed, keys, numbers);
    }
    if (extras) this.extraProperties(v, extras);
  }

  /**
   * The properties of a prototype that has accessors, written as {@link properties} writes
   * them but for each accessor, which counts by its getter's and setter's code: read through
   * an object made from the prototype, a getter runs on that object, so its value read on
   * the prototype itself (`this.w * this.h` there is NaN whatever the code) says nothing.
   */
  private inheritedProperties(v: object, listed: string[], tag: Tag, className?: string): void {
    const out = this.out;
    const keys = listed.sort(compareKeys);
    const extras = ownKeysListed(v, keys) ? undefined : this.extraKeys(v, isEnumerableStringKey);
    if (extras) out.tag(Tag.Properties);
    out.tag(tag);
    if (className !== undefined) out.string(className);
    out.u32(keys.length);
    for (const key of keys) {
      out.string(key);
      this.inherited(v, key, key);
    }
    if (extras) this.extraProperties(v, extras, true);
  }

  /** A prototype's property as objects made from it see it: an accessor by its functions, else by its value. */
  private inherited(v: object, key: string | symbol, segment: PathSegment): void {
    const descriptor = Object.getOwnPropertyDescriptor(v, key);
    if (descriptor === undefined || !('get' in descriptor)) return this.child(segment, this.read(v, key, segment));
    this.out.tag(Tag.Accessor);
    this.child(segment, descriptor.get);
    this.child(segment, descriptor.set);
  }

  /**
   * Writes the properties of `v` from the `from`th of its `keys` on; true when each was
   * an ASCII key with a number, so that the bytes written are its shape's numbers.
   */
  private members(v: object, keys: readonly string[], from: number): boolean {
    const out = this.out;
    let numbers = true;
    // Indexed: for…of costs an iterator per object until the JIT has warmed up.
    for (let i = from; i < keys.length; i++) {
      const key = keys[i];
      const item = this.read(v, key, key);
      if (typeof item === 'number' && out.numberProperty(key, item)) continue;
      numbers = false;
      out.string(key);
      this.child(key, item);
    }
    return numbers;
  }

  /**
   * Writes the properties of `v` whose keys are its shape's by copying the shape's
   * `numbers` and writing each number over its own; stops after the first property that is
   * not a number, written as {@link members} writes it. Returns how many were written.
   */
  private numberMembers(v: object, keys: readonly string[], numbers: Uint8Array): number {
    const out = this.out;
    let at = out.length;
    out.append(numbers);
    const bytes = out.bytes;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = this.read(v, key, key);
      if (typeof item !== 'number') {
        out.length = at;
        out.string(key);
        this.child(key, item);
        return i + 1;
      }
      // Past the key's length, the key and the number's tag, which the kept encoding holds.
      at += 5 + key.length;
      writeBits(bytes, at, item);
      at += 8;
    }
    return keys.length;
  }

  /**
   * The own keys of `v` that `natural` does not claim, strings in
   * canonical order then symbols by name; undefined when none.
   */
  private extraKeys(
    v: object,
    natural: NaturalKey,
    naturalSymbol?: (v: object, key: symbol) => boolean,
  ): (string | symbol)[] | undefined {
    const strings: string[] = [];
    const symbols: { symbol: symbol; order: string }[] = [];
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === 'string') {
        if (!natural(v, key)) strings.push(key);
        continue;
      }
      if (naturalSymbol?.(v, key)) continue;
      const name = symbolName(key);
      if (name === undefined) {
        this.path.push({ label: `[${String(key)}]` });
        this.uniqueSymbolKey(v, key);
      }
      symbols.push({ symbol: key, order: `${name!.registered ? 0 : 1}${name!.text}` });
    }
    if (strings.length === 0 && symbols.length === 0) return undefined;
    strings.sort(compareKeys);
    symbols.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    return [...strings, ...symbols.map(({ symbol }) => symbol)];
  }

  /**
   * Refuses a property keyed by a unique symbol. On an instance, the class that made the
   * key (often a base class such as EventEmitter, not the caller's) is what can choose a key.
   */
  private uniqueSymbolKey(v: object, key: symbol): never {
    const proto = Object.getPrototypeOf(v) as object | null;
    const ctor = proto === null ? undefined : (proto as { constructor?: unknown }).constructor;
    const className = typeof ctor === 'function' && ctor !== Object && ctor.prototype === proto ? ctor.name : '';
    this.fail(
      `a property keyed by a unique symbol (${String(key)}) no other process can recreate`,
      className
        ? stateHint(className, ctor)
        : "key the property with a registered symbol (Symbol.for('…')) or a string",
    );
  }

  /**
   * Own properties beyond a value's base encoding: each key (a
   * string or a symbol), whether it is enumerable, and its value.
   */
  private extraProperties(v: object, keys: readonly (string | symbol)[], inherited = false): void {
    const out = this.out;
    out.u32(keys.length);
    for (const key of keys) {
      const segment: PathSegment = typeof key === 'string' ? key : { label: `[${String(key)}]` };
      if (typeof key === 'string') {
        out.byte(0);
        out.string(key);
      } else {
        out.byte(1);
        this.symbol(key);
      }
      out.byte(Object.prototype.propertyIsEnumerable.call(v, key) ? 1 : 0);
      if (inherited) this.inherited(v, key, segment);
      else this.child(segment, this.read(v, key, segment));
    }
  }

  /** Encodes into a separate buffer, so collection members can be sorted by their bytes. */
  private isolated(write: () => void): Uint8Array {
    const outer = this.out;
    this.out = new ByteWriter();
    this.isolation++;
    try {
      write();
      return this.out.result().slice();
    } finally {
      this.out = outer;
      this.isolation--;
    }
  }

  private sortedCollection(tag: Tag, members: Uint8Array[]): void {
    members.sort(compareBytes);
    this.out.tag(tag);
    this.out.u32(members.length);
    for (const member of members) this.out.raw(member);
  }
}

/** The canonical bytes of a value; `path` names the root in error messages. */
export function canonicalBytes(value: unknown, path = 'args', code?: CodeHasher): Uint8Array {
  const out = new ByteWriter();
  new Encoder(out, path, code).write(value);
  return out.result();
}

/**
 * One writer kept between hashes: allocating its buffer per call was a third of the
 * cost of a small key. A `[funesKey]()` that hashes again while it is taken gets its own.
 */
let spareWriter: ByteWriter | undefined;

function withWriter<T>(use: (out: ByteWriter) => T): T {
  const out = spareWriter ?? new ByteWriter();
  spareWriter = undefined;
  try {
    return use(out);
  } finally {
    out.length = 0;
    // Keep small buffers only, so one huge argument does not pin its memory.
    if (out.bytes.length <= 1 << 20) spareWriter = out;
  }
}

/** SHA-256 (hex) of a value's canonical bytes. */
export function hashValue(value: unknown, path = 'args', code?: CodeHasher): string {
  return withWriter((out) => {
    new Encoder(out, path, code).write(value);
    return sha256Hex(out.result());
  });
}

/** What every argument key starts with, the string `funes-arguments/1`, encoded once rather than at every call. */
const ARGUMENTS_TAG = (() => {
  const out = new ByteWriter();
  out.string('funes-arguments/1');
  return out.result();
})();

export interface KeyParts {
  /** Named arguments, defaults filled in. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The seed given by `withSeed`, if any, as its key has it (seeding.ts's `seedInKey`). */
  readonly seed?: string | number | readonly [string | number, string] | undefined;
  /**
   * Present when the function reads `this`: the value that stands for it, and whether the
   * definition hash leaves its class uncovered (a subclass inheriting the method, which may
   * override what the method calls through `this`; a class the method was not written in;
   * what `thisKey` returned): that class's code then joins the key.
   */
  readonly self?: { readonly value: unknown; readonly classUncovered?: boolean } | undefined;
  /** What the `key` option returned for the call, which stands for its arguments instead of `input`. */
  readonly chosen?: { readonly value: unknown } | undefined;
}

/**
 * Writes a call's named arguments and seed as the encoder does, when each is a number, string,
 * boolean, bigint, undefined or null and nothing stands for `this` (the commonest call): no
 * encoder is made, so the first calls of a process run and compile little code. False, with
 * bytes partly written, for any other call.
 */
function writePrimitiveArguments(out: ByteWriter, input: Readonly<Record<string, unknown>>, seed: unknown): boolean {
  if (Object.getPrototypeOf(input) !== Object.prototype) return false;
  const keys = Object.keys(input);
  if (!ownKeysListed(input, keys)) return false;
  if (!inCanonicalOrder(keys)) keys.sort(compareKeys);
  out.tag(Tag.Object);
  out.u32(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    out.string(key);
    if (!writePrimitive(out, input[key])) return false;
  }
  if (seed === undefined) out.tag(Tag.Hole);
  else if (!writePrimitive(out, seed)) return false;
  out.tag(Tag.Hole);
  return true;
}

/**
 * The argument hash of one call: its named arguments, seed and `this`, canonically; `selfCode`
 * hashes the functions `this` holds, where that differs from `code`.
 */
export function hashArguments(
  { input, seed, self, chosen }: KeyParts,
  code?: CodeHasher,
  selfCode: CodeHasher | undefined = code,
): string {
  return withWriter((out) => {
    out.append(ARGUMENTS_TAG);
    if (self === undefined && chosen === undefined && writePrimitiveArguments(out, input, seed)) {
      return sha256Hex(out.result());
    }
    out.length = ARGUMENTS_TAG.length;
    if (chosen === undefined) {
      new Encoder(out, 'args', code).write(input);
    } else {
      out.tag(Tag.ChosenKey);
      new Encoder(out, 'key()', code).write(chosen.value);
    }
    if (seed === undefined) out.tag(Tag.Hole);
    else {
      new Encoder(out, 'seed', code).write(seed);
    }
    if (self === undefined) out.tag(Tag.Hole);
    else {
      new Encoder(out, 'this', selfCode, !self.classUncovered).write(self.value);
    }
    return sha256Hex(out.result());
  });
}
