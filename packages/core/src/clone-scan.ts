/**
 * Checking a structured clone (V8's wire format, as `v8.serialize` writes it) without
 * deserializing it, for tools that read many records and keep little of each: `funes log`
 * sums their `time`, `funes verify` only needs to know that they deserialize.
 *
 * The scan follows plain objects, arrays, strings, numbers, dates and the other primitives
 * (what records of plain data hold) and the format's rules for them as V8 applies them.
 * It answers only when it followed every byte of the value; anything else (a Map, a typed
 * array, a back reference, an unusual varint, bytes that break a rule) ends it with no
 * answer, and the caller deserializes instead: its verdict is then V8's own.
 */

const VERSION_TAG = 0xff;
/** The wire format version Node 20's V8 writes; another is left to V8. */
const WIRE_FORMAT = 0x0f;

const PADDING = 0x00;
const UNDEFINED = 0x5f; // '_'
const NULL = 0x30; // '0'
const TRUE = 0x54; // 'T'
const FALSE = 0x46; // 'F'
const INT32 = 0x49; // 'I'
const UINT32 = 0x55; // 'U'
const DOUBLE = 0x4e; // 'N'
const DATE = 0x44; // 'D'
const ONE_BYTE_STRING = 0x22; // '"'
const TWO_BYTE_STRING = 0x63; // 'c'
const OBJECT = 0x6f; // 'o'
const OBJECT_END = 0x7b; // '{'
const DENSE_ARRAY = 0x41; // 'A'
const DENSE_ARRAY_END = 0x24; // '$'
const SPARSE_ARRAY = 0x61; // 'a'
const SPARSE_ARRAY_END = 0x40; // '@'
const HOLE = 0x2d; // '-'

/** Deeper values are left to V8, whose limit is its stack. */
const MAX_DEPTH = 64;
/** A 32-bit varint's bytes: V8 keeps the low 32 bits of the fifth; a longer one is left to V8. */
const MAX_VARINT_BYTES = 5;
/** Longer dense arrays are left to V8, which caps their length. */
const MAX_DENSE_LENGTH = 1 << 26;
/** Longer strings are left to V8, which caps their length. */
const MAX_STRING_BYTES = 1 << 28;

const NOT_FOLLOWED = -1;

/** The top-level properties a record's metadata must have: see `isMetadata` in record.ts. */
const TIME = [0x74, 0x69, 0x6d, 0x65]; // 'time'
const INPUT = [0x69, 0x6e, 0x70, 0x75, 0x74]; // 'input'
const CONFIGURATION = [0x63, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x75, 0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e]; // 'configuration'

const double = new Float64Array(1);
const doubleBytes = new Uint8Array(double.buffer);

class Scan {
  at = 2;
  /** The top of {@link keyStack}. */
  keys = 0;
  /** In a watched object: its `time` when a number, else NaN; whether its `input` is an object. */
  time = NaN;
  inputIsObject = false;
  constructor(readonly bytes: Uint8Array) {}

  /** The next tag, past any padding; {@link NOT_FOLLOWED} at the end. */
  tag(): number {
    const bytes = this.bytes;
    while (this.at < bytes.length) {
      const tag = bytes[this.at++];
      if (tag !== PADDING) return tag;
    }
    return NOT_FOLLOWED;
  }

