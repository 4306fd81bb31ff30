/**
 * What one stored call holds, and its conversion to and from object bytes (pure).
 */
import { hostname } from 'node:os';
import { NotSerializableError } from './errors.js';
import {
  decodeObject,
  encodeObject,
  type EncodedObject,
  type ObjectAddress,
  type ObjectExpectation,
} from './object-format.js';
import { isPlainClone, metadataTime } from './clone-scan.js';
import type { Seed } from './seeding.js';
import { assertSerializable, deserializeValue, ownedView, serializePair, serializeValue } from './value-codec.js';
import { FUNES_VERSION } from './version.js';
import { TYPED_ARRAYS } from './typed-arrays.js';

/** One stored call of a memorious function. */
export interface CachedRecord<Output = unknown> {
  /**
   * Parameter name → argument as the call started, in parameter order,
   * literal defaults filled in; `global_seed` for seeded calls.
   */
  readonly input: Record<string, unknown>;
  /**
   * For a method whose key includes `this`: what stood for it, as the call started — the
   * instance's own properties, or what the `thisKey` option returned. Absent otherwise.
   */
  readonly this?: unknown;
  /** What the function returned (the resolved value, for a Promise). */
  readonly output: Output;
  /** Seconds the call took. */
  readonly time: number;
  /** When the call finished. */
  readonly createdAt: Date;
  /** The `withSeed` seed, if the call was seeded; for a call made inside a seeded call, the seed it ran under. */
  readonly seed?: Seed;
  /** Whether the function returned a Promise (a hit then returns one too). */
  readonly async: boolean;
  /** Node.js version, e.g. `v20.20.2`. */
  readonly node: string;
  /** Host name of the computer that computed it. */
  readonly host: string;
  /** `process.platform-process.arch`, e.g. `linux-x64`. */
  readonly platform: string;
  /** Funes version that wrote it. */
  readonly funes: string;
  /**
   * For a function that reads environment variables or files: what each read saw, hashed,
   * by `<kind>:<name>` (`environment:SCALE`, `file:data.csv`), so that `explainMiss` can
   * name the one that changed.
   */
  readonly configuration?: Readonly<Record<string, string>>;
}

export interface RecordFields<Output> {
  input: Record<string, unknown>;
  this?: { readonly value: unknown } | undefined;
  output: Output;
  time: number;
  seed?: Seed | undefined;
  async: boolean;
  configuration?: Readonly<Record<string, string>> | undefined;
}

let host: string | undefined;
const platform = `${process.platform}-${process.arch}`;

/** Adds provenance to a call's fields. */
export function makeRecord<Output>(fields: RecordFields<Output>): CachedRecord<Output> {
  host ??= hostname();
  const record: CachedRecord<Output> = {
    input: fields.input,
    output: fields.output,
    time: fields.time,
    createdAt: new Date(),
    async: fields.async,
    node: process.version,
    host,
    platform,
    funes: FUNES_VERSION,
  };
  const withThis = fields.this === undefined ? record : { ...record, this: fields.this.value };
  const seeded = fields.seed === undefined ? withThis : { ...withThis, seed: fields.seed };
  return fields.configuration === undefined ? seeded : { ...seeded, configuration: fields.configuration };
}

/**
 * A record's payload (object serializer 1) keeps the output apart from the rest, so a
 * hit decodes only the output, and a large typed array is stored as its bytes. In
 * format 2 the output section is such a payload with no metadata (M = 0), and the
 * metadata is the object's metadata section; format 1 holds both in one payload:
 *
 * ```
 * offset size  field
 *      0    1  flags: bit 0 = the function returned a Promise
 *      1    1  output encoding: 1 = structured clone (node:v8), 2 = typed array bytes
 *      2    1  typed array kind (encoding 2: index in TYPED_ARRAYS), else 0
 *      3    1  reserved, 0
 *      4    4  metadata length M, unsigned 32-bit little-endian
 *      8    M  metadata: structured clone of { input, time, createdAt, seed?, node, host, platform, funes,
 *              configuration? }
 *    8+M    …  zero padding to a multiple of 8
 *      …    …  output
 * ```
 */
const PREFIX_SIZE = 8;
const ASYNC_FLAG = 1;
const OutputEncoding = { structuredClone: 1, typedArray: 2 } as const;
/**
 * Typed arrays from this size are written as their bytes, which go to disk as they are,
 * rather than copied by v8.serialize (bench/speed.ts, W3).
 */
