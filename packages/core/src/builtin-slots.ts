/**
 * What a built-in object holds inside the engine (a Map's entries, a Date's time, a typed
 * array's bytes), found and read by the engine's own checks and by this realm's methods
 * called on it: these see the object's internal slots whatever its prototype says, so a
 * Map whose prototype was replaced (`Object.setPrototypeOf(map, Object.prototype)`) or made
 * in another realm (a `vm` context, as under Jest) is still read as a Map.
 */
import { types } from 'node:util';

/** The built-ins a key reads by their slots, each by the prototype an ordinary one of this realm has. */
export type SlotKind =
  | 'DataView'
  | 'TypedArray'
  | 'ArrayBuffer'
  | 'SharedArrayBuffer'
  | 'Date'
  | 'RegExp'
  | 'Map'
  | 'Set'
  | 'Boxed'
  | 'Error'
  | UnlistedKind;

/** Built-ins whose contents cannot be listed, refused whatever their prototype. */
export type UnlistedKind = 'WeakMap' | 'WeakSet' | 'Promise';

function getter(prototype: object, key: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(prototype, key)!.get!;
}

const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayName = getter(typedArrayPrototype, Symbol.toStringTag);
const typedArrayBuffer = getter(typedArrayPrototype, 'buffer');
const typedArrayOffset = getter(typedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getter(typedArrayPrototype, 'byteLength');
const typedArrayLength = getter(typedArrayPrototype, 'length');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const dataViewOffset = getter(DataView.prototype, 'byteOffset');
const dataViewByteLength = getter(DataView.prototype, 'byteLength');

const BOXED_PROTOTYPES: object[] = [
  Number.prototype,
  String.prototype,
  Boolean.prototype,
  BigInt.prototype,
  Symbol.prototype,
];

/**
 * Which of this realm's built-ins `v` is an instance of (a subclass's instance included),
 * by its prototype chain: the engine is asked about slots only where none is found.
 */
export function builtinKind(v: object): SlotKind | undefined {
  if (v instanceof ArrayBuffer) return 'ArrayBuffer';
  if (v instanceof Date) return 'Date';
  if (v instanceof RegExp) return 'RegExp';
  if (v instanceof Map) return 'Map';
  if (v instanceof Set) return 'Set';
  if (BOXED_PROTOTYPES.some((prototype) => Object.prototype.isPrototypeOf.call(prototype, v))) return 'Boxed';
  if (types.isNativeError(v) || v instanceof Error) return 'Error';
  if (v instanceof SharedArrayBuffer) return 'SharedArrayBuffer';
  return undefined;
}

/**
 * Which built-in's slots `v` has, whatever its prototype: for an object that is not an instance
 * of one of this realm's built-ins, though it may hold one's slots. Undefined for none.
 */
export function slotKind(v: object): SlotKind | undefined {
  if (types.isArrayBuffer(v)) return 'ArrayBuffer';
  if (types.isSharedArrayBuffer(v)) return 'SharedArrayBuffer';
  if (types.isDate(v)) return 'Date';
  if (types.isRegExp(v)) return 'RegExp';
  if (types.isMap(v)) return 'Map';
  if (types.isSet(v)) return 'Set';
  if (types.isBoxedPrimitive(v)) return 'Boxed';
  if (types.isNativeError(v)) return 'Error';
  if (types.isWeakMap(v)) return 'WeakMap';
  if (types.isWeakSet(v)) return 'WeakSet';
  if (types.isPromise(v)) return 'Promise';
  return undefined;
}

/** The prototype of this realm's boxed primitives of the kind `v` holds. */
export function boxedPrototype(v: object): object {
  if (types.isNumberObject(v)) return Number.prototype;
  if (types.isStringObject(v)) return String.prototype;
  if (types.isBooleanObject(v)) return Boolean.prototype;
  if (types.isBigIntObject(v)) return BigInt.prototype;
  return Symbol.prototype;
}

/** The primitive a boxed value holds. */
export function boxedValue(v: object, prototype: object): unknown {
  return (prototype as { valueOf(): unknown }).valueOf.call(v);
}

/** A typed array's kind (`Float64Array`), length and the bytes it shows. */
export function typedArraySlots(v: ArrayBufferView): { kind: string; length: number; bytes: Uint8Array } {
  return {
    kind: typedArrayName.call(v) as string,
    length: typedArrayLength.call(v) as number,
    bytes: new Uint8Array(
      typedArrayBuffer.call(v) as ArrayBuffer,
      typedArrayOffset.call(v) as number,
      typedArrayByteLength.call(v) as number,
    ),
  };
}

/** The bytes a DataView shows. */
export function dataViewBytes(v: DataView): Uint8Array {
  return new Uint8Array(
    dataViewBuffer.call(v) as ArrayBuffer,
    dataViewOffset.call(v) as number,
    dataViewByteLength.call(v) as number,
  );
}

const resizable = getter(ArrayBuffer.prototype, 'resizable');
const resizableMaximum = getter(ArrayBuffer.prototype, 'maxByteLength');
const growable = getter(SharedArrayBuffer.prototype, 'growable');
const growableMaximum = getter(SharedArrayBuffer.prototype, 'maxByteLength');

/** How far a resizable ArrayBuffer or a growable SharedArrayBuffer may grow; undefined for one of fixed length. */
export function maximumByteLength(v: object, shared: boolean): number | undefined {
  if (shared) return growable.call(v) === true ? (growableMaximum.call(v) as number) : undefined;
  return resizable.call(v) === true ? (resizableMaximum.call(v) as number) : undefined;
}

/** A Date's time. */
export function dateTime(v: object): number {
  return Date.prototype.getTime.call(v);
}

/** A RegExp's source and flags, as `new RegExp(v)` copies them from its slots. */
export function regExpParts(v: object): { source: string; flags: string } {
  const copy = v instanceof RegExp ? v : new RegExp(v as RegExp);
  return { source: copy.source, flags: copy.flags };
}

/** A Map's entries. */
export function mapEntries(v: object): IterableIterator<[unknown, unknown]> {
  return Map.prototype.entries.call(v as Map<unknown, unknown>);
}

/** A Set's items. */
export function setItems(v: object): IterableIterator<unknown> {
  return Set.prototype.values.call(v as Set<unknown>);
}
