/**
 * What a module declares, imports and exports at its top level (pure): the map the
 * dependency walk uses to turn a name into the code that defines it.
 */
import { walk, type AstNode } from '../function-source.js';
import { isTypeOnly } from './code-normalization.js';
import { changedNames, rootName } from './mutation.js';
import { isFunctionNode, patternNames } from './scope-resolution.js';

/** A top-level binding's defining code. */
export interface Declaration {
  /** The node whose code is hashed: a function, class or enum declaration, or one variable declarator. */
  readonly node: AstNode;
  /** `const`, `let` or `var` for a variable declarator, which the declarator itself does not carry. */
  readonly keyword?: string;
}

/** A binding or export that comes from another module. */
export interface ImportedBinding {
  readonly source: string;
  /** The exported name, `default`, or `*` for the whole module. */
  readonly imported: string;
}

/**
 * What an export name stands for: a local binding, a binding of another module, or an
 * expression (`export default …`).
 */
export type ExportTarget = { readonly local: string } | ImportedBinding | { readonly node: AstNode };

/** What an argument of a call is rooted at: a module binding (`table` of `fill(table.rows)`), or a parameter. */
export type CallArgument = string | { readonly parameter: number } | undefined;

/**
 * A call of a function another module exports: an import (`fill(table)`) or a member of a
 * namespace import (`h.fill(table)`). Whether it changes what it is given is in that function's code.
 */
export interface ImportedCall {
  /** The function called; `member` is the property called on a default import (`h.fill` of `import h`). */
  readonly callee: ImportedBinding & { readonly local: string; readonly member?: string };
  /** By position, what each argument is rooted at: a module binding, or (inside a function) one of its parameters. */
  readonly args: readonly CallArgument[];
}

/** A top-level statement making an {@link ImportedCall}, at its top or inside it (a loop, a function it calls). */
export interface TopLevelImportedCall extends ImportedCall {
  readonly statement: AstNode;
  /**
   * Set when the statement declares a binding (`const n = fill(table)`): a call there is made for its value, so a
   * package's function, whose code is not read, is not taken to change what it is given.
   */
  readonly declares?: true;
}

/**
 * What calling one of a module's functions or classes changes: bindings of its module, its
 * parameters by position, and the calls of imported functions it makes (which may change more).
 */
export interface FunctionEffects {
  readonly names: ReadonlySet<string>;
  readonly parameters: ReadonlySet<number>;
  readonly imported: readonly ImportedCall[];
}

/** A module's top level: its bindings, where they come from, and what it exports. */
export interface ModuleSummary {
  readonly declarations: ReadonlyMap<string, Declaration>;
  readonly imports: ReadonlyMap<string, ImportedBinding>;
  /** Top-level names given a `require` function made by `createRequire(…)` (`const load = createRequire(…)`). */
  readonly requireNames: ReadonlySet<string>;
  /** Top-level names declared with `require()` of a literal name: what each imports, as `imports` says it. */
  readonly required: ReadonlyMap<string, ImportedBinding>;
  readonly exports: ReadonlyMap<string, ExportTarget>;
  /** Sources of `export * from '…'`. */
  readonly starExports: readonly string[];
  /** Top-level `exports.x = …` / `module.exports = …` statements of a CommonJS module. */
  readonly commonJsExports: readonly AstNode[];
  /**
   * Top-level statements that change a binding after its declaration, by the
   * binding's name: `x = …`, `x.y = …`, `x++`, `x.push(…)`, or `f(x, …)` (how
   * bundlers fill a module's export object), at the statement's top or inside it (a
   * loop, a branch, a `try`, an IIFE). They count wherever the binding does.
   */
  readonly mutations: ReadonlyMap<string, readonly AstNode[]>;
  /**
   * Top-level statements calling a method of a binding whose class is not the module's (`log.info(…)`,
   * `model.compile({ lr })` on a package's object), by the binding's name. Their text counts wherever the
   * binding does; what they use does not, so `log.info(grid)` does not make `grid` count.
   */
  readonly methodCalls: ReadonlyMap<string, readonly AstNode[]>;
  /**
   * Top-level calls of functions of other modules (`fill(table)` below `import { fill } from './h.js'`), directly
   * or through a function of the module: whether one changes a binding is known only from the callee's module.
   */
  readonly importedCalls: readonly TopLevelImportedCall[];
  /**
   * What calling the module's function or class changes, named (`default` for an anonymous default export) or
   * given by its node (`exports.fill = function (t) {…}`); undefined when it is not one.
   */
  effects(target: string | AstNode): FunctionEffects | undefined;
  /** Set when the module uses direct `eval` or `with`, which can reach any binding by name. */
  readonly dynamicScope?: 'eval' | 'with';
}

