/**
 * What a call of another module's function does to the bindings of the calling module
 * (`fill(table)` below `import { fill } from './h.js'`): read from the callee's code —
 * the parameters it changes and the bindings of its own module it changes — followed
 * through re-exports, CommonJS exports and the imported functions it calls in turn.
 */
import type { AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import type { ModuleFile } from './module-files.js';
import { isFunctionNode } from './scope-resolution.js';
import type {
  CallArgument,
  FunctionEffects,
  ImportedBinding,
  ImportedCall,
  TopLevelImportedCall,
} from './module-summary.js';

/**
 * `changes`: the callee's code may change the binding (project code that cannot be read is taken to);
 * `unknown`: the callee is a package's or Node's, whose code is not read; undefined: it does not change it.
 */
export type CallEffect = 'changes' | 'unknown' | undefined;

/**
 * The module a specifier imported by `from` names: a project file; `outside` for a package or a
 * builtin; undefined when it cannot be found or parsed.
 */
export type ModuleLookup = (from: ModuleFile, specifier: string) => ModuleFile | 'outside' | undefined;

/** Code of a project module: a top-level name (`default` for an anonymous default export) or a node. */
interface CodeRef {
  readonly module: ModuleFile;
  readonly target: string | AstNode;
}

/** Where an export leads: code, a package or builtin, code that cannot be told statically, or nothing. */
type Found = CodeRef | 'outside' | 'unreadable' | undefined;

function strongest(a: CallEffect, b: CallEffect): CallEffect {
  return a === 'changes' || b === 'changes' ? 'changes' : (a ?? b);
}

/** What the property `name` of an object literal is (`{ fill }`, `{ fill: fillTable }`, `{ fill(t) {…} }`). */
function property(object: AstNode, name: string): AstNode | undefined {
  for (const p of object.properties as AstNode[]) {
    const key = p.key as AstNode | undefined;
    if (p.type !== 'Property' || p.computed || !key) continue;
    if ((key.name ?? key.value) === name) return p.value as AstNode;
  }
  return undefined;
}

/** A static method of a class (`static load(file) {…}`), by name. */
function staticMethod(cls: AstNode, name: string): AstNode | undefined {
  for (const member of (cls.body as AstNode).body as AstNode[]) {
    const key = member.key as AstNode | undefined;
    if (member.type !== 'MethodDefinition' || !member.static || member.computed || !key) continue;
    if (member.kind === 'method' && (key.name ?? key.value) === name) return member.value as AstNode;
  }
  return undefined;
}

/** The code a reference stands for: a declaration's value (`const io = {…}`, `class IO {…}`), or the node. */
function codeOf(ref: CodeRef): AstNode | undefined {
  if (typeof ref.target !== 'string') return ref.target;
  const { declarations, exports } = ref.module.summary;
  const node = declarations.get(ref.target)?.node;
  if (!node) {
    const exported = ref.target === 'default' ? exports.get('default') : undefined;
    return exported && 'node' in exported ? exported.node : undefined;
  }
  return node.type === 'VariableDeclarator' ? (node.init ? unwrapTypes(node.init as AstNode) : undefined) : node;
}

/** Whether a module exports through `exports` / `module.exports` alone. */
function isCommonJs(module: ModuleFile): boolean {
  const { summary } = module;
  return summary.commonJsExports.length > 0 && summary.exports.size === 0 && summary.starExports.length === 0;
}

/** The name `exports.name = …` and `module.exports.name = …` export; `default` for `module.exports = …`. */
function commonJsName(target: AstNode): string | undefined {
  const object = target.object as AstNode;
  const key = target.computed ? (target.property as AstNode).value : (target.property as AstNode).name;
  if (object.type === 'Identifier' && object.name === 'module') return 'default';
  return typeof key === 'string' ? key : undefined;
}

/**
 * The module variable (`file\0name`) code stands for; `default` for an expression exported as default, or
 * assigned to `module.exports`, and the exported name for one assigned to `exports.name`.
 */
function variableOf(found: Found): string | undefined {
  if (typeof found !== 'object') return undefined;
  const { module, target } = found;
  if (typeof target === 'string') return `${module.file}\0${target}`;
  const exported = module.summary.exports.get('default');
  if (exported && 'node' in exported && exported.node === target) return `${module.file}\0default`;
  const statement = module.summary.commonJsExports.find((s) => (s.expression as AstNode).right === target);
  const name = statement && commonJsName((statement.expression as AstNode).left as AstNode);
  return name === undefined ? undefined : `${module.file}\0${name}`;
}

/** A callee as {@link ImportedCallEffects} resolves it: the code with what it changes, or what it is instead. */
type Callee = (CodeRef & { effects: FunctionEffects }) | 'outside' | 'unreadable' | undefined;

/** The positions of a module's top-level imported calls, by each name passed to them as an argument (syntax only). */
const callsByArgument = new WeakMap<readonly ImportedCall[], Map<string, number[]>>();

function callsPassing(calls: readonly ImportedCall[]): Map<string, number[]> {
  let index = callsByArgument.get(calls);
  if (index) return index;
  index = new Map();
  calls.forEach((call, at) => {
    for (const arg of new Set(call.args)) if (typeof arg === 'string') append(index, arg, at);
  });
  callsByArgument.set(calls, index);
  return index;
}

function append<K>(map: Map<K, number[]>, key: K, at: number): void {
  const list = map.get(key);
  if (list) list.push(at);
  else map.set(key, [at]);
}

/**
 * A module's top-level imported calls with their callees resolved, and the calls that may change a binding they
 * are not given: those of a project function changing its own module, and a package's, by the specifier it is
 * imported by.
 */
interface ResolvedCalls {
  readonly callees: readonly Callee[];
  readonly changingOwnModule: readonly number[];
  readonly ofPackage: ReadonlyMap<string, number[]>;
}

/** Each module's calls resolved once per process, by the scope lookups are made in. */
const resolvedCalls = new Map<string, WeakMap<ModuleFile, ResolvedCalls>>();

/** Answers, for a module's top-level calls of imported functions, which of its bindings they change. */
export class ImportedCallEffects {
  /** A module's binding is asked about for every call, by each function's analysis. */
  private readonly resolved: WeakMap<ModuleFile, ResolvedCalls>;

  /** `scope` names what `lookup` depends on (the project root): lookups in one scope give the same modules. */
  constructor(
    private readonly lookup: ModuleLookup,
    scope: string,
  ) {
    let resolved = resolvedCalls.get(scope);
    if (!resolved) resolvedCalls.set(scope, (resolved = new WeakMap()));
    this.resolved = resolved;
  }

  /**
   * The top-level calls of imported functions made in `module` that may change `name`, a binding of `module`, in
   * order, with what each does: passed to the callee, which may change what it is given, or imported from the
   * module of a callee that changes it there.
   */
  effects(module: ModuleFile, name: string): { call: TopLevelImportedCall; effect: 'changes' | 'unknown' }[] {
    const calls = module.summary.importedCalls;
    const binding = module.summary.imports.get(name) ?? module.summary.required.get(name);
    const passing = callsPassing(calls).get(name) ?? [];
    const { callees, changingOwnModule, ofPackage } = this.resolve(module);
    const candidates = binding
      ? [...new Set([...passing, ...changingOwnModule, ...(ofPackage.get(binding.source) ?? [])])].sort((a, b) => a - b)
      : passing;
    const found: { call: TopLevelImportedCall; effect: 'changes' | 'unknown' }[] = [];
    for (const at of candidates) {
      const call = calls[at]!;
      const effect = this.effect(module, call, callees[at], binding, name);
      if (effect) found.push({ call, effect });
    }
    return found;
  }

  private resolve(module: ModuleFile): ResolvedCalls {
    let resolved = this.resolved.get(module);
    if (resolved) return resolved;
    const calls = module.summary.importedCalls;
    // Most calls are of packages (each `memorious(…)`): a specifier is looked up once for all of its calls.
    const modules = new Map<string, ReturnType<ModuleLookup>>();
    const callees = calls.map((call) => {
      const { source } = call.callee;
      if (!modules.has(source)) modules.set(source, this.lookup(module, source));
      return modules.get(source) === 'outside' ? 'outside' : this.callee(module, call, new Set());
    });
    const changingOwnModule: number[] = [];
    const ofPackage = new Map<string, number[]>();
    callees.forEach((callee, at) => {
      if (callee === 'outside') append(ofPackage, calls[at]!.callee.source, at);
      else if (typeof callee === 'object' && callee.effects.names.size > 0) changingOwnModule.push(at);
    });
    this.resolved.set(module, (resolved = { callees, changingOwnModule, ofPackage }));
    return resolved;
  }

  private effect(module: ModuleFile, call: ImportedCall, callee: Callee, binding: ImportedBinding | undefined,
    name: string): CallEffect {
    const positions = call.args.flatMap((arg, position) => (arg === name ? [position] : []));
    if (callee === undefined) return undefined;
    if (callee === 'outside') {
      // A package's function changes its own module's state (`configure({ lr: 2 })` before `model` is read).
      return positions.length > 0 || binding?.source === call.callee.source ? 'unknown' : undefined;
    }
    if (callee === 'unreadable') return positions.length > 0 ? 'changes' : undefined;
    let effect: CallEffect;
    for (const position of positions) effect = strongest(effect, this.parameterEffect(callee, position, new Set()));
    if (effect !== 'changes' && binding && this.changesImported(module, binding, callee)) effect = 'changes';
    return effect;
  }

  /**
   * The module variables (`file\0name`) a call made in `module` changes in the modules of the functions it runs:
   * `register('a', impl)` changes the `registry` of `register`'s module, which a function may read through `get`;
   * through the imported functions the callee calls in turn, and what it passes them to change.
   */
  changedVariables(module: ModuleFile, call: ImportedCall, seen = new Set<string>()): string[] {
    const callee = this.callee(module, call, new Set());
    if (typeof callee !== 'object') return [];
    const key = `${callee.module.file}\0${typeof callee.target === 'string' ? callee.target : callee.target.start}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const changed = [...callee.effects.names].map((name) => this.variable(callee.module, name));
    for (const inner of callee.effects.imported) {
      changed.push(...this.changedVariables(callee.module, inner, seen));
      const innerCallee = this.callee(callee.module, inner, new Set());
      if (typeof innerCallee !== 'object') continue;
      inner.args.forEach((arg, position) => {
        if (typeof arg === 'string' && this.parameterEffect(innerCallee, position, new Set()) === 'changes') {
          changed.push(this.variable(callee.module, arg));
        }
      });
    }
    return changed.filter((variable): variable is string => variable !== undefined);
  }

  /** The module variable (`file\0name`) a top-level name of a module stands for, followed through its imports. */
  private variable(module: ModuleFile, name: string): string | undefined {
    return variableOf(this.binding(module, name, new Set()));
  }

  /**
   * The module variable (`file\0name`) a binding imported by `module` stands for, followed through re-exports and
   * CommonJS exports; undefined for a whole module, a package's or one that cannot be told.
   */
  origin(module: ModuleFile, binding: ImportedBinding): string | undefined {
    return variableOf(this.exported(module, binding.source, binding.imported, new Set()));
  }

  /**
   * The function a callee written in `module` runs: a name declared or imported (`load`), or a member of a
   * namespace import (`io.load` below `import * as io`), of an object written as a literal (`const io = { load }`,
   * imported too) or a class's static method (`IO.load`); undefined when it cannot be told.
   */
  calledFunction(module: ModuleFile, callee: AstNode): { module: ModuleFile; node: AstNode } | undefined {
    let found: Found;
    const n = unwrapTypes(callee);
    if (n.type === 'Identifier') found = this.binding(module, n.name as string, new Set());
    else if (n.type === 'MemberExpression' && unwrapTypes(n.object as AstNode).type === 'Identifier') {
      const property = n.property as AstNode;
      const name = n.computed ? property.value : property.name;
      const object = unwrapTypes(n.object as AstNode).name as string;
      const imported = module.summary.imports.get(object) ?? module.summary.required.get(object);
      if (typeof name !== 'string') return undefined;
      found = imported?.imported === '*'
        ? this.exported(module, imported.source, name, new Set())
        : this.memberOf(this.binding(module, object, new Set()), name, new Set());
    }
    if (typeof found !== 'object') return undefined;
    const node = codeOf(found);
    return node && isFunctionNode(node) ? { module: found.module, node } : undefined;
  }

  /** What the property `name` of an object written as a literal stands for, or a class's static method. */
  private memberOf(found: Found, name: string, seen: Set<string>): Found {
    if (typeof found !== 'object') return found;
    const value = codeOf(found);
    if (value?.type === 'ObjectExpression') return this.value(found.module, property(value, name), seen);
    if (value?.type === 'ClassDeclaration' || value?.type === 'ClassExpression') {
      const method = staticMethod(value, name);
      return method && { module: found.module, target: method };
    }
    // A method of another kind of object is judged as any method call on an object is.
    return undefined;
  }

  /** Whether a function changes the binding of its own module that `binding` (imported by `module`) reads. */
  private changesImported(module: ModuleFile, binding: ImportedBinding, fn: CodeRef & { effects: FunctionEffects }) {
    if (fn.effects.names.size === 0) return false;
    // A namespace may be read for any of its names.
    if (binding.imported === '*') return this.lookup(module, binding.source) === fn.module;
    const source = this.exported(module, binding.source, binding.imported, new Set());
    return (
      typeof source === 'object' &&
      source.module === fn.module &&
      typeof source.target === 'string' &&
      fn.effects.names.has(source.target)
    );
  }

  /** What a function changes of the argument it is given at `position`, through the imported functions it calls too. */
  private parameterEffect(fn: CodeRef & { effects: FunctionEffects }, position: number, seen: Set<string>): CallEffect {
    if (fn.effects.parameters.has(position)) return 'changes';
    const key = `${fn.module.file}\0${typeof fn.target === 'string' ? fn.target : fn.target.start}\0${position}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    let effect: CallEffect;
    for (const call of fn.effects.imported) {
      const passed = call.args.flatMap((arg: CallArgument, at) =>
        typeof arg === 'object' && arg.parameter === position ? [at] : [],
      );
      if (passed.length === 0) continue;
      const callee = this.callee(fn.module, call, new Set());
      if (callee === 'outside') effect = strongest(effect, 'unknown');
      else if (callee === 'unreadable') return 'changes';
      else if (callee) {
        for (const at of passed) effect = strongest(effect, this.parameterEffect(callee, at, seen));
      }
      if (effect === 'changes') return effect;
    }
    return effect;
  }

  /** The function a call of `module` runs, with what it changes. */
  private callee(module: ModuleFile, call: ImportedCall, seen: Set<string>): Callee {
    const { source, imported, member } = call.callee;
    let found: Found;
    if (member === undefined) found = this.exported(module, source, imported, seen);
    else {
      const target = this.lookup(module, source);
      if (target === undefined) found = 'unreadable';
      else found = target === 'outside' ? target : this.member(target, member, seen);
    }
    if (typeof found !== 'object') return found;
    const effects = found.module.summary.effects(found.target);
    // A function made at run time (`export const fill = makeFiller()`) may change anything it is given.
    return effects ? { ...found, effects } : 'unreadable';
  }

  /** A method of a module's default export, called as `h.fill(…)` below `import h from './h.js'`. */
  private member(module: ModuleFile, name: string, seen: Set<string>): Found {
    const { summary } = module;
    // A CommonJS module's default import is its `module.exports`: its properties are its exports.
    if (summary.exports.size === 0 && summary.starExports.length === 0) return this.exportedBy(module, name, seen);
    return this.memberOf(this.exportedBy(module, 'default', seen), name, seen);
  }

  /** The code a value written in a module stands for: a binding by name, or a function written in place. */
  private value(module: ModuleFile, value: AstNode | undefined, seen: Set<string>): Found {
    if (!value) return undefined;
    if (value.type === 'Identifier') return this.binding(module, value.name as string, seen);
    return { module, target: value };
  }

  /** What `name`, exported by the module `specifier` names (imported by `from`), stands for. */
  private exported(from: ModuleFile, specifier: string, name: string, seen: Set<string>): Found {
    const module = this.lookup(from, specifier);
    if (module === undefined) return 'unreadable';
    return module === 'outside' ? module : this.exportedBy(module, name, seen);
  }

  /** What a module's export `name` stands for: through re-exports and `export *`, or CommonJS exports. */
  private exportedBy(module: ModuleFile, name: string, seen: Set<string>): Found {
    const key = `${module.file}\0${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const { summary } = module;
    // A CommonJS module required whole is its `module.exports`.
    if (name === '*' && isCommonJs(module)) return this.exportedBy(module, 'default', seen);
    if (summary.dynamicScope || name === '*') return 'unreadable';
    const target = summary.exports.get(name);
    if (target) {
      if ('local' in target) return this.binding(module, target.local, seen);
      // `export default cfg` exports the binding's object: what changes one changes the other.
      if ('node' in target) {
        return target.node.type === 'Identifier'
          ? this.binding(module, target.node.name as string, seen)
          : { module, target: target.node };
      }
      return this.exported(module, target.source, target.imported, seen);
    }
    for (const source of summary.starExports) {
      const found = this.exported(module, source, name, seen);
      if (found !== undefined) return found;
    }
    for (const statement of summary.commonJsExports) {
      const assignment = statement.expression as AstNode;
      const exportedName = commonJsName(assignment.left as AstNode);
      const value = assignment.right as AstNode;
      if (exportedName === name) return this.value(module, value, seen);
      if (exportedName === 'default' && value.type === 'ObjectExpression' && property(value, name)) {
        return this.value(module, property(value, name), seen);
      }
    }
    return summary.commonJsExports.length > 0 || summary.exports.size === 0 ? 'unreadable' : undefined;
  }

  /** What a top-level name of a module stands for: its own declaration, or what it imports. */
  private binding(module: ModuleFile, name: string, seen: Set<string>): Found {
    const imported = module.summary.imports.get(name) ?? module.summary.required.get(name);
    if (!imported) return { module, target: name };
    return this.exported(module, imported.source, imported.imported, seen);
  }
}
