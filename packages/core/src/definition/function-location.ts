/**
 * Finding a wrapped function's node in its module's syntax tree (pure). In order:
 * the exact text of `fn.toString()` (what V8 keeps is the source span itself,
 * unless a loader transpiled the file); the function passed to the `memorious(...)`
 * call at the call site; a function or method with the function's name, when that
 * name is unique in the module.
 */
import { walk, type AstNode } from '../function-source.js';
import { childNodes, isFunctionNode, pathToRange } from './scope-resolution.js';

/** A parsed module and what is known of the function to find in it. */
export interface LocateInput {
  readonly text: string;
  readonly program: AstNode;
  /** `Function.prototype.toString` of the function. */
  readonly fnText: string;
  /** The function's own `name` (`''` for an anonymous one), which a match must have too. */
  readonly fnName: string;
  /** Character offset of the `memorious(...)` call, when known. */
  readonly siteOffset?: number;
  /** The text is not the code that runs, so `fnText` cannot be matched against it. */
  readonly transpiled: boolean;
  /** The function's `length`, which a function written at the call site must have too, when known. */
  readonly fnLength?: number;
}

/**
 * The function node spanning exactly [start, end): for a method, its value (V8's text of a method starts at its key).
 */
function functionEndingAt(program: AstNode, start: number, end: number): AstNode | undefined {
  const path = pathToRange(program, start, end);
  const innermost = path[path.length - 1]!;
  return [innermost, ...childNodes(innermost)]
    .filter((node) => isFunctionNode(node) && node.end === end && node.start >= start)
    .sort((a, b) => a.start - b.start)[0];
}

function byExactText({ text, program, fnText, siteOffset }: LocateInput): AstNode | undefined {
  let best: AstNode | undefined;
  let bestDistance = Infinity;
  for (let at = text.indexOf(fnText); at !== -1; at = text.indexOf(fnText, at + 1)) {
    const node = functionEndingAt(program, at, at + fnText.length);
    const distance = siteOffset === undefined ? 0 : Math.abs(at - siteOffset);
    if (node && distance < bestDistance) {
      best = node;
      bestDistance = distance;
    }
  }
  return best;
}

/** The top-level function a name declares: `function f`, `const f = () => …`, `const f = function …`. */
function declaredFunction(program: AstNode, name: string): AstNode | undefined {
  let found: AstNode | undefined;
  walk(program, (node) => {
    if (found) return false;
    if (node.type === 'FunctionDeclaration' && (node.id as AstNode | null)?.name === name) found = node;
    else if (
      node.type === 'VariableDeclarator' &&
      (node.id as AstNode).name === name &&
      isFunctionNode(node.init as AstNode)
    ) {
      found = node.init as AstNode;
    }
    return !isFunctionNode(node);
  });
  return found;
}

/** The first argument of the innermost call whose arguments start after `siteOffset`. */
function argumentAtSite(program: AstNode, siteOffset: number): AstNode | undefined {
  let call: AstNode | undefined;
  walk(program, (node) => {
    if (node.start > siteOffset || node.end <= siteOffset) return false;
    const args = node.arguments as AstNode[] | undefined;
    if (node.type === 'CallExpression' && args && args.length > 0 && siteOffset < args[0]!.start) call = node;
    return true;
  });
  return (call?.arguments as AstNode[] | undefined)?.[0];
}

/**
 * What `fn.length` is for a function node: its parameters before the first
 * with a default or rest (TypeScript's `this` parameter is no parameter).
 */
function arity(fn: AstNode): number {
  let count = 0;
  for (const param of fn.params as AstNode[]) {
    if (param.type === 'AssignmentPattern' || param.type === 'RestElement') break;
    if (param.type === 'Identifier' && param.name === 'this') continue;
    count++;
  }
  return count;
}

/**
 * The function written inline as the argument of the `memorious(...)` call at the
 * call site, when its name (and arity, when known) agree: a position mapped into a
 * loader's helper code may land on another call.
 */
export function writtenAtSite({ program, siteOffset, fnName, fnLength }: LocateInput): AstNode | undefined {
  if (siteOffset === undefined) return undefined;
  const argument = argumentAtSite(program, siteOffset);
  if (!isFunctionNode(argument) || ((argument!.id as AstNode | null)?.name ?? '') !== fnName) return undefined;
  return fnLength === undefined || arity(argument!) === fnLength ? argument : undefined;
}

/** Nodes that hand on the value of the expression they hold: `x as T`, `x satisfies T`, `x!`, `<T>x`. */
const VALUE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion']);