/** Statements that run code at a module's top level without declaring a binding: loops, conditionals, blocks, try. */
const RUNNING_STATEMENTS = new Set([
  'IfStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'TryStatement',
  'BlockStatement',
  'SwitchStatement',
  'LabeledStatement',
]);

function unparenthesized(node: AstNode): AstNode {
  return node.type === 'ParenthesizedExpression' ? unparenthesized(node.expression as AstNode) : node;
}

/** The function a call runs in place: its callee (an IIFE, or `(function () {…}).call(this)`), else undefined. */
function calledFunction(callee: AstNode): AstNode | undefined {
  const target = unparenthesized(callee.type === 'MemberExpression' ? (callee.object as AstNode) : callee);
  return isFunctionNode(target) ? target : undefined;
}

/** The value a declarator gives its name (`cfg` of `const alias = cfg`); the node itself for other declarations. */
function declaredValue(node: AstNode): AstNode | undefined {
  if (node.type !== 'VariableDeclarator') return node;
  const init = node.init as AstNode | null;
  return init ? unparenthesized(init) : undefined;
}

/** Adds a statement to a name's list in `map`. */
function append(map: Map<string, AstNode[]>, name: string, statement: AstNode): void {
  map.set(name, [...(map.get(name) ?? []), statement]);
}

/** The variable whose method a call runs (`model` of `model.configure({ lr: 2 })`), and the method's name. */
function methodReceiver(call: AstNode): { name: string; method?: string } | undefined {
  const callee = unparenthesized(call.callee as AstNode);
  if (callee.type !== 'MemberExpression') return undefined;
  const name = rootName(callee.object as AstNode);
  const property = callee.property as AstNode;
  return name === undefined ? undefined : { name, method: callee.computed ? undefined : (property.name as string) };
}

/** Whether code changes `this`: assigns to it (`this.lr = o.lr`) or calls a method on it or its fields. */
function changesThis(fn: AstNode): boolean {
  const rootsAtThis = (node: AstNode): boolean => {
    let current = unparenthesized(node);
    while (current.type === 'MemberExpression') current = unparenthesized(current.object as AstNode);
    return current.type === 'ThisExpression';
  };
  let found = false;
  walk(fn, (node) => {
    if (found) return false;
    if (node.type === 'AssignmentExpression') found = rootsAtThis(node.left as AstNode);
    else if (node.type === 'UpdateExpression') found = rootsAtThis(node.argument as AstNode);
    else if (node.type === 'CallExpression') {
      const callee = unparenthesized(node.callee as AstNode);
      found = callee.type === 'MemberExpression' && rootsAtThis(callee.object as AstNode);
    }
    return true;
  });
  return found;
}

/**
 * Adds the changes made through an alias (`const items = cfg.items; items.push(3)`, `const { items } = cfg`) to
 * the binding it stands for; later aliases first, so an alias of an alias reaches the binding too.
 */
function addAliasedChanges(
  declarations: ReadonlyMap<string, Declaration>,
  calls: ModuleCalls,
  mutations: Map<string, AstNode[]>,
): void {
  for (const [name, { node }] of [...declarations].reverse()) {
    const value = node.type === 'VariableDeclarator' ? declaredValue(node) : undefined;
    const through = mutations.get(name);
    if (!value || !through) continue;
    const target = value.type === 'Identifier' || value.type === 'MemberExpression' ? rootName(value) : undefined;
    if (target === undefined || target === name || !calls.isBinding(target)) continue;
    const own = mutations.get(target) ?? [];
    mutations.set(target, [...own, ...through.filter((statement) => !own.includes(statement))]);
  }
}

/** What calling a function changes, as it is being found. */
interface FunctionChanges extends FunctionEffects {
  readonly names: Set<string>;
  readonly parameters: Set<number>;
  readonly imported: ImportedCall[];
}

/** What a call changes through code of the module, and the calls of imported functions it makes. */
interface CallChanges {
  readonly names: string[];
  readonly imported: ImportedCall[];
}

