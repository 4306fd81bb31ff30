/**
 * The engine's eleven typed-array constructors, in the order the record format and argument keys number their
 * kinds: never reordered, as stored records and keys hold those numbers.
 */
export const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
  Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;
