/**
 * Argument keys as calls make them: data canonically (canonical-hash.ts), functions
 * and the classes of instances by their definition hash.
 */
import { hashArguments, hashValue as canonicalHash, UnkeyableFunction, type KeyParts } from './canonical-hash.js';
import { valueDefinitionHash, whileKeying } from './definition/index.js';
import { report } from './events.js';
import { recordNodeFunction } from './function-properties.js';
import { parseFunctionSource, readsEnclosingThis } from './function-source.js';

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

/** Whether a function is an arrow function reading the `this` of the code that made it, by function. */
const enclosingThis = new WeakMap<Function, boolean>();

/**
 * {@link codeHash} of a function passed as a value, refusing an arrow function that reads the
 * `this` (or `arguments`) of the function that made it (`predict = (x) => x * this.w`, a class field): that `this`
 * is in no property of the function, so two models' `predict` would share one key. Held by the
 * instance a method's `this` is, such a function reads that instance, which the key holds.
 */
function valueCodeHash(fn: Function): string {
  // Only arrow functions, methods, async and bound functions have no `prototype`: the rest need no parse.
  if (!Object.hasOwn(fn, 'prototype')) {
    let reads = enclosingThis.get(fn);
    if (reads === undefined) {
      const parsed = parseFunctionSource(Function.prototype.toString.call(fn));
      enclosingThis.set(fn, (reads = parsed !== undefined && readsEnclosingThis(parsed.node)));
    }
    if (reads) {
      throw new UnkeyableFunction(
        'an arrow function reading the `this` or `arguments` of the function that made it ' +
          `(${fn.name || 'anonymous'}), which no key can see`,
        'pass the object it reads from and call its method inside the function, or pass a method bound to it ' +
          '(model.predict.bind(model)), whose bound this is keyed',
      );
    }
  }
  return codeHash(fn);
}

/**
 * SHA-256 (hex) of a value as an argument key sees it: equal only for values no
 * ordinary observation tells apart (docs/keys.md); a function by its definition, a
 * class instance by its data and its class's definition.
 */
export function hashValue(value: unknown): string {
  return whileKeying(() => canonicalHash(value, 'args', valueCodeHash));
}

/** The argument hash of one call: its named arguments, seed and `this`. */
export function argumentHash(parts: KeyParts): string {
  return whileKeying(() => hashArguments(parts, valueCodeHash, codeHash));
}