/**
 * The module's own functions that top-level code may call, and what each changes: what its
 * body changes (`cfg.a = 2`), and the parameters it changes, so that `fill(table)` changes
 * `table` when `fill` pushes to its first parameter; through the calls it makes in turn.
 * Names a function declares for itself are its own, not the module's. Calls of imported
 * functions are collected with what their arguments are rooted at: their effect is in another module.
 */
class ModuleCalls {
  private readonly changes = new Map<AstNode, FunctionChanges>();

  constructor(
    private readonly declarations: ReadonlyMap<string, Declaration>,
    private readonly imports: ReadonlyMap<string, ImportedBinding>,
    private readonly required: ReadonlyMap<string, ImportedBinding>,
    /** An anonymous default export's code (`export default function (t) {…}`). */
    private readonly anonymousDefault: AstNode | undefined,
  ) {}

  /** Whether a name is the module's own binding, declared or imported (not a global such as `console`). */
  isBinding(name: string): boolean {
    return this.declarations.has(name) || this.imports.has(name);
  }

  /**
   * The module's binding whose method a call runs, and whether the call changes it: `changes` when the binding
   * is an instance of the module's class whose method changes `this`; `unknown` when the method's code is not
   * the module's (a package's object); undefined when the method is seen to leave it as it was.
   */
  receiver(call: AstNode): { name: string; effect: 'changes' | 'unknown' } | undefined {
    const receiver = methodReceiver(call);
    if (!receiver || !this.isBinding(receiver.name)) return undefined;
    const node = this.declarations.get(receiver.name)?.node;
    const value = node?.type === 'VariableDeclarator' ? declaredValue(node) : undefined;
    const callee = value?.type === 'NewExpression' ? unparenthesized(value.callee as AstNode) : undefined;
    const cls = callee?.type === 'Identifier' ? this.callable(callee.name as string) : undefined;
    const members = cls && !isFunctionNode(cls) ? ((cls.body as AstNode).body as AstNode[]) : [];
    const method = members.find(
      (member) =>
        member.type === 'MethodDefinition' &&
        !member.static &&
        !member.computed &&
        (member.key as AstNode).name === receiver.method,
    );
    if (!method) return { name: receiver.name, effect: 'unknown' };
    return changesThis(method.value as AstNode) ? { name: receiver.name, effect: 'changes' } : undefined;
  }

  /** The function or class a top-level name is declared as (`function f`, `const f = () => …`), if any. */
  callable(name: string): AstNode | undefined {
    const node = this.declarations.get(name)?.node;
    const fn = node && declaredValue(node);
    return fn && isCallable(fn) ? fn : undefined;
  }

  /** What calling the module's function or class `target` (a name, `default`, or its node) changes. */
  effects(target: string | AstNode): FunctionEffects | undefined {
    const fn =
      typeof target !== 'string'
        ? target
        : target === 'default' && !this.declarations.has(target)
          ? this.anonymousDefault
          : this.callable(target);
    return fn && isCallable(fn) ? this.changedBy(fn) : undefined;
  }