const RAW_TYPED_ARRAY_FROM = 64 * 1024;

function rawTypedArrayKind(output: unknown): number {
  if (!ArrayBuffer.isView(output) || output.byteLength < RAW_TYPED_ARRAY_FROM) return -1;
  const proto = Object.getPrototypeOf(output);
  return TYPED_ARRAYS.findIndex((type) => type.prototype === proto);
}

/**
 * What a record stores besides its output and async flag, in the record's order. Copied
 * field by field: the rest operator's generic copy cost a fresh process's misses more.
 */
function storedMetadata(record: CachedRecord): Omit<CachedRecord, 'output' | 'async'> {
  const { input, time, createdAt, node, host, platform, funes } = record;
  const metadata: { -readonly [K in keyof CachedRecord]?: CachedRecord[K] } = {
    input,
    time,
    createdAt,
    node,
    host,
    platform,
    funes,
  };
  if ('this' in record) metadata.this = record.this;
  if ('seed' in record) metadata.seed = record.seed;
  if ('configuration' in record) metadata.configuration = record.configuration;
  return metadata as Omit<CachedRecord, 'output' | 'async'>;
}

function serializedMetadata(metadata: object): Uint8Array {
  try {
    return serializeValue(metadata);
  } catch (error) {
    // Inputs are stored as data: class instances become plain objects, but a function inside one cannot be stored.
    throw new NotSerializableError('input', `a value structured clone rejects (${(error as Error).message})`);
  }
}

/** Strings longer than this in a call's input make its metadata worth serializing apart. */
const SHORT_TEXT = 1024;

/**
 * Whether a record's metadata is small: its input holds only primitives, its strings short,
 * and no `this`. Only then is one serializer for output and metadata worth it: the check of
 * the metadata's bytes costs little, and so does serializing them again when they hold the
 * byte that may refer back (large inputs, which hold it almost always, would pay twice).
 */
function smallMetadata(record: CachedRecord): boolean {
  if ('this' in record) return false;
  const input = record.input;
  for (const key in input) {
    const value = input[key];
    if (typeof value === 'string' ? value.length > SHORT_TEXT : value !== null && typeof value === 'object') {
      return false;
    }
  }
  return true;
}

/** {@link serializePair} of the output and the metadata, or undefined where it throws. */
function serializedTogether(output: unknown, metadata: object): Uint8Array[] | undefined {
  try {
    return serializePair(output, metadata);
  } catch {
    // Serialized apart, which throws what this record always threw, in the same order.
    return undefined;
  }
}

/**
 * Object bytes for a record, sealed under `address`; throws NotSerializableError when the
 * output would not survive. `hashWhileWriting` leaves a large raw object unsealed (see
 * encodeObject).
 */
export function encodeRecord(
  record: CachedRecord,
  options: { readonly hashWhileWriting?: boolean; readonly address?: ObjectAddress } = {},
): EncodedObject {
  try {
    assertSerializable(record.output, 'output');
  } catch (error) {
    // A stack overflow on a very deep value must not turn a computed result into an exception.
    if (error instanceof RangeError) throw new NotSerializableError('output', 'nested too deeply to store');
    throw error;
  }
  const { output, async } = record;
  const metadata = storedMetadata(record);
  const kind = rawTypedArrayKind(output);
  let metadataBytes: Uint8Array;
  let outputBytes: Uint8Array;
  if (kind >= 0) {
    metadataBytes = serializedMetadata(metadata);
    const view = output as ArrayBufferView;
    outputBytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  } else {
    // Indexed, not destructured: a fresh process runs the miss before the JIT has compiled it.
    const pair = smallMetadata(record) ? serializedTogether(output, metadata) : undefined;
    metadataBytes = pair ? pair[1] : serializedMetadata(metadata);
    outputBytes = pair ? pair[0] : serializeValue(output);
  }
  const prefix = new Uint8Array(PREFIX_SIZE);
  prefix[0] = async ? ASYNC_FLAG : 0;
  prefix[1] = kind >= 0 ? OutputEncoding.typedArray : OutputEncoding.structuredClone;
  prefix[2] = Math.max(kind, 0);
  return encodeObject([prefix, outputBytes], {
    metadata: metadataBytes,
    address: options.address,
    hashWhileWriting: options.hashWhileWriting,
  });
}

export type DecodedRecord =
  { readonly ok: true; readonly record: CachedRecord } | { readonly ok: false; readonly reason: string };
