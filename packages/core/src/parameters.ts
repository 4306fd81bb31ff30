/**
 * A function's parameter list, and how a call's arguments map onto named inputs
 * with literal defaults filled in — so `f(1)` and `f(1, 2)` share one entry when the
 * second parameter defaults to 2, and, inside a destructured parameter
 * (`{ y, z = 3 } = {}`), `f(1, { y: 2 })` and `f(1, { y: 2, z: 3 })` do too.
 */
import { InvalidUsageError } from './errors.js';
import { readsArguments, type AstNode } from './function-source.js';

export interface Parameter {
  /** The parameter's name; `arguments[i]` for destructured parameters, which have none. */
  readonly name: string;
  /** A `...rest` parameter collects the remaining arguments into an array. */
  readonly rest: boolean;
  /** Present when the default is a literal Funes can evaluate without running code. */
  readonly literalDefault?: { readonly value: unknown };
  /** For a destructured parameter: the literal defaults inside its pattern, when it has any. */
  readonly pattern?: PatternDefaults;
  /**
   * Keyed as the call passed it: left out when the call passes fewer arguments, never
   * filled with a default. So are the parameters of a function that reads `arguments`,
   * through which `f(1)` and `f(1, undefined)` differ, as do `f(1)` and `f(1, 2)` where
   * the second parameter defaults to 2.
   */
  readonly asGiven?: true;
}

/** The literal defaults of a destructuring pattern, by property name or array index, nested patterns included. */
export interface PatternDefaults {
  readonly array: boolean;
  readonly members: readonly PatternMember[];
}

interface PatternMember {
  /** The property name, or the index in an array pattern. */
  readonly key: string | number;
  readonly literalDefault?: { readonly value: unknown };
  readonly pattern?: PatternDefaults;
}

const NOT_LITERAL = Symbol('not literal');

/** Evaluates literals, signed numbers, plain templates and arrays/objects of them; anything else is NOT_LITERAL. */
function literalValue(node: AstNode): unknown {
  switch (node.type) {
    case 'Literal':
      return node.regex ? NOT_LITERAL : node.value;
    case 'TemplateLiteral': {
      const expressions = node.expressions as AstNode[];
      const quasis = node.quasis as { value: { cooked: string | null } }[];
      return expressions.length === 0 && quasis[0]?.value.cooked != null ? quasis[0].value.cooked : NOT_LITERAL;
    }
    case 'UnaryExpression': {
      const value = literalValue(node.argument as AstNode);
      if (node.operator === 'void') return undefined;
      if (typeof value !== 'number' && typeof value !== 'bigint') return NOT_LITERAL;
      if (node.operator === '-') return -value;
      return node.operator === '+' && typeof value === 'number' ? value : NOT_LITERAL;
    }
    case 'Identifier':
      // Read-only globals; shadowing them is legal but vanishingly rare.
      if (node.name === 'undefined') return undefined;
      if (node.name === 'NaN') return NaN;
      if (node.name === 'Infinity') return Infinity;
      return NOT_LITERAL;
    case 'ArrayExpression': {
      const items: unknown[] = [];
      for (const element of node.elements as (AstNode | null)[]) {
        if (!element || element.type === 'SpreadElement') return NOT_LITERAL;
        const value = literalValue(element);
        if (value === NOT_LITERAL) return NOT_LITERAL;
        items.push(value);
      }
      return items;
    }
    case 'ObjectExpression': {
      const object: Record<string, unknown> = {};
      for (const property of node.properties as AstNode[]) {
        if (property.type !== 'Property' || property.computed || property.kind !== 'init' || property.method) {
          return NOT_LITERAL;
        }
        const key = property.key as AstNode;
        const name =
          key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : undefined;
        const value = literalValue(property.value as AstNode);
        if (name === undefined || name === '__proto__' || value === NOT_LITERAL) return NOT_LITERAL;
        object[name] = value;
      }
      return object;
    }
    default:
      return NOT_LITERAL;
  }
}

/** The member of a pattern at `key`: its literal default and nested pattern, when it has either. */
function patternMember(key: string | number, node: AstNode): PatternMember | undefined {
  let target = node;
  let literalDefault: PatternMember['literalDefault'];
  if (target.type === 'AssignmentPattern') {
    const value = literalValue(target.right as AstNode);
    if (value !== NOT_LITERAL) literalDefault = { value };
    target = target.left as AstNode;
  }
  const pattern = patternDefaults(target);
  if (!literalDefault && !pattern) return undefined;
  return { key, ...(literalDefault && { literalDefault }), ...(pattern && { pattern }) };
}

/**
 * The property an object pattern's member reads: its name when the text gives it, `null`
 * for the `...rest` element (which takes what the others do not read), undefined for a
 * computed key (`[k]: v`), which may name any.
 */
function propertyName(property: AstNode): string | null | undefined {
  if (property.type === 'RestElement') return null;
  if (property.type !== 'Property' || property.computed) return undefined;
  const key = property.key as AstNode;
  return key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : undefined;
}

