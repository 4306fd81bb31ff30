/**
 * Digests of code as the runtime exposes it (`fn.toString()`), for functions that
 * have no file to analyze and for function values found in closures.
 */
import { parseSync } from 'oxc-parser';
import { parseFunctionSource, type AstNode } from '../function-source.js';
import { sha256Hex } from '../sha256.js';
import { localBindings } from './binding-names.js';
import { normalizedCode } from './code-normalization.js';

const nodeHashes = new WeakMap<AstNode, string>();

/** SHA-256 of a node's normal form, computed once per node (shared helpers are reached from many functions). */
export function nodeHash(node: AstNode): string {
  let hash = nodeHashes.get(node);
  if (hash === undefined) {
    hash = sha256Hex(normalizedCode(node, localBindings(node)));
    nodeHashes.set(node, hash);
  }
  return hash;
}

/** Syntax trees of functions' own text, by function: its text never changes. */
const runtimeCode = new WeakMap<Function, AstNode | undefined>();

/** The syntax tree of a function's or class's own text; undefined for native and bound functions. */
export function parseRuntimeCode(fn: Function): AstNode | undefined {
  if (runtimeCode.has(fn)) return runtimeCode.get(fn);
  const node = parseText(Function.prototype.toString.call(fn));
  runtimeCode.set(fn, node);
  return node;
}

function parseText(source: string): AstNode | undefined {
  if (/^class\b/.test(source)) {
    const result = parseSync('class.js', `(${source}\n)`, { sourceType: 'module', preserveParens: false });
    const statement = (result.program.body as unknown as AstNode[])[0];
    return result.errors.length === 0 && statement ? (statement.expression as AstNode) : undefined;
  }
  return parseFunctionSource(source)?.node;
}

/**
 * Hash of a function's own code (its parsed `node`); its text, name
 * and arity when it does not parse (native or bound functions).
 */
export function functionCodeHash(fn: Function, node: AstNode | undefined = parseRuntimeCode(fn)): string {
  return node ? nodeHash(node) : sha256Hex(`unparsed:${fn.name}:${fn.length}:${Function.prototype.toString.call(fn)}`);
}

/** The names a function's own code uses without declaring them. */
