/**
 * Argument keys as calls make them: data canonically (canonical-hash.ts), functions
 * and the classes of instances by their definition hash.
 */
import { hashArguments, hashValue as canonicalHash, type KeyParts } from './canonical-hash.js';
import { valueDefinitionHash } from './definition/index.js';

/**
 * SHA-256 (hex) of a value as an argument key sees it: equal only for values no
 * ordinary observation tells apart (docs/keys.md); a function by its definition, a
 * class instance by its data and its class's definition.
 */
export function hashValue(value: unknown): string {
  return canonicalHash(value, 'args', valueDefinitionHash);
}

/** The argument hash of one call: its named arguments, seed and `this`. */
export function argumentHash(parts: KeyParts): string {
  return hashArguments(parts, valueDefinitionHash);
}