/** The literal defaults inside an object or array pattern; undefined when it has none (or is not a pattern). */
function patternDefaults(node: AstNode): PatternDefaults | undefined {
  const members: PatternMember[] = [];
  if (node.type === 'ObjectPattern') {
    const names = (node.properties as AstNode[]).map(propertyName);
    for (const [i, property] of (node.properties as AstNode[]).entries()) {
      const name = names[i];
      // A property read twice (`{ a: x = 1, a: y }`), or perhaps by a computed key, is seen
      // as passed by one reader where the other sees its default: filling the default in
      // would key `f({})` as `f({ a: 1 })`, for which `y` differs.
      if (name == null || names.includes(undefined) || names.indexOf(name) !== names.lastIndexOf(name)) continue;
      const member = patternMember(name, property.value as AstNode);
      if (member) members.push(member);
    }
  } else if (node.type === 'ArrayPattern') {
    (node.elements as (AstNode | null)[]).forEach((element, index) => {
      const member = element && element.type !== 'RestElement' ? patternMember(index, element) : undefined;
      if (member) members.push(member);
    });
  } else {
    return undefined;
  }
  return members.length > 0 ? { array: node.type === 'ArrayPattern', members } : undefined;
}

/**
 * `parameters` with a name given twice (`function f(a, a)`, legal in sloppy code) kept by position but for
 * its last: the function sees the last one by that name and the others only through `arguments`, and
 * two parameters under one name in the input would leave only one in the key.
 */
function distinctNames<T extends { readonly name: string }>(parameters: T[]): T[] {
  const names = parameters.map((parameter) => parameter.name);
  return parameters.map((parameter, position) =>
    names.lastIndexOf(parameter.name) === position ? parameter : { ...parameter, name: `arguments[${position}]` },
  );
}

/** Reads the parameters of a parsed function. */
export function readParameters(fn: AstNode): Parameter[] {
  const asGiven = readsArguments(fn);
  return distinctNames((fn.params as AstNode[]).map((param, position): Parameter => {
    let target = param;
    let rest = false;
    let literalDefault: Parameter['literalDefault'];
    if (target.type === 'TSParameterProperty') target = target.parameter as AstNode;
    if (target.type === 'RestElement') {
      rest = true;
      target = target.argument as AstNode;
    }
    if (target.type === 'AssignmentPattern') {
      const value = literalValue(target.right as AstNode);
      if (value !== NOT_LITERAL) literalDefault = { value };
      target = target.left as AstNode;
    }
    const name = target.type === 'Identifier' ? (target.name as string) : `arguments[${position}]`;
    if (asGiven) return { name, rest, asGiven };
    const pattern = rest ? undefined : patternDefaults(target);
    return { name, rest, ...(literalDefault && { literalDefault }), ...(pattern && { pattern }) };
  }));
}

/**
 * `parameters`, read from the code that runs, named as `written` (the function as its
 * file spells it) names them: a compiler may rename a parameter that shadows a name of
 * its module (esbuild's `xs` → `xs2`, in a file it lowers decorators in), and the key, the
 * record and the `ignore` option speak of the names the code was written with. Unchanged
 * unless both lists agree on every parameter's place and kind.
 */
export function withWrittenNames(parameters: readonly Parameter[], written: AstNode): readonly Parameter[] {
  // TypeScript's `this: T` is a type, not a parameter.
  const params = (written.params as AstNode[]).filter((param) => !isThisParameter(param));
  if (params.length !== parameters.length) return parameters;
  const names: string[] = [];
  for (const [position, param] of params.entries()) {
    const target = param.type === 'TSParameterProperty' ? (param.parameter as AstNode) : param;
    const rest = target.type === 'RestElement';
    const inner = rest ? (target.argument as AstNode) : target;
    const binding = inner.type === 'AssignmentPattern' ? (inner.left as AstNode) : inner;
    const name = binding.type === 'Identifier' ? (binding.name as string) : `arguments[${position}]`;
    const running = parameters[position];
    const pattern = `arguments[${position}]`;
    if (running.rest !== rest || (name === pattern) !== (running.name === pattern)) return parameters;
    names.push(name);
  }
  const distinct = distinctNames(names.map((name) => ({ name }))).map(({ name }) => name);
  return parameters.map((parameter, i) =>
    parameter.name === distinct[i] ? parameter : { ...parameter, name: distinct[i] },
  );
}

function isThisParameter(param: AstNode): boolean {
  return param.type === 'Identifier' && param.name === 'this';
}

/** Parameters for a function whose text cannot be parsed (native or bound): positions only. */
export function positionalParameters(count: number): Parameter[] {
  return Array.from({ length: count }, (_, i) => ({ name: `arguments[${i}]`, rest: false }));
}

