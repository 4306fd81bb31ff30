/**
 * Configuration a helper reads by a name or path its caller gives it (`getEnv('SCALE')` where
 * `getEnv(name)` reads `process.env[name]`, `load('data.csv')` where `load(file)` reads
 * `readFileSync(file)`): what is read is known at each call the reached code makes, from the text
 * written there, and is followed through helpers that pass their own parameter on (`loadJson(file)`
 * calling `load(file)`).
 */
import { walk, type AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import { constantPath, constantText, type FileRead, type ParameterRead } from './configuration-reads.js';
import type { ModuleFile } from './module-files.js';

/** How names of a module are resolved: the function a name stands for, and the module's constants. */
export interface NameResolution {
  /** The top-level function (`file\0name`) a name of `module` stands for, declared or imported; undefined if none. */
  functionOf(module: ModuleFile, name: string): string | undefined;
  /** A module constant's initializer. */
  constant(module: ModuleFile): (name: string) => AstNode | undefined;
}

/** What the parameter reads resolve to. */
export interface ResolvedReads {
  readonly environment: readonly string[];
  /** Files, each with the module whose directory a module-relative path is relative to. */
  readonly files: readonly { readonly module: ModuleFile; readonly read: FileRead }[];
  /** Modules whose helper reads an environment variable whose name some use does not show. */
  readonly unresolvedEnvironment: readonly ModuleFile[];
}

/** What the reads resolve to so far, and the functions found called. */
interface Resolving {
  readonly environment: Set<string>;
  readonly files: Map<string, { readonly module: ModuleFile; readonly read: FileRead }>;
  readonly unresolved: Set<ModuleFile>;
  readonly called: Set<string>;
}

interface Found {
  /** The module of the function whose parameter it is. */
  readonly module: ModuleFile;
  /** The module making the read, whose directory a module-relative path is relative to. */
  readonly reader: ModuleFile;
  readonly read: ParameterRead;
}

/** The top-level function a declaration declares (`function f`, `const f = () => …`), with its name. */
function declaredFunction(module: ModuleFile, fn: AstNode): string | undefined {
  for (const [name, { node }] of module.summary.declarations) {
    if (node === fn || (node.type === 'VariableDeclarator' && unwrapTypes(node.init as AstNode) === fn)) return name;
  }
  return undefined;
}

/** Collects parameter reads and the reached code, then resolves the reads at the calls that code makes. */
export class ParameterReads {
  private readonly byFunction = new Map<string, Found[]>();
  private readonly code: [ModuleFile, AstNode][] = [];

  constructor(private readonly names: NameResolution) {}

  /** Code the analysis reached: its calls may give a parameter read its text. */
  reached(module: ModuleFile, node: AstNode): void {
    this.code.push([module, node]);
  }

  /**
   * A read found in a module's code: false when it cannot be followed to its callers, as only a top-level
   * function's parameter can.
   */
  add(module: ModuleFile, read: ParameterRead): boolean {
    return this.record(module, read, module) !== undefined;
  }

  /** Records a read of a module's top-level function: whether it is new; undefined for another function's. */
  private record(module: ModuleFile, read: ParameterRead, reader: ModuleFile): boolean | undefined {
    const name = declaredFunction(module, read.fn);
    if (name === undefined) return undefined;
    const key = `${module.file}\0${name}`;
    const known = this.byFunction.get(key) ?? [];
    if (known.some((found) => found.read.position === read.position && found.read.read === read.read)) return false;
    this.byFunction.set(key, [...known, { module, reader, read }]);
    return true;
  }

  /** Resolves every read at the calls of its function in the reached code; repeated as helpers pass parameters on. */
  resolve(): ResolvedReads {
    const resolved: Resolving = { environment: new Set(), files: new Map(), unresolved: new Set(), called: new Set() };
    if (this.byFunction.size === 0) return { environment: [], files: [], unresolvedEnvironment: [] };
    for (let added = true; added;) {
      added = false;
      for (const [module, node] of this.code) {
        const enclosing = unwrapTypes((node.type === 'VariableDeclarator' ? node.init : node) as AstNode);
        // Names not used as a value: a call's callee, a declaration's or an import's own name, a property's name.
        const notValues = new Set<AstNode>();
        walk(node, (child) => {
          if (child.type === 'CallExpression') notValues.add(unwrapTypes(child.callee as AstNode));
          if (child.type === 'MemberExpression' && !child.computed) notValues.add(child.property as AstNode);
          if (child.type === 'Property' && !child.computed && !child.shorthand) notValues.add(child.key as AstNode);
          for (const key of ['id', 'local', 'exported'] as const) {
            const named = child[key] as AstNode | undefined;
            if (named?.type === 'Identifier') notValues.add(named);
          }
          if (child.type === 'Identifier' && !notValues.has(child)) {
            // A helper handed on as a value (`names.map(getEnv)`) is called with names not seen here.
            for (const found of this.readsOf(module, child)) {
              if (found.read.kind === 'environment') resolved.unresolved.add(found.reader);
            }
          }
          if (child.type !== 'CallExpression') return true;
          const callee = unwrapTypes(child.callee as AstNode);
          const reads = callee.type === 'Identifier' ? this.readsOf(module, callee) : [];
          if (reads.length > 0) resolved.called.add(this.names.functionOf(module, callee.name as string)!);
          for (const found of reads) {
            const arg = (child.arguments as AstNode[])[found.read.position];
            const given = arg && arg.type !== 'SpreadElement' ? unwrapTypes(arg) : undefined;
            if (this.resolveAt(module, given, found, resolved)) continue;
            if (given?.type === 'Identifier' && this.passedOn(module, enclosing, given.name as string, found)) {
              added = true;
            } else if (found.read.kind === 'environment') resolved.unresolved.add(found.reader);
          }
          return true;
        });
      }
    }
    // A helper the reached code never calls is called from where the analysis does not look.
    for (const [key, reads] of this.byFunction) {
      if (resolved.called.has(key)) continue;
      for (const found of reads) if (found.read.kind === 'environment') resolved.unresolved.add(found.reader);
    }
    return {
      environment: [...resolved.environment],
      files: [...resolved.files.values()],
      unresolvedEnvironment: [...resolved.unresolved],
    };
  }

  /** The reads made by the function a name of `module` stands for. */
  private readsOf(module: ModuleFile, name: AstNode): readonly Found[] {
    const key = this.names.functionOf(module, name.name as string);
    const reads = key === undefined ? undefined : this.byFunction.get(key);
    return reads ?? [];
  }

  /** Records what a read makes when its parameter is given `given` in `module`; false when that is not known. */
  private resolveAt(module: ModuleFile, given: AstNode | undefined, found: Found, resolved: Resolving): boolean {
    if (!given) return false;
    const constant = this.names.constant(module);
    // The whole path, written by the caller: relative to the caller's directory.
    const path = found.read.whole && found.read.kind === 'file' ? constantPath(given, constant) : undefined;
    if (path) {
      resolved.files.set(`${module.file}\0${path.base}\0${path.path}`, { module, read: path });
      return true;
    }
    const text = constantText(given, constant);
    const read = text === undefined ? undefined : found.read.read(text);
    if (typeof read === 'string') resolved.environment.add(read);
    else if (read) {
      resolved.files.set(`${found.reader.file}\0${read.base}\0${read.path}`, { module: found.reader, read });
    }
    return read !== undefined;
  }

  /** `loadJson(file)` calling `load(file)`: the read is made by the caller's parameter too. */
  private passedOn(module: ModuleFile, fn: AstNode, name: string, found: Found): boolean {
    const params = (fn.params as AstNode[] | undefined) ?? [];
    const position = params.findIndex((param) => param.type === 'Identifier' && param.name === name);
    if (position < 0) return false;
    return this.record(module, { ...found.read, fn, position }, found.reader) === true;
  }
}