  /** What calling one of the module's functions or classes changes; a call back into it adds nothing new. */
  private changedBy(fn: AstNode): FunctionChanges {
    const known = this.changes.get(fn);
    if (known) return known;
    const found: FunctionChanges = { names: new Set(), parameters: new Set(), imported: [] };
    this.changes.set(fn, found);
    const constructor = (fn.body as AstNode & { body?: AstNode[] }).body?.find?.(
      (member) => member.kind === 'constructor',
    )?.value as AstNode | undefined;
    const params = ((constructor ?? fn).params as AstNode[] | undefined) ?? [];
    const local = new Set<string>();
    const changed = new Set<string>();
    const imported: ImportedCall[] = [];
    walk(fn.body, (node) => {
      if (node !== fn && isFunctionNode(node)) {
        for (const param of node.params as AstNode[]) patternNames(param).forEach((n) => local.add(n));
      }
      if (node.type === 'VariableDeclarator') patternNames(node.id as AstNode).forEach((n) => local.add(n));
      if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) {
        local.add((node.id as AstNode).name as string);
      }
      for (const name of changedNames(node, true)) changed.add(name);
      if (node.type === 'CallExpression' || node.type === 'NewExpression') {
        const call = this.call(node);
        for (const n of call.names) changed.add(n);
        imported.push(...call.imported);
        const receiver = this.receiver(node);
        if (receiver?.effect === 'changes') changed.add(receiver.name);
      }
      return true;
    });
    const positions = new Map<string, number>();
    params.forEach((param, position) => {
      const name = param.type === 'Identifier' ? (param.name as string) : undefined;
      if (name !== undefined && changed.has(name)) found.parameters.add(position);
      if (name !== undefined) positions.set(name, position);
      patternNames(param).forEach((n) => local.add(n));
    });
    for (const name of changed) if (!local.has(name)) found.names.add(name);
    // An argument rooted at a parameter is what the caller passes there; at a local, nothing the caller sees.
    const rooted = (arg: CallArgument): CallArgument => {
      if (typeof arg !== 'string') return arg;
      const position = positions.get(arg);
      if (position !== undefined) return { parameter: position };
      return local.has(arg) ? undefined : arg;
    };
    for (const call of imported) found.imported.push({ callee: call.callee, args: call.args.map(rooted) });
    return found;
  }

  /** What a name imports, by `import` or by a `require()` it is declared with (`const { fill } = require('./h')`). */
  private importOf(name: string): ImportedBinding | undefined {
    return this.imports.get(name) ?? this.required.get(name);
  }

  /** The function of another module a call runs: an import, or a member of a namespace or default import. */
  private importedCallee(written: AstNode): ImportedCall['callee'] | undefined {
    // `(0, h_js_1.fill)(table)`: how compilers call an import without giving it a `this`.
    const expressions = written.type === 'SequenceExpression' ? (written.expressions as AstNode[]) : [written];
    const callee = unparenthesized(expressions[expressions.length - 1]!);
    if (callee.type === 'Identifier') {
      const binding = this.importOf(callee.name as string);
      return binding && { ...binding, local: callee.name as string };
    }
    const object = callee.type === 'MemberExpression' ? unparenthesized(callee.object as AstNode) : undefined;
    const binding = object?.type === 'Identifier' ? this.importOf(object.name as string) : undefined;
    if (!binding || callee.computed) return undefined;
    const member = (callee.property as AstNode).name as string;
    const local = object!.name as string;
    if (binding.imported === '*') return { source: binding.source, imported: member, local };
    // A named import's method (`log.info(…)`) is a method call on an object, which `receiver` judges.
    return binding.imported === 'default' ? { ...binding, local, member } : undefined;
  }

  /**
   * The function a member of one of the module's object literals names (`ops.fill` of `const ops = { fill }`): a
   * call of it runs that function. Any other callee as written.
   */
  private heldFunction(callee: AstNode): AstNode {
    const member = callee.type === 'MemberExpression' && !callee.computed;
    const object = member ? unparenthesized(callee.object as AstNode) : undefined;
    const node = object?.type === 'Identifier' ? this.declarations.get(object.name as string)?.node : undefined;
    const value = node?.type === 'VariableDeclarator' ? declaredValue(node) : undefined;
    if (value?.type !== 'ObjectExpression') return callee;
    const name = (callee.property as AstNode).name;
    const held = (value.properties as AstNode[]).find(
      (p) => p.type === 'Property' && !p.computed && ((p.key as AstNode).name ?? (p.key as AstNode).value) === name,
    )?.value as AstNode | undefined;
    return held?.type === 'Identifier' ? held : callee;
  }

  /**
   * What a call changes through the module's own code (what the callee changes, and the bindings it fills), and
   * the calls of imported functions it makes, their arguments rooted at the bindings this call passes.
   */
  call(node: AstNode): CallChanges {
    const callee = this.heldFunction(unparenthesized(node.callee as AstNode));
    const args = (node.arguments as AstNode[]).map((arg) => rootName(unparenthesized(arg)));
    const imported = this.importedCallee(callee);
    if (imported) return { names: [], imported: [{ callee: imported, args }] };
    const fn = callee.type === 'Identifier' ? this.callable(callee.name as string) : undefined;
    if (!fn) return { names: [], imported: [] };
    const { names, parameters, imported: inner } = this.changedBy(fn);
    const filled = [...parameters].map((position) => args[position]);
    const passed = (arg: CallArgument) => (typeof arg === 'object' ? args[arg.parameter] : arg);
    return {
      names: [...names, ...filled.filter((name): name is string => name !== undefined)],
      imported: inner.map((call) => ({ callee: call.callee, args: call.args.map(passed) })),
    };
  }
}

/**
 * What a top-level name declared with `require()` imports: the module (`const h = require('./h')`, as `*`), or
 * one of its exports (`const { fill } = require('./h')`).
 */