function copyDefault(value: unknown): unknown {
  // Each call gets a fresh copy, as the function itself would.
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

/**
 * `value` with the pattern's literal defaults filled in where it has `undefined`, as
 * destructuring fills them: a copy when any is filled, else `value` itself. Only plain
 * objects and arrays are filled; anything else is left as passed — an instance of an
 * Array subclass too, whose iterator, which an array pattern reads through, may be its own.
 */
function withPatternDefaults(value: unknown, pattern: PatternDefaults): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Object.getPrototypeOf(value) !== (pattern.array ? Array.prototype : Object.prototype)) return value;
  let copy: Record<string | number, unknown> | undefined;
  for (const member of pattern.members) {
    const current = (copy ?? (value as Record<string | number, unknown>))[member.key];
    let filled = current === undefined && member.literalDefault ? copyDefault(member.literalDefault.value) : current;
    if (member.pattern) filled = withPatternDefaults(filled, member.pattern);
    if (filled === current) continue;
    // A copy with every own property as it is (holes, hidden and symbol keys kept): only the default differs.
    copy ??= Object.defineProperties(Array.isArray(value) ? [] : {}, Object.getOwnPropertyDescriptors(value)) as Record<
      string | number,
      unknown
    >;
    Object.defineProperty(copy, member.key, { value: filled, writable: true, enumerable: true, configurable: true });
  }
  return copy ?? value;
}

/** Sets a named input; `__proto__`, a legal parameter name, as an own property rather than the input's prototype. */
function setInput(input: Record<string, unknown>, name: string, value: unknown): void {
  if (name !== '__proto__') input[name] = value;
  else {
    Object.defineProperty(input, name, { value, writable: true, enumerable: true, configurable: true });
  }
}

/**
 * The named input of a call: parameter name → value in parameter order, literal
 * defaults filled in for missing or `undefined` arguments, extra arguments kept as
 * `arguments[i]` (a function may read them through `arguments`). Parameters keyed as
 * given are neither filled nor, past the arguments passed, present.
 */
export function bindArguments(parameters: readonly Parameter[], args: readonly unknown[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  let position = 0;
  // Indexed: for…of allocates an iterator at every call until the JIT has warmed up.
  for (let i = 0; i < parameters.length; i++) {
    const parameter = parameters[i];
    if (parameter.asGiven && position >= args.length) return input;
    if (parameter.rest) {
      setInput(input, parameter.name, args.slice(position));
      return input;
    }
    const value = args[position];
    const given = value === undefined && parameter.literalDefault ? copyDefault(parameter.literalDefault.value) : value;
    setInput(input, parameter.name, parameter.pattern ? withPatternDefaults(given, parameter.pattern) : given);
    position++;
  }
  for (; position < args.length; position++) input[`arguments[${position}]`] = args[position];
  return input;
}

/**
 * Checks the `ignore` option against the parameters: a name that is not one of them
 * (a typo, a renamed parameter) would silently keep the argument in the key. So would a
 * position (`'arguments[1]'`) where the input holds a parameter's name instead: a named
 * parameter's, or a rest parameter's, which collects every argument from its position.
 */
export function checkIgnored(parameters: readonly Parameter[], ignored: readonly string[], functionName: string): void {
  const names = parameters.map((parameter) => parameter.name);
  const fix = "name parameters as the function declares them, destructured ones by position ('arguments[1]')";
  for (const name of ignored) {
    if (names.includes(name)) continue;
    const position = /^arguments\[(\d+)\]$/.exec(name);
    if (!position) {
      throw new InvalidUsageError(
        `the ignore option names '${name}', which is not a parameter of ` +
          `${functionName} (${names.join(', ') || 'it has none'}); ${fix}`,
      );
    }
    const index = Number(position[1]);
    const rest = parameters.findIndex((parameter) => parameter.rest);
    const holder = rest !== -1 && index >= rest ? parameters[rest] : parameters[index];
    // Past the parameters, an extra argument is keyed by its position.
    if (holder === undefined) continue;
    throw new InvalidUsageError(
      `the ignore option names '${name}', which ${functionName} receives in its ` +
        `${holder.rest ? 'rest ' : ''}parameter '${holder.name}'; ` +
        `ignore '${holder.name}'${holder.rest ? ', with every argument it collects' : ''}`,
    );
  }
}

/** The input's name for how many arguments a call passed: no parameter can be named so. */
export const ARGUMENT_COUNT = 'arguments.length';

/**
 * The named input without the ignored arguments. `passed`: how many arguments the call
 * passed, for a function that reads its `arguments` object, whose length tells `f(1)` from
 * `f(1, logger)` to it however the logger is ignored: kept in the input when an argument is
 * left out, so that such calls are not one key.
 */
export function withoutIgnored(
  input: Record<string, unknown>,
  ignored: readonly string[],
  passed?: number,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  let left = false;
  for (const name of Object.keys(input)) {
    if (!ignored.includes(name)) setInput(kept, name, input[name]);
    else left = true;
  }
  if (left && passed !== undefined) kept[ARGUMENT_COUNT] = passed;
  return kept;
}