/** What a hit needs of a record. */
export type StoredOutput = Pick<CachedRecord, 'output' | 'async'>;
export type DecodedOutput = ({ readonly ok: true } & StoredOutput) | { readonly ok: false; readonly reason: string };

/** Where a payload's sections lie, as its prefix says and its length allows. */
interface Layout {
  readonly async: boolean;
  readonly metadataEnd: number;
  readonly outputStart: number;
}

/**
 * Where the metadata section of a payload that starts with `prefix`
 * ends; the prefix's own size while it is shorter than that.
 */
export function metadataEnd(prefix: Uint8Array): number {
  if (prefix.length < PREFIX_SIZE) return PREFIX_SIZE;
  return PREFIX_SIZE + (prefix[4] | (prefix[5] << 8) | (prefix[6] << 16)) + prefix[7] * 2 ** 24;
}

/** Checks a payload's prefix against the payload's length; every hit runs this, so no view or closure is made. */
function layout(prefix: Uint8Array, payloadLength: number): Layout | string {
  if (payloadLength < PREFIX_SIZE || prefix.length < PREFIX_SIZE) return 'payload shorter than its prefix';
  const end = metadataEnd(prefix);
  const outputStart = end + ((8 - (end % 8)) % 8);
  if (outputStart > payloadLength || (prefix[0] & ~ASYNC_FLAG) !== 0 || prefix[3] !== 0) {
    return 'malformed record prefix';
  }
  const encoding = prefix[1];
  if (encoding === OutputEncoding.typedArray) {
    const type = TYPED_ARRAYS[prefix[2]];
    if (!type || (payloadLength - outputStart) % type.BYTES_PER_ELEMENT !== 0) return 'malformed typed array output';
  } else if (encoding !== OutputEncoding.structuredClone || prefix[2] !== 0) {
    return `unknown output encoding ${encoding}`;
  }
  return { async: (prefix[0] & ASYNC_FLAG) !== 0, metadataEnd: end, outputStart };
}

/** The output a record holds; throws when its bytes do not deserialize. */
function outputOf(payload: Uint8Array, parts: Layout): unknown {
  const bytes = payload.subarray(parts.outputStart);
  if (payload[1] !== OutputEncoding.typedArray) return deserializeValue(bytes);
  const type = TYPED_ARRAYS[payload[2]];
  // A view in place when aligned (large reads always are), else a copy: new Uint8Array
  // copies, where Buffer's slice would return a view at the same misaligned offset.
  const own = bytes.byteOffset % type.BYTES_PER_ELEMENT === 0 ? bytes : new Uint8Array(bytes);
  return ownedView(new type(own.buffer as ArrayBuffer, own.byteOffset, own.length / type.BYTES_PER_ELEMENT));
}

function isMetadata(value: unknown): value is Omit<CachedRecord, 'output' | 'async'> {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.input === 'object' &&
    r.input !== null &&
    typeof r.time === 'number' &&
    (r.configuration === undefined || isHashesByRead(r.configuration))
  );
}

/**
 * Whether a record's `configuration` is what Funes writes: a hash (text) per read. Every
 * tool that lists records reads those hashes as text, so an object planted with anything
 * else there (a pulled cache is someone else's) is not a record, rather than a crash.
 */
function isHashesByRead(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((hash) => typeof hash === 'string')
  );
}

/** The metadata section, deserialized and checked; a string says why it is not a record's. */
function metadataOf(payload: Uint8Array, parts: Layout): Omit<CachedRecord, 'output' | 'async'> | string {
  let metadata: unknown;
  try {
    metadata = deserializeValue(payload.subarray(PREFIX_SIZE, parts.metadataEnd));
  } catch {
    return 'payload does not deserialize';
  }
  return isMetadata(metadata) ? metadata : 'not a record';
}

/** The metadata section of a format-2 object, deserialized and checked. */
function metadataSectionOf(section: Uint8Array): Omit<CachedRecord, 'output' | 'async'> | string {
  let metadata: unknown;
  try {
    metadata = deserializeValue(section);
  } catch {
    return 'metadata does not deserialize';
  }
  return isMetadata(metadata) ? metadata : 'not a record';
}

/**
 * Checks and decodes object bytes; any bytes give a record or a reason, never an
 * exception. With `address`, an object sealed under another key is refused.
 */