/** A property key's name as written: `train`, `'train'`; undefined for a computed or private key. */
function keyName(key: AstNode, computed: unknown): string | undefined {
  if (key.type === 'Identifier' && !computed) return key.name as string;
  return key.type === 'Literal' && typeof key.value === 'string' ? key.value : undefined;
}

/**
 * The name the code gives what the `memorious(...)` call at the call site returns, when the call wraps an anonymous
 * function written there with `fnLength` parameters: `train` of `const train = memorious(async (lr) => …)`, of
 * `train = …` and `exports.train = …`, of `{ train: … }` and of a class field `train = …`; undefined anywhere else
 * (`export default memorious(…)`, an argument of another call).
 */
export function nameAtSite(program: AstNode, siteOffset: number, fnLength: number): string | undefined {
  const argument = argumentAtSite(program, siteOffset);
  if (!isFunctionNode(argument) || argument!.id || arity(argument!) !== fnLength) return undefined;
  const path = pathToRange(program, argument!.start, argument!.end);
  let at = path.lastIndexOf(argument!) - 1;
  // The call, then what holds its value.
  let value = path[at]!;
  while (at > 0 && VALUE_WRAPPERS.has(path[at - 1]!.type)) value = path[--at]!;
  const holder = path[at - 1];
  switch (holder?.type) {
    case 'VariableDeclarator': {
      const id = holder.id as AstNode;
      return holder.init === value && id.type === 'Identifier' ? (id.name as string) : undefined;
    }
    case 'AssignmentExpression': {
      const left = holder.left as AstNode;
      if (holder.right !== value || holder.operator !== '=') return undefined;
      if (left.type === 'Identifier') return left.name as string;
      return left.type === 'MemberExpression' ? keyName(left.property as AstNode, left.computed) : undefined;
    }
    case 'Property':
    case 'PropertyDefinition':
      return holder.value === value ? keyName(holder.key as AstNode, holder.computed) : undefined;
    default:
      return undefined;
  }
}

function byCallSite(input: LocateInput): AstNode | undefined {
  const { program, siteOffset, fnName } = input;
  if (siteOffset === undefined) return undefined;
  const argument = argumentAtSite(program, siteOffset);
  if (isFunctionNode(argument)) return writtenAtSite(input);
  if (argument?.type !== 'Identifier') return undefined;
  const declared = declaredFunction(program, argument.name as string);
  const ownName = (declared?.id as AstNode | null | undefined)?.name;
  return ownName === fnName || (ownName === undefined && argument.name === fnName) ? declared : undefined;
}

function nameOf(node: AstNode): string | undefined {
  const key = (node.id ?? node.key) as AstNode | null | undefined;
  return key?.type === 'Identifier' ? (key.name as string) : undefined;
}

function byName({ program, fnName: name }: LocateInput): AstNode | undefined {
  if (!name) return undefined;
  const matches: AstNode[] = [];
  walk(program, (node) => {
    if (isFunctionNode(node) && nameOf(node) === name) matches.push(node);
    else if (
      (node.type === 'MethodDefinition' || node.type === 'Property' || node.type === 'VariableDeclarator') &&
      nameOf(node) === name
    ) {
      const value = (node.value ?? node.init) as AstNode | null;
      if (isFunctionNode(value)) matches.push(value!);
    }
    return true;
  });
  const unique = [...new Set(matches)];
  return unique.length === 1 ? unique[0] : undefined;
}

const CLASS_TYPES = new Set(['ClassDeclaration', 'ClassExpression']);
const MEMBER_TYPES = new Set(['MethodDefinition', 'Property', 'PropertyDefinition']);

/**
 * The function whose code V8 places at `offset` (its parameter list; an arrow's
 * single parameter), or with `isClass` the class (V8 places a class at its
 * constructor or its keyword). A source map may map the position onto a method's
 * key rather than its parameters: the method's value is meant.
 */
export function functionAt(program: AstNode, offset: number, isClass: boolean): AstNode | undefined {
  const path = pathToRange(program, offset, offset);
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i]!;
    if (isClass) {
      if (CLASS_TYPES.has(node.type)) return node;
      continue;
    }
    if (isFunctionNode(node)) return node;
    const value = node.value as AstNode | null | undefined;
    if (MEMBER_TYPES.has(node.type) && isFunctionNode(value) && offset < value!.start) return value!;
  }
  return undefined;
}

/** The wrapped function's node, or undefined when it cannot be found with certainty. */
export function locateFunction(input: LocateInput): AstNode | undefined {
  // Untranspiled text must match exactly: anything else would be another function.
  if (!input.transpiled) return byExactText(input);
  return byCallSite(input) ?? byName(input);
}
