/**
 * Configuration a helper reads by a name or path its caller gives it (`getEnv('SCALE')` where
 * `getEnv(name)` reads `process.env[name]`, `load('data.csv')` where `load(file)` reads
 * `readFileSync(file)`): what is read is known at each call the reached code makes, from the text
 * written there, and is followed through helpers that pass their own parameter on (`loadJson(file)`
 * calling `load(file)`).
 */
import { walk, type AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import { pathToRange } from './scope-resolution.js';
import {
  codeValues,
  constantPath,
  constantText,
  passedRead,
  type CodeValues,
  type ConfiguredFileRead,
  type FileRead,
  type ParameterRead,
} from './configuration-reads.js';
import { changesItems, parameterUsed, parameterValue, spelled, valueChain } from './parameter-values.js';
import type { ModuleFile } from './module-files.js';

/** A function a call runs: its module and its node. */
export interface CalledFunction {
  readonly module: ModuleFile;
  readonly node: AstNode;
}

/** How names of a module are resolved: the function a callee stands for, and the module's constants. */
export interface NameResolution {
  /**
   * The function (its module and node) a callee of `module` runs — a name declared or imported, a member of a
   * namespace, of an object literal or a class (`io.loadJson`); undefined if none.
   */
  calledFunction(module: ModuleFile, callee: AstNode): CalledFunction | undefined;
  /** A module constant's initializer. */
  constant(module: ModuleFile): (name: string) => AstNode | undefined;
  /** The file a path written in `module` names by an environment variable or the command line, if it does. */
  configuredPath(module: ModuleFile, node: AstNode): ConfiguredFileRead | undefined;
}

/** A file read by a path the environment or the command line gives, with the module it is relative to. */
export interface ConfiguredAt {
  readonly module: ModuleFile;
  readonly read: ConfiguredFileRead;
}

/** A read by a parameter, with the module making it, whose directory a module-relative path is relative to. */
export interface FoundRead {
  readonly reader: ModuleFile;
  readonly read: ParameterRead;
}

/** What the parameter reads resolve to. */
export interface ResolvedReads {
  readonly environment: readonly string[];
  /** Files, each with the module whose directory a module-relative path is relative to. */
  readonly files: readonly { readonly module: ModuleFile; readonly read: FileRead }[];
  /** Files named by what a caller gives from the environment or the command line (`load(process.env.DATA)`). */
  readonly configuredFiles: readonly ConfiguredAt[];
  /**
   * Reads by a parameter of the analyzed function itself whose name or path is known but for that parameter's text
   * (`readFileSync(join('data', name))` in `preprocess(name)`): each call reads by its own argument.
   */
  readonly byArgument: readonly FoundRead[];
  /** Modules whose helper reads an environment variable whose name some use does not show. */
  readonly unresolvedEnvironment: readonly ModuleFile[];
  /** Files read by a path a module makes from a parameter in a way not followed (`load(name.trim())`). */
  readonly unfollowedPaths: readonly { readonly module: ModuleFile; readonly parameter: string }[];
}

/** What the reads resolve to so far, and the functions found called. */
interface Resolving {
  readonly environment: Set<string>;
  readonly files: Map<string, { readonly module: ModuleFile; readonly read: FileRead }>;
  readonly configuredFiles: Map<string, ConfiguredAt>;
  readonly unresolved: Set<ModuleFile>;
  readonly unfollowedPaths: Map<string, { readonly module: ModuleFile; readonly parameter: string }>;
  readonly called: Set<string>;
}

/** The items of a list written in the code, or held in a constant (`['a.csv', 'b.csv']`); else undefined. */
function listItems(node: AstNode, constant: (name: string) => AstNode | undefined): AstNode[] | undefined {
  const n = unwrapTypes(node);
  const list = n.type === 'Identifier' ? constant(n.name as string) : n;
  const items = list?.type === 'ArrayExpression' ? (list.elements as (AstNode | null)[]) : undefined;
  return items?.every((item) => item && item.type !== 'SpreadElement') ? (items as AstNode[]) : undefined;
}

/** A function's key: its module and where its code starts. */
function functionKey(module: ModuleFile, fn: AstNode): string {
  return `${module.file}\0${fn.start}`;
}

/** Collects parameter reads and the reached code, then resolves the reads at the calls that code makes. */
export class ParameterReads {
  private readonly byFunction = new Map<string, FoundRead[]>();
  /** Each piece of reached code with its module, once however many ways the analysis reached it. */
  private readonly code = new Map<AstNode, ModuleFile>();
  /** The function each callee met runs, as names resolve it: asked at each pass over the reached code. */
  private readonly callees = new Map<AstNode, CalledFunction | undefined>();
  /** The code's own names in each piece of reached code, the values each argument may have, and the reads made. */
  private readonly values = new Map<AstNode, CodeValues>();
  private readonly argumentValues = new Map<AstNode, readonly AstNode[]>();
  private readonly made = new Map<AstNode, Map<FoundRead, ParameterRead | undefined>>();

  /** The analyzed function: its callers, outside the analyzed code, give each call's parameters. */
  private analyzed: string | undefined;

  constructor(private readonly names: NameResolution) {}

  /** The function whose calls are keyed; unset for one whose parameters are not its callers' arguments (bound). */
  analyzedFunction(module: ModuleFile, node: AstNode): void {
    this.analyzed = functionKey(module, node);
  }

  /** Code the analysis reached: its calls may give a parameter read its text. */
  reached(module: ModuleFile, node: AstNode): void {
    this.code.set(node, module);
  }

  /** A read found in a module's code, made by a parameter of one of its functions. */
  add(module: ModuleFile, read: ParameterRead): void {
    this.record(module, read, module);
  }

  /** Records a read of a function's parameter: whether it is new. */
  private record(module: ModuleFile, read: ParameterRead, reader: ModuleFile): boolean {
    const key = functionKey(module, read.fn);
    const known = this.byFunction.get(key) ?? [];
    const same = (found: FoundRead) =>
      found.read.position === read.position &&
      found.read.read === read.read &&
      found.read.each === read.each &&
      found.read.property.join('\0') === read.property.join('\0');
    if (known.some(same)) return false;
    this.byFunction.set(key, [...known, { reader, read }]);
    return true;
  }

  /** Resolves every read at the calls of its function in the reached code; repeated as helpers pass parameters on. */
  resolve(): ResolvedReads {
    const resolved: Resolving = {
      environment: new Set(),
      files: new Map(),
      configuredFiles: new Map(),
      unresolved: new Set(),
      unfollowedPaths: new Map(),
      called: new Set(),
    };
    if (this.byFunction.size === 0) {
      return {
        environment: [],
        files: [],
        configuredFiles: [],
        byArgument: [],
        unresolvedEnvironment: [],
        unfollowedPaths: [],
      };
    }
    for (let added = true; added;) {
      added = false;
      for (const [node, module] of this.code) {
        // Names not used as a value: a call's callee, a declaration's or an import's own name, a property's name.
        const notValues = new Set<AstNode>();
        // Members of an object literal (`{ loadJson }`), whose calls through the object are resolved where made.
        const members = new Set<AstNode>();
        walk(node, (child) => {
          if (child.type === 'Property' && !child.computed) {
            // A shorthand property's key may be its value's node, or a copy of it.
            members.add(unwrapTypes(child.value as AstNode)).add(child.key as AstNode);
          }
          if (child.type === 'CallExpression') notValues.add(unwrapTypes(child.callee as AstNode));
          if (child.type === 'MemberExpression' && !child.computed) notValues.add(child.property as AstNode);
          if (child.type === 'Property' && !child.computed && !child.shorthand) notValues.add(child.key as AstNode);
          for (const key of ['id', 'local', 'exported'] as const) {
            const named = child[key] as AstNode | undefined;
            if (named?.type === 'Identifier') notValues.add(named);
          }
          if ((child.type === 'Identifier' || child.type === 'MemberExpression') && !notValues.has(child)) {
            // A helper handed on as a value (`names.map(getEnv)`) is called with names not seen here.
            const member = members.has(child);
            for (const found of this.readsOf(module, child).reads) this.unresolved(found, resolved, !member);
          }
          if (child.type !== 'CallExpression') return true;
          const { key, reads } = this.readsOf(module, unwrapTypes(child.callee as AstNode));
          if (reads.length > 0) resolved.called.add(key!);
          for (const found of reads) {
            const arg = (child.arguments as AstNode[])[found.read.position];
            const given = arg && arg.type !== 'SpreadElement' ? unwrapTypes(arg) : undefined;
            // `load(name)` below `name = name + '.csv'`: each value the code's own names may give it.
            for (const value of given ? this.valuesAt(node, module, given) : [undefined]) {
              if (this.resolveAt(module, value, found, resolved)) continue;
              const passed = value && this.passedOn(module, node, value, found);
              if (passed === undefined) this.unfollowed(module, node, value, found, resolved);
              else if (passed) added = true;
            }
          }
          return true;
        });
      }
    }
    const byArgument: FoundRead[] = [];
    for (const [key, reads] of this.byFunction) {
      if (key === this.analyzed) {
        // Each call of the analyzed function gives it the text that completes what it reads.
        for (const found of reads) {
          if (found.read.template) byArgument.push(found);
          else if (!resolved.called.has(key)) this.unresolved(found, resolved);
        }
        continue;
      }
      // A helper the reached code never calls is called from where the analysis does not look.
      if (resolved.called.has(key)) continue;
      for (const found of reads) this.unresolved(found, resolved);
    }
    return {
      environment: [...resolved.environment],
      files: [...resolved.files.values()],
      configuredFiles: [...resolved.configuredFiles.values()],
      byArgument,
      unresolvedEnvironment: [...resolved.unresolved],
      unfollowedPaths: [...resolved.unfollowedPaths.values()],
    };
  }

  /**
   * A read whose name or path a call does not show: a variable is warned about; a file counts by every file its
   * path can stand for (`data/*` for `join('data', file)`), when some of it is known.
   */
  private unresolved(found: FoundRead, resolved: Resolving, warn = true): void {
    const { kind, pattern } = found.read;
    if (kind === 'environment') resolved.unresolved.add(found.reader);
    else if (pattern) {
      const key = `${found.reader.file}\0${pattern.base}\0${pattern.path}`;
      resolved.files.set(key, { module: found.reader, read: pattern });
    } else if (warn) this.unfollowedPath(found.reader, found.read.parameter, resolved);
  }

  /** A file read by a path made from `parameter` in `module` that is not followed: its changes are not seen. */
  private unfollowedPath(module: ModuleFile, parameter: string, resolved: Resolving): void {
    resolved.unfollowedPaths.set(`${module.file}\0${parameter}`, { module, parameter });
  }

  /** The reads made by the function a callee of `module` stands for, with its key. */
  private readsOf(module: ModuleFile, callee: AstNode): { key?: string; reads: readonly FoundRead[] } {
    let fn = this.callees.get(callee);
    if (!this.callees.has(callee)) this.callees.set(callee, (fn = this.names.calledFunction(module, callee)));
    const key = fn && functionKey(fn.module, fn.node);
    return { key, reads: (key && this.byFunction.get(key)) || [] };
  }

  /** The values of the code's own names in `node`, worked out once per piece of code. */
  private codeValuesOf(module: ModuleFile, node: AstNode): CodeValues {
    let values = this.values.get(node);
    if (!values) this.values.set(node, (values = codeValues(node, this.names.constant(module))));
    return values;
  }

  /** The values an argument written in `node` may have, through the code's own names; the same nodes at each pass. */
  private valuesAt(node: AstNode, module: ModuleFile, given: AstNode): readonly AstNode[] {
    let values = this.argumentValues.get(given);
    if (!values) this.argumentValues.set(given, (values = this.codeValuesOf(module, node).paths(given)));
    return values;
  }

  /**
   * A read whose argument a call gives in a way the analysis cannot follow: counted by the files its path can name,
   * if any. Else a path made from a parameter of the caller's (`load(name.trim())`) is warned about, as that file's
   * changes are not seen; one built at run time from other values is not, as it would not be read in place.
   */
  private unfollowed(
    module: ModuleFile,
    node: AstNode,
    given: AstNode | undefined,
    found: FoundRead,
    resolved: Resolving,
  ): void {
    this.unresolved(found, resolved, false);
    const parameter = given && !found.read.pattern && found.read.kind === 'file' && parameterUsed(node, given);
    if (parameter) this.unfollowedPath(module, parameter, resolved);
  }

  /** Records what a read makes when its parameter is given `given` in `module`; false when that is not known. */
  private resolveAt(module: ModuleFile, given: AstNode | undefined, found: FoundRead, resolved: Resolving): boolean {
    if (!given) return false;
    const constant = this.names.constant(module);
    if (found.read.each) {
      // Each item of a list written in the code (`loadAll(['a.csv', 'b.csv'])`, a constant holding one).
      const items = listItems(given, constant);
      const item = { ...found, read: { ...found.read, each: undefined } };
      return !!items && items.every((element) => this.resolveAt(module, element, item, resolved));
    }
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
    const configured = read === undefined ? this.configuredAt(module, given, found) : undefined;
    if (configured) resolved.configuredFiles.set(JSON.stringify([configured.module.file, configured.read]), configured);
    return read !== undefined || configured !== undefined;
  }

  /**
   * The file a read by a path makes when its caller gives what the environment or the command line holds:
   * `load(process.env.DATA)` reading `readFileSync(file)`, or `readFileSync(join('data', file))`.
   */
  private configuredAt(module: ModuleFile, given: AstNode, found: FoundRead): ConfiguredAt | undefined {
    const { kind, whole, template } = found.read;
    const path = kind === 'file' ? this.names.configuredPath(module, given) : undefined;
    if (!path) return undefined;
    // The whole path, written by the caller: relative to the caller's directory.
    if (whole) return { module, read: path };
    // A part of the helper's path: the caller's text as it is written, in its place.
    if (!template || template.url || template.transform || template.pieces.length !== 2 || path.base !== 'cwd') {
      return undefined;
    }
    if (path.url) return undefined;
    const [before, after] = template.pieces as [string, string];
    const pieces = path.pieces.map((piece, i) =>
      (i === 0 ? before : '') + piece + (i === path.pieces.length - 1 ? after : ''));
    return { module: found.reader, read: { values: path.values, pieces, base: template.base ?? 'cwd' } };
  }

  /**
   * `loadJson(file)` calling `load(file)` in reached code: the read is made by the caller's parameter too (or by a
   * property of it: `load(cfg.data)`). Whether that is new; undefined when `given` is no value the caller was given.
   */
  private passedOn(module: ModuleFile, node: AstNode, given: AstNode, found: FoundRead): boolean | undefined {
    if (!valueChain(given)) return this.passedMade(module, node, given, found);
    const value = parameterValue(pathToRange(node, given.start, given.end), given, found.read.property);
    if (!value) return undefined;
    // Each item of a list of items is not followed, nor a list the caller may change before handing it on.
    if (value.each !== undefined && found.read.each) return undefined;
    if (found.read.each && changesItems(value.fn.body as AstNode, value, given)) return undefined;
    const parameter = spelled({ ...value, chain: [...value.chain, ...found.read.property] });
    const read = {
      ...found.read,
      fn: value.fn,
      parameter: found.read.each ? `${parameter}[]` : parameter,
      position: value.position,
      property: [...value.property, ...found.read.property],
      ...(value.each !== undefined && { each: true as const }),
    };
    return this.record(module, read, found.reader);
  }

  /**
   * `load(name + '.csv')` or `load(join('data', name))` in reached code: the read is made by the caller's parameter
   * the argument is made of, the helper's path holding the argument's text. Whether that is new; undefined when the
   * argument is made of no one parameter with constants.
   */
  private passedMade(module: ModuleFile, node: AstNode, given: AstNode, found: FoundRead): boolean | undefined {
    let made = this.made.get(given);
    if (!made) this.made.set(given, (made = new Map()));
    if (!made.has(found)) {
      made.set(found, passedRead(node, given, found.read, this.codeValuesOf(module, node).constant));
    }
    const read = made.get(found);
    if (!read) return undefined;
    // A whole path the caller writes is relative to the caller's directory; a part of the helper's, to the helper's.
    return this.record(module, read, found.read.whole && found.read.kind === 'file' ? module : found.reader);
  }
}