  /** An unsigned varint; {@link NOT_FOLLOWED} when cut or longer than {@link MAX_VARINT_BYTES}. */
  varint(): number {
    const bytes = this.bytes;
    let value = 0;
    for (let shift = 0; shift < 7 * MAX_VARINT_BYTES && this.at < bytes.length; shift += 7) {
      const byte = bytes[this.at++];
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
    return NOT_FOLLOWED;
  }

  skip(length: number): boolean {
    if (length < 0 || length > this.bytes.length - this.at) return false;
    this.at += length;
    return true;
  }

  /** A number's value, the scan just past its tag; NaN (the caller then deserializes) when it is not one. */
  number(tag: number): number {
    if (tag === INT32 || tag === UINT32) {
      const raw = this.varint();
      if (raw === NOT_FOLLOWED) return NaN;
      return tag === UINT32 ? raw : (raw >>> 1) ^ -(raw & 1);
    }
    if (this.at + 8 > this.bytes.length) return NaN;
    for (let i = 0; i < 8; i++) doubleBytes[i] = this.bytes[this.at + i];
    this.at += 8;
    return double[0];
  }

  /** Scans the value whose tag was just read; false when it is not followed. */
  value(tag: number, depth: number): boolean {
    switch (tag) {
      case UNDEFINED:
      case NULL:
      case TRUE:
      case FALSE:
        return true;
      case INT32:
      case UINT32:
        return this.varint() !== NOT_FOLLOWED;
      case DOUBLE:
      case DATE:
        return this.skip(8);
      case ONE_BYTE_STRING:
      case TWO_BYTE_STRING: {
        const length = this.varint();
        return (tag === ONE_BYTE_STRING || length % 2 === 0) && length <= MAX_STRING_BYTES && this.skip(length);
      }
      case OBJECT:
        return depth < MAX_DEPTH && this.properties(OBJECT_END, depth + 1, true);
      case SPARSE_ARRAY: {
        const length = this.varint();
        return length !== NOT_FOLLOWED && depth < MAX_DEPTH && this.arrayEnd(SPARSE_ARRAY_END, depth + 1, length, true);
      }
      case DENSE_ARRAY: {
        const length = this.varint();
        if (length === NOT_FOLLOWED || length > MAX_DENSE_LENGTH || depth >= MAX_DEPTH) return false;
        for (let i = 0; i < length; i++) {
          const element = this.tag();
          if (element !== HOLE && !this.value(element, depth + 1)) return false;
        }
        return this.arrayEnd(DENSE_ARRAY_END, depth + 1, length, false);
      }
      default:
        return false;
    }
  }

  /**
   * An array's properties, its end tag and the counts after it. A dense array's elements
   * leave it none: a key among them would define an element twice, which V8 refuses.
   */
  arrayEnd(end: number, depth: number, length: number, withProperties: boolean): boolean {
    if (!withProperties) return this.tag() === end && this.varint() === 0 && this.varint() === length;
    return this.properties(end, depth, false) && this.varint() === length;
  }

  /**
   * Key–value pairs up to `end`, then their count, as V8 checks them: keys are strings or
   * numbers, each once. Followed: array indices in ascending order (as V8 writes them), then,
   * where `stringKeys`, strings that cannot spell an index — one-byte ones not all digits,
   * two-byte ones with a character past U+00FF — compared with the object's others. With
   * `stringValues`, every value must be a string.
   */
  properties(end: number, depth: number, stringKeys: boolean, watch = false, stringValues = false): boolean {
    const base = this.keys;
    let count = 0;
    let index = -1;
    for (let tag = this.tag(); tag !== end; tag = this.tag(), count++) {
      let name: readonly number[] | undefined;
      if (tag === INT32) {
        const key = this.number(tag);
        if (!(key > index)) return false;
        index = key;
      } else if (!stringKeys || !this.stringKey(tag, base)) {
        return false;
      } else if (watch) {
        name = this.lastKeyIs(TIME)
          ? TIME
          : this.lastKeyIs(INPUT)
            ? INPUT
            : this.lastKeyIs(CONFIGURATION)
              ? CONFIGURATION
              : undefined;
      }
      const valueTag = this.tag();
      if (stringValues && valueTag !== ONE_BYTE_STRING && valueTag !== TWO_BYTE_STRING) return false;
      if (name === CONFIGURATION) {
        // What `isMetadata` asks of it: an object holding a hash (text) per read.
        if (valueTag !== OBJECT || !(depth < MAX_DEPTH && this.properties(OBJECT_END, depth + 1, true, false, true))) {
          return false;
        }
        continue;
      }
      if (name === TIME) {
        const numeric = valueTag === INT32 || valueTag === UINT32 || valueTag === DOUBLE;
        this.time = numeric ? this.number(valueTag) : NaN;
        // NaN marks "not a number" here: a time that is NaN is left to deserialize.
        if (numeric) {
          if (Number.isNaN(this.time)) return false;
          continue;
        }
      }
      if (name === INPUT) {
        this.inputIsObject = valueTag === OBJECT || valueTag === DENSE_ARRAY || valueTag === SPARSE_ARRAY;
      }
      if (!this.value(valueTag, depth)) return false;
    }
    this.keys = base;
    return this.varint() === count;
  }

  /** Whether the string key kept last spells `name` (one-byte). */
  lastKeyIs(name: readonly number[]): boolean {
    return keyStack[this.keys - 1] === name.length && spells(this.bytes, keyStack[this.keys - 2], name);
  }

  /** A string key the scan is just past the tag of, checked to differ from the keys after `base`, and kept. */
  stringKey(tag: number, base: number): boolean {
    const bytes = this.bytes;
    const length = this.varint();
    const start = this.at;
    if (length > MAX_STRING_BYTES || !this.skip(length) || this.keys + 2 > keyStack.length) return false;
    if (tag === ONE_BYTE_STRING) {
      if (digitsOnly(bytes, start, length)) return false;
    } else if (tag !== TWO_BYTE_STRING || length % 2 !== 0 || !beyondLatin1(bytes, start, length)) {
      return false;
    }
    const kind = tag === ONE_BYTE_STRING ? length : -length;
    for (let k = base; k < this.keys; k += 2) {
      if (keyStack[k + 1] === kind && equalBytes(bytes, keyStack[k], start, length)) return false;
    }
    keyStack[this.keys++] = start;
    keyStack[this.keys++] = kind;
    return true;
  }
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The string keys of the objects being scanned: start and length of each (negative for two-byte ones). */
const keyStack = new Int32Array(2048);

/** Whether a one-byte string is all digits (it may spell an index, which V8 writes as a number). */
function digitsOnly(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (bytes[i] < DIGIT_0 || bytes[i] > DIGIT_9) return false;
  return length > 0;
}

/** Whether a two-byte string (little-endian) has a character past U+00FF, so no one-byte string spells it. */
function beyondLatin1(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start + 1; i < start + length; i += 2) if (bytes[i] !== 0) return true;
  return false;
}

/** Whether `bytes` from `at` hold `name`. */
function spells(bytes: Uint8Array, at: number, name: readonly number[]): boolean {
  for (let i = 0; i < name.length; i++) if (bytes[at + i] !== name[i]) return false;
  return true;
}

function equalBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** A scan of `bytes` past the version header; undefined when the header is not Node 20's. */
function scanOf(bytes: Uint8Array): Scan | undefined {
  return bytes.length >= 2 && bytes[0] === VERSION_TAG && bytes[1] === WIRE_FORMAT ? new Scan(bytes) : undefined;
}

/**
 * Whether `bytes` are a structured clone the scan follows to its end: `v8.deserialize`
 * then reads them without fail. False says nothing: deserialize to know.
 */
export function isPlainClone(bytes: Uint8Array): boolean {
  const scan = scanOf(bytes);
  return scan !== undefined && scan.value(scan.tag(), 0);
}

/**
 * The `time` of a record's metadata section, when the section is a plain object the scan
 * follows whose `input` is an object, whose `time` is a number and whose `configuration`,
 * if any, an object of strings (what `isMetadata` asks of it deserialized); undefined
 * otherwise: deserialize to know.
 */
export function metadataTime(bytes: Uint8Array): number | undefined {
  const scan = scanOf(bytes);
  if (scan === undefined || scan.tag() !== OBJECT || !scan.properties(OBJECT_END, 1, true, true)) return undefined;
  return scan.inputIsObject && !Number.isNaN(scan.time) ? scan.time : undefined;
}