function requiredBinding(
  declaration: Declaration,
  name: string,
  requireNames: ReadonlySet<string>,
): ImportedBinding | undefined {
  const { node } = declaration;
  let init = node.type === 'VariableDeclarator' ? declaredValue(node) : undefined;
  // tsc's `import * as h` in CommonJS: `const h = __importStar(require('./h'))`.
  if (init?.type === 'CallExpression' && (init.callee as AstNode).name === '__importStar') {
    init = (init.arguments as AstNode[])[0];
  }
  const callee = init?.type === 'CallExpression' ? (init.callee as AstNode) : undefined;
  const [first] = (init?.arguments as AstNode[] | undefined) ?? [];
  if (!callee || !isRequire(callee, requireNames) || typeof first?.value !== 'string') return undefined;
  const source = first.value;
  const id = node.id as AstNode;
  if (id.type === 'Identifier') return { source, imported: '*' };
  for (const property of id.type === 'ObjectPattern' ? (id.properties as AstNode[]) : []) {
    const key = property.key as AstNode | undefined;
    const value = property.value as AstNode | undefined;
    if (property.type !== 'Property' || property.computed || !key) continue;
    if (value?.type === 'Identifier' && value.name === name) {
      return { source, imported: (key.name ?? key.value) as string };
    }
  }
  return undefined;
}

/** Whether a node is code that can be called: a function or a class. */
function isCallable(node: AstNode): boolean {
  return isFunctionNode(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression';
}

/**
 * The bindings a top-level statement changes, at its top (`rate = 2`) or inside it: in a
 * loop's body (`for (…) table.push(…)`), a branch, a `try`, a function it runs in place
 * (an IIFE, a callback such as `forEach`'s), or a function of the module it calls
 * (`if (process.env.FULL) widen()`), with what that function fills of its arguments (`fill(table)`).
 * Functions it only defines are not entered: their code runs later, if at all.
 *
 * A declaration's value (`const n = fill(table)`, a class's static field) is judged on what is known to
 * change: a function given as an argument there is kept rather than run (`memorious(fn)`, `debounce(fn)`),
 * and a method whose code is not the module's is called for its value (`const rows = data.map(…)`).
 */
function changedInside(
  statement: AstNode,
  calls: ModuleCalls,
  declares: boolean,
): { changed: string[]; called: string[]; imported: ImportedCall[] } {
  const names = new Set<string>();
  const called = new Set<string>();
  const imported: ImportedCall[] = [];
  // Names the statement declares itself (`for (let i = 0; …; i++)`, a callback's parameters) are not the module's.
  const own = new Set<string>();
  const topLevel = statement.type === 'VariableDeclaration' ? (statement.declarations as AstNode[]) : [];
  const visit = (node: AstNode): boolean => {
    const changed = changedNames(node, true);
    changed.forEach((n) => names.add(n));
    // A top-level declaration's own names are the module's (`const table = [], n = fill(table)`).
    if (node.type === 'VariableDeclarator' && !topLevel.includes(node)) {
      patternNames(node.id as AstNode).forEach((n) => own.add(n));
    }
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      const call = calls.call(node);
      call.names.forEach((n) => names.add(n));
      imported.push(...call.imported);
      const receiver = changed.length === 0 ? calls.receiver(node) : undefined;
      if (receiver?.effect === 'changes') names.add(receiver.name);
      else if (receiver && !declares) called.add(receiver.name);
      const callbacks = declares ? [] : (node.arguments as AstNode[]).map(unparenthesized);
      const run = [calledFunction(node.callee as AstNode), ...callbacks];
      for (const fn of run) {
        if (!isFunctionNode(fn)) continue;
        for (const param of fn!.params as AstNode[]) patternNames(param).forEach((n) => own.add(n));
        walk(fn!.body, visit);
      }
    }
    // A class's static blocks and static fields run where it is declared; its methods run later, if at all.
    if (node.type === 'ClassBody') for (const part of staticCode(node)) walk(part, visit);
    return !isFunctionNode(node) && node.type !== 'ClassBody';
  };
  walk(statement, visit);
  const module = (name: string) => !own.has(name);
  const rooted = (arg: CallArgument) => (typeof arg === 'string' && module(arg) ? arg : undefined);
  return {
    changed: [...names].filter(module),
    called: [...called].filter(module),
    imported: imported.map((call) => ({ callee: call.callee, args: call.args.map(rooted) })),
  };
}