export function decodeRecord(bytes: Uint8Array, address?: ObjectAddress): DecodedRecord {
  const object = decodeObject(bytes, undefined, { address });
  if (!object.ok) return object;
  const parts = layout(object.payload, object.payload.length);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  const metadata = object.metadata ? metadataSectionOf(object.metadata) : metadataOf(object.payload, parts);
  if (typeof metadata === 'string') return { ok: false, reason: metadata };
  let output: unknown;
  try {
    output = outputOf(object.payload, parts);
  } catch {
    return { ok: false, reason: 'payload does not deserialize' };
  }
  return { ok: true, record: { ...metadata, output, async: parts.async } };
}

/** A record's verdict, keeping only its `time`: what summing or checking many records needs. */
export type DecodedTime =
  { readonly ok: true; readonly time: number } | { readonly ok: false; readonly reason: string };

/** The `time` of a metadata section (format 2) or of a payload's metadata (format 1), or why it is not a record's. */
function timeOf(section: Uint8Array | undefined, payload: Uint8Array, parts: Layout): DecodedTime {
  const time = section && metadataTime(section);
  if (time !== undefined) return { ok: true, time };
  const metadata = section ? metadataSectionOf(section) : metadataOf(payload, parts);
  return typeof metadata === 'string' ? { ok: false, reason: metadata } : { ok: true, time: metadata.time };
}

/**
 * {@link decodeRecord}'s verdict on object bytes, keeping only the record's `time`: a record
 * of plain values is checked to deserialize without deserializing it.
 */
export function checkRecord(bytes: Uint8Array, address?: ObjectAddress): DecodedTime {
  const object = decodeObject(bytes, undefined, { address });
  if (!object.ok) return object;
  const parts = layout(object.payload, object.payload.length);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  const time = timeOf(object.metadata, object.payload, parts);
  const output = object.payload.subarray(parts.outputStart);
  if (!time.ok || (object.payload[1] !== OutputEncoding.typedArray && isPlainClone(output))) return time;
  try {
    outputOf(object.payload, parts);
  } catch {
    return { ok: false, reason: 'payload does not deserialize' };
  }
  return time;
}

/** What a record holds besides its output. */
export type RecordMetadata = Omit<CachedRecord, 'output'>;
export type DecodedMetadata =
  { readonly ok: true; readonly metadata: RecordMetadata } | { readonly ok: false; readonly reason: string };

/**
 * A format-1 record's metadata from `head`, the start of its payload (at least {@link
 * metadataEnd} bytes of it), without reading its output nor checking the payload's
 * checksum: what listing a cache needs, however large the results.
 */
export function decodeMetadata(head: Uint8Array, payloadLength: number): DecodedMetadata {
  const parts = layout(head, payloadLength);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  if (head.length < parts.metadataEnd) return { ok: false, reason: 'payload shorter than its metadata' };
  const metadata = metadataOf(head, parts);
  if (typeof metadata === 'string') return { ok: false, reason: metadata };
  return { ok: true, metadata: { ...metadata, async: parts.async } };
}

/**
 * A format-2 record's metadata from its output section's start (`outputHead`, at least
 * its prefix) and its checked metadata section, without reading the output.
 */
export function decodeSectionMetadata(
  outputHead: Uint8Array,
  outputSize: number,
  section: Uint8Array,
): DecodedMetadata {
  const parts = layout(outputHead, outputSize);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  const metadata = metadataSectionOf(section);
  if (typeof metadata === 'string') return { ok: false, reason: metadata };
  return { ok: true, metadata: { ...metadata, async: parts.async } };
}

/** {@link decodeSectionMetadata}'s verdict, keeping only the record's `time`. */
export function decodeSectionTime(outputHead: Uint8Array, outputSize: number, section: Uint8Array): DecodedTime {
  const parts = layout(outputHead, outputSize);
  return typeof parts === 'string' ? { ok: false, reason: parts } : timeOf(section, outputHead, parts);
}

/**
 * Checks object bytes and decodes only the output: what a hit needs. `storedDigest` and `expected` as for decodeObject.
 */
export function decodeOutput(bytes: Uint8Array, storedDigest?: string, expected?: ObjectExpectation): DecodedOutput {
  const object = decodeObject(bytes, storedDigest, expected, true);
  if (!object.ok) return object;
  const parts = layout(object.payload, object.payload.length);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  try {
    return { ok: true, output: outputOf(object.payload, parts), async: parts.async };
  } catch {
    return { ok: false, reason: 'payload does not deserialize' };
  }
}
