/**
 * Parsing a function's own text (`fn.toString()`) into an ESTree node (pure apart
 * from the parser). The text of a method is not an expression on its own, so it
 * is tried inside the wrappers that make each function form parse.
 */
import { parseSync } from 'oxc-parser';

/** A loosely typed ESTree node, as oxc-parser produces it. */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface ParsedFunction {
  /** The FunctionExpression, FunctionDeclaration or ArrowFunctionExpression. */
  readonly node: AstNode;
  /** The text that was parsed (the function's text inside its wrapper). */
  readonly text: string;
}

const WRAPPERS: readonly [string, string][] = [
  ['(', '\n)'],
  ['({', '\n})'],
  ['(class{', '\n})'],
  // A method's function as its file spells it starts at its parameters: `(n) { … }`.
  ['({m', '\n})'],
  ['({async m', '\n})'],
];

const FUNCTION_TYPES = new Set(['FunctionExpression', 'FunctionDeclaration', 'ArrowFunctionExpression']);

function findFunction(node: unknown): AstNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as AstNode;
  if (FUNCTION_TYPES.has(n.type)) return n;
  for (const key of ['expression', 'properties', 'body', 'value', '0']) {
    const child = (n as Record<string, unknown>)[key];
    const list = Array.isArray(child) ? child : [child];
    for (const item of list) {
      const found = findFunction(item);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Parses a function's text — JavaScript, or TypeScript as written in its file when `lang`
 * says so; undefined for native and bound functions, whose text is not code.
 */
export function parseFunctionSource(source: string, lang: 'js' | 'ts' = 'js'): ParsedFunction | undefined {
  if (source.endsWith('{ [native code] }')) return undefined;
  for (const [open, close] of WRAPPERS) {
    const text = open + source + close;
    const result = parseSync(`function.${lang}`, text, { sourceType: 'module', preserveParens: false });
    if (result.errors.length > 0) continue;
    const node = findFunction(result.program.body[0]);
    if (node) return { node, text };
  }
  return madeInConstructor(source, lang);
}

/**
 * An arrow function reading the `super` or `new.target` of the function that made it
 * (`() => super.fit()` written in a constructor), which parse only inside one: the arrow,
 * parsed as returned by a derived class's constructor.
 */
function madeInConstructor(source: string, lang: 'js' | 'ts'): ParsedFunction | undefined {
  const text = `(class extends Object{constructor(){return(${source}\n)}})`;
  const result = parseSync(`function.${lang}`, text, { sourceType: 'module', preserveParens: false });
  if (result.errors.length > 0) return undefined;
  const constructor = findFunction(result.program.body[0]);
  const statement = (constructor?.body as { body?: AstNode[] } | undefined)?.body?.[0];
  const node = statement?.type === 'ReturnStatement' ? (statement.argument as AstNode | null) : undefined;
  return node?.type === 'ArrowFunctionExpression' ? { node, text } : undefined;
}

/** Calls `visit` on every node below `node`, depth first. Return `false` to skip a node's children. */
export function walk(node: unknown, visit: (node: AstNode) => boolean | void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (!node || typeof node !== 'object' || typeof (node as AstNode).type !== 'string') return;
  if (visit(node as AstNode) === false) return;
  for (const key in node) {
    const child = (node as Record<string, unknown>)[key];
    if (child && typeof child === 'object') walk(child, visit);
  }
}

/** A direct `eval(…)`, whose code may read the caller's `this` and `arguments`. */
function isDirectEval(node: AstNode): boolean {
  const callee = node.callee as AstNode | undefined;
  return node.type === 'CallExpression' && callee?.type === 'Identifier' && callee.name === 'eval';
}

/**
 * Whether a function's own code reads `this` (arrow functions inside it share its `this`),
 * in its body or in a parameter's default (`b = this.scale`), or may, through a direct `eval`.
 */
export function readsThis(fn: AstNode): boolean {
  return fn.type !== 'ArrowFunctionExpression' && usesThis(fn);
}

/**
 * Whether an arrow function reads the `this`, the `arguments` or the `new.target` of the function
 * that made it (`(x) => x * this.k` written in a constructor), which neither its properties nor its
 * scopes show: each instance's arrow runs with its own `this`, under one code.
 */
export function readsEnclosingThis(fn: AstNode): boolean {
  return fn.type === 'ArrowFunctionExpression' && (usesThis(fn) || usesArguments(fn) || ownCodeHas(fn, isNewTarget));
}

/** Whether `this`, `super` or a direct `eval` appears in a function's parameters or body, but in functions it holds. */
function usesThis(fn: AstNode): boolean {
  return ownCodeHas(fn, (node) => node.type === 'ThisExpression' || node.type === 'Super' || isDirectEval(node));
}

/**
 * Whether a function's own code reads its `arguments` object (arrow functions inside it
 * share it), or may, through a direct `eval`. The object shows what a call passed — how
 * many arguments, and `undefined` where a default would be — rather than its parameters' values.
 */
export function readsArguments(fn: AstNode): boolean {
  return fn.type !== 'ArrowFunctionExpression' && usesArguments(fn);
}

/** Whether `arguments` or a direct `eval` appears in a function's parameters or body, but in functions it holds. */
function usesArguments(fn: AstNode): boolean {
  return ownCodeHas(fn, (node) => (node.type === 'Identifier' && node.name === 'arguments') || isDirectEval(node));
}

/** `new.target`: the class or function `new` was called on. */
function isNewTarget(node: AstNode): boolean {
  return node.type === 'MetaProperty' && (node.meta as AstNode).name === 'new';
}

/** Whether a node `found` accepts appears in a function's parameters or body, but in functions it holds. */
function ownCodeHas(fn: AstNode, found: (node: AstNode) => boolean): boolean {
  let seen = false;
  walk([fn.params, fn.body], (node) => {
    if (seen) return false;
    if (found(node)) seen = true;
    return node.type !== 'FunctionExpression' && node.type !== 'FunctionDeclaration';
  });
  return seen;
}