/** The code of a class body that runs when the class is declared: static blocks, static fields' values. */
function staticCode(body: AstNode): AstNode[] {
  const parts: AstNode[] = [];
  for (const member of body.body as AstNode[]) {
    if (member.type === 'StaticBlock') parts.push(member);
    else if (member.type === 'PropertyDefinition' && member.static && member.value) parts.push(member.value as AstNode);
  }
  return parts;
}

/** The names a statement declares for the whole module from inside it: `var`s, and functions in blocks. */
function hoistedNames(statement: AstNode): string[] {
  const names: string[] = [];
  walk(statement, (node) => {
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      for (const declarator of node.declarations as AstNode[]) patternNames(declarator.id as AstNode, names);
    } else if (node.type === 'FunctionDeclaration' && node !== statement) {
      const id = node.id as AstNode | null;
      if (id?.type === 'Identifier') names.push(id.name as string);
    }
    return !isFunctionNode(node) && node.type !== 'ClassBody' && node.type !== 'ClassDeclaration' && !isTypeOnly(node);
  });
  return names;
}

function nameOf(node: AstNode): string {
  return node.type === 'Identifier' ? (node.name as string) : String(node.value);
}

/** Whether an expression is `exports.x`, `module.exports` or `module.exports.x` (CommonJS export targets). */
function isCommonJsExport(node: AstNode | undefined): boolean {
  if (!node || node.type !== 'MemberExpression') return false;
  const object = node.object as AstNode;
  if (object.type === 'Identifier') {
    return object.name === 'exports' || (object.name === 'module' && nameOf(node.property as AstNode) === 'exports');
  }
  return isCommonJsExport(object);
}

function dynamicScope(program: AstNode, text: string | undefined): 'eval' | 'with' | undefined {
  // Walking a large module costs more than parsing it: look for the words first.
  if (text !== undefined && !/\beval\b|\bwith\b/.test(text)) return undefined;
  let found: 'eval' | 'with' | undefined;
  walk(program, (node) => {
    if (found) return false;
    if (node.type === 'WithStatement') found = 'with';
    else if (
      node.type === 'CallExpression' &&
      (node.callee as AstNode).type === 'Identifier' &&
      (node.callee as AstNode).name === 'eval'
    ) {
      found = 'eval';
    }
    return true;
  });
  return found;
}

/**
 * Summarizes a parsed module's top level; with the module's `text`,
 * skips looking for eval and with when the words do not occur.
 */
