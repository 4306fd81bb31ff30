/**
 * Argument keys as calls make them: data canonically (canonical-hash.ts), functions
 * and the classes of instances by their definition hash.
 */
import { hashArguments, hashValue as canonicalHash, type KeyParts } from './canonical-hash.js';
import { valueDefinitionHash } from './definition/index.js';
import { report } from './events.js';
import { recordNodeFunction } from './function-properties.js';

/** A function's or class's definition hash; what it may miss is a process warning, once per function. */
export function codeHash(fn: Function): string {
  const { hash, warnings, fromNode } = valueDefinitionHash(fn);
  if (fromNode) recordNodeFunction(fn);
  const name = fn.name || '(anonymous)';
  for (const warning of warnings) {
    report(
      {
        type: 'definition',
        code: 'EDEFINITION',
        function: name,
        message: `${name}, passed as an argument or the class of one: ${warning}`,
      },
      undefined,
      `argument-definition:${hash}:${warning}`,
    );
  }
  return hash;
}

/**
 * SHA-256 (hex) of a value as an argument key sees it: equal only for values no
 * ordinary observation tells apart (docs/keys.md); a function by its definition, a
 * class instance by its data and its class's definition.
 */
export function hashValue(value: unknown): string {
  return canonicalHash(value, 'args', codeHash);
}

/** The argument hash of one call: its named arguments, seed and `this`. */
export function argumentHash(parts: KeyParts): string {
  return hashArguments(parts, codeHash);
}
