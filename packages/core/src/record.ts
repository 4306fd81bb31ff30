/**
 * What one stored call holds, and its conversion to and from object bytes (pure).
 */
import { hostname } from 'node:os';
import { NotSerializableError } from './errors.js';
import { decodeObject, encodeObject, type EncodedObject } from './object-format.js';
import type { Seed } from './seeding.js';
import { assertSerializable, deserializeValue, serializeValue } from './value-codec.js';
import { FUNES_VERSION } from './version.js';

/** One stored call of a memorious function. */
export interface CachedRecord<Output = unknown> {
  /** Parameter name → argument, in parameter order, literal defaults filled in; `global_seed` for seeded calls. */
  readonly input: Record<string, unknown>;
  /** What the function returned (the resolved value, for a Promise). */
  readonly output: Output;
  /** Seconds the call took. */
  readonly time: number;
  /** When the call finished. */
  readonly createdAt: Date;
  /** The `withSeed` seed, if the call was seeded. */
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
}

export interface RecordFields<Output> {
  input: Record<string, unknown>;
  output: Output;
  time: number;
  seed?: Seed | undefined;
  async: boolean;
}

let host: string | undefined;

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
    platform: `${process.platform}-${process.arch}`,
    funes: FUNES_VERSION,
  };
  return fields.seed === undefined ? record : { ...record, seed: fields.seed };
}

/** Object bytes for a record; throws NotSerializableError when the output would not survive. */
export function encodeRecord(record: CachedRecord): EncodedObject {
  try {
    assertSerializable(record.output, 'output');
  } catch (error) {
    // A stack overflow on a very deep value must not turn a computed result into an exception.
    if (error instanceof RangeError) throw new NotSerializableError('output', 'nested too deeply to store');
    throw error;
  }
  let payload: Uint8Array;
  try {
    payload = serializeValue(record);
  } catch (error) {
    // Inputs are stored as data: class instances become plain objects, but a function inside one cannot be stored.
    throw new NotSerializableError('input', `a value structured clone rejects (${(error as Error).message})`);
  }
  return encodeObject(payload);
}

export type DecodedRecord = { readonly ok: true; readonly record: CachedRecord } | { readonly ok: false; readonly reason: string };

function isRecord(value: unknown): value is CachedRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return 'output' in r && typeof r.input === 'object' && r.input !== null && typeof r.time === 'number';
}

/** Checks and decodes object bytes; any bytes give a record or a reason, never an exception. */
export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  const object = decodeObject(bytes);
  if (!object.ok) return object;
  let value: unknown;
  try {
    value = deserializeValue(object.payload);
  } catch {
    return { ok: false, reason: 'payload does not deserialize' };
  }
  return isRecord(value) ? { ok: true, record: value } : { ok: false, reason: 'not a record' };
}