export function summarizeModule(program: AstNode, text?: string): ModuleSummary {
  const declarations = new Map<string, Declaration>();
  const imports = new Map<string, ImportedBinding>();
  const exports = new Map<string, ExportTarget>();
  const starExports: string[] = [];
  const commonJsExports: AstNode[] = [];
  // Statements that run code, judged once every declaration is known: a function they call may be declared below.
  const running: AstNode[] = [];
  const changes = (statement: AstNode) => running.push(statement);
  // A declaration runs code too: `const n = fill(table)`, `export default setup(config)`, a class's static block.
  const valued = new Set<AstNode>();
  const declaring = (node: AstNode) => {
    if (node.type !== 'ClassDeclaration' && isCallable(node)) return;
    valued.add(node);
    changes(node);
  };
  const mutations = new Map<string, AstNode[]>();
  // A name declared again (`var` twice, a `var` and a function, a merged namespace) holds what either
  // declaration gives it: the first is its declaration, the others change it.
  const bind = (name: string, declaration: Declaration) => {
    if (declarations.has(name)) append(mutations, name, declaration.node);
    else declarations.set(name, declaration);
  };
  const declare = (node: AstNode): string[] => {
    if (isTypeOnly(node)) return [];
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'TSEnumDeclaration':
      case 'TSModuleDeclaration': {
        const id = node.id as AstNode | null;
        if (!id || id.type !== 'Identifier') return [];
        bind(id.name as string, { node });
        return [id.name as string];
      }
      case 'VariableDeclaration': {
        const names: string[] = [];
        for (const declarator of node.declarations as AstNode[]) {
          for (const name of patternNames(declarator.id as AstNode)) {
            bind(name, { node: declarator, keyword: node.kind as string });
            names.push(name);
          }
        }
        return names;
      }
    }
    return [];
  };

  for (const statement of program.body as AstNode[]) {
    if (isTypeOnly(statement)) continue;
    switch (statement.type) {
      case 'ImportDeclaration':
        for (const s of statement.specifiers as AstNode[]) {
          if (s.importKind === 'type') continue;
          const imported =
            s.type === 'ImportDefaultSpecifier'
              ? 'default'
              : s.type === 'ImportNamespaceSpecifier'
                ? '*'
                : nameOf(s.imported as AstNode);
          imports.set((s.local as AstNode).name as string, {
            source: (statement.source as AstNode).value as string,
            imported,
          });
        }
        break;
      case 'TSImportEqualsDeclaration': {
        const reference = statement.moduleReference as AstNode;
        if (reference.type === 'TSExternalModuleReference') {
          imports.set((statement.id as AstNode).name as string, {
            source: (reference.expression as AstNode).value as string,
            imported: '*',
          });
        }
        break;
      }
      case 'ExportNamedDeclaration': {
        const source = (statement.source as AstNode | null)?.value as string | undefined;
        if (statement.declaration) {
          for (const name of declare(statement.declaration as AstNode)) exports.set(name, { local: name });
          declaring(statement.declaration as AstNode);
        }
        for (const s of statement.specifiers as AstNode[]) {
          if (s.exportKind === 'type') continue;
          const local = nameOf(s.local as AstNode);
          exports.set(nameOf(s.exported as AstNode), source === undefined ? { local } : { source, imported: local });
        }
        break;
      }
      case 'ExportDefaultDeclaration': {
        const declaration = statement.declaration as AstNode;
        const [name] = declare(declaration);
        exports.set('default', name === undefined ? { node: declaration } : { local: name });
        declaring(declaration);
        break;
      }
      case 'ExportAllDeclaration': {
        const source = (statement.source as AstNode).value as string;
        if (statement.exported) exports.set(nameOf(statement.exported as AstNode), { source, imported: '*' });
        else {
          starExports.push(source);
        }
        break;
      }
      case 'ExpressionStatement': {
        const expression = statement.expression as AstNode;
        if (expression.type === 'AssignmentExpression' && isCommonJsExport(expression.left as AstNode)) {
          commonJsExports.push(statement);
        }
        changes(statement);
        break;
      }
      default:
        if (RUNNING_STATEMENTS.has(statement.type)) changes(statement);
        else {
          declare(statement);
          declaring(statement);
        }
    }
  }
  // A `var` (or, in a script, a function) declared in a block, loop, branch or `try` at the top level is the
  // module's: the statement holding it, every branch included, declares it.
  for (const statement of running) {
    if (!RUNNING_STATEMENTS.has(statement.type)) continue;
    for (const name of new Set(hoistedNames(statement))) {
      if (declarations.has(name) || imports.has(name)) append(mutations, name, statement);
      else declarations.set(name, { node: statement });
    }
  }
  const requireNames = new Set<string>();
  for (const [name, { node }] of declarations) {
    if (node.type === 'VariableDeclarator' && makesRequire(node.init as AstNode | null)) requireNames.add(name);
  }
  const required = new Map<string, ImportedBinding>();
  for (const [name, declaration] of declarations) {
    const binding = requiredBinding(declaration, name, requireNames);
    if (binding) required.set(name, binding);
  }
  const defaultExport = exports.get('default');
  const anonymousDefault = defaultExport && 'node' in defaultExport ? defaultExport.node : undefined;
  const calls = new ModuleCalls(declarations, imports, required, anonymousDefault);
  const methodCalls = new Map<string, AstNode[]>();
  const importedCalls: TopLevelImportedCall[] = [];
  for (const statement of running) {
    const declares = valued.has(statement);
    const { changed, called, imported } = changedInside(statement, calls, declares);
    for (const name of changed) append(mutations, name, statement);
    for (const name of called) append(methodCalls, name, statement);
    for (const call of imported) importedCalls.push({ statement, ...call, ...(declares ? { declares } : {}) });
  }
  addAliasedChanges(declarations, calls, mutations);
  addAliasedChanges(declarations, calls, methodCalls);
  const dynamic = dynamicScope(program, text);
  return {
    declarations,
    imports,
    requireNames,
    required,
    exports,
    starExports,
    commonJsExports,
    mutations,
    methodCalls,
    importedCalls,
    effects: (target) => calls.effects(target),
    ...(dynamic ? { dynamicScope: dynamic } : {}),
  };
}

/**
 * A module name computed at run time from a static prefix and suffix:
 * `` `./models/${name}.mjs` ``, `'./models/' + name + '.mjs'`.
 */
export interface ModulePattern {
  readonly prefix: string;
  readonly suffix: string;
}

function cooked(quasi: unknown): string | undefined {
  return (quasi as { value: { cooked: string | null } } | undefined)?.value.cooked ?? undefined;
}

/** The prefix and suffix of a computed module name, when its start is a relative path. */
function modulePattern(argument: AstNode | undefined): ModulePattern | undefined {
  let prefix: string | undefined;
  let suffix = '';
  if (argument?.type === 'TemplateLiteral') {
    const quasis = argument.quasis as unknown[];
    prefix = cooked(quasis[0]);
    suffix = cooked(quasis[quasis.length - 1]) ?? '';
  } else if (argument?.type === 'BinaryExpression' && argument.operator === '+') {
    const operands: AstNode[] = [];
    for (let node: AstNode = argument; ; node = node.left as AstNode) {
      if (node.type !== 'BinaryExpression' || node.operator !== '+') {
        operands.unshift(node);
        break;
      }
      operands.unshift(node.right as AstNode);
    }
    const literal = (node: AstNode | undefined) =>
      node?.type === 'Literal' && typeof node.value === 'string' ? (node.value as string) : undefined;
    prefix = literal(operands[0]);
    suffix = literal(operands[operands.length - 1]) ?? '';
  }
  return prefix !== undefined && (prefix.startsWith('./') || prefix.startsWith('../')) ? { prefix, suffix } : undefined;
}

/**
 * Whether code with this text may load a module with `require()` or `import()` at all:
 * the walk can be skipped when it cannot (`\u` for an identifier spelled with an escape).
 */
export function mayRequestModules(text: string, requireNames: ReadonlySet<string> = NO_NAMES): boolean {
  if (/require|import|\\u/.test(text)) return true;
  for (const name of requireNames) if (text.includes(name)) return true;
  return false;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** Whether an expression makes a `require` function: `createRequire(import.meta.url)`, `module.createRequire(…)`. */
function makesRequire(node: AstNode | null | undefined): boolean {
  const n = node && unparenthesized(node);
  if (n?.type !== 'CallExpression') return false;
  const callee = unparenthesized(n.callee as AstNode);
  if (callee.type === 'Identifier') return callee.name === 'createRequire';
  const property = callee.type === 'MemberExpression' && !callee.computed ? (callee.property as AstNode) : undefined;
  return property?.name === 'createRequire';
}

/** Whether a callee is a `require`: Node's own, a name given `createRequire(…)`'s, or `createRequire(…)` itself. */
function isRequire(callee: AstNode, requireNames: ReadonlySet<string>): boolean {
  const n = unparenthesized(callee);
  if (n.type === 'Identifier') return n.name === 'require' || requireNames.has(n.name as string);
  return makesRequire(n);
}

/**
 * The modules a piece of code loads by a literal name (`require('x')`, `import('x')`),
 * those it loads by a name computed from a relative prefix, and whether it loads any
 * by a name computed otherwise.
 */
export function moduleRequests(
  node: AstNode,
  requireNames: ReadonlySet<string> = NO_NAMES,
): { specifiers: string[]; patterns: ModulePattern[]; computed: boolean } {
  const specifiers: string[] = [];
  const patterns: ModulePattern[] = [];
  let computed = false;
  // Names the code itself gives `createRequire(…)`'s function (`const load = createRequire(import.meta.url)`).
  const names = new Set(requireNames);
  walk(node, (child) => {
    let argument: AstNode | undefined;
    const id = child.type === 'VariableDeclarator' ? (child.id as AstNode) : undefined;
    if (id?.type === 'Identifier' && makesRequire(child.init as AstNode | null)) names.add(id.name as string);
    if (child.type === 'ImportExpression') argument = child.source as AstNode;
    else if (child.type === 'CallExpression' && isRequire(child.callee as AstNode, names)) {
      argument = (child.arguments as AstNode[])[0];
    } else {
      return true;
    }
    const literal =
      argument?.type === 'Literal' && typeof argument.value === 'string' ? (argument.value as string) : undefined;
    const template =
      argument?.type === 'TemplateLiteral' && (argument.expressions as AstNode[]).length === 0
        ? cooked((argument.quasis as unknown[])[0])
        : undefined;
    const specifier = literal ?? template;
    const pattern = specifier === undefined ? modulePattern(argument) : undefined;
    if (specifier !== undefined) specifiers.push(specifier);
    else if (pattern) patterns.push(pattern);
    else {
      computed = true;
    }
    return true;
  });
  return { specifiers, patterns, computed };
}
