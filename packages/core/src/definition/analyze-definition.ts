/**
 * Computing a function's definition hash: the code it runs and everything that code
 * reaches, collected first as a set of dependencies (so cycles terminate and visit
 * order does not matter), then hashed as a sorted list.
 *
 * A function found in its module file is analyzed statically: same-module helpers,
 * classes and constants wherever declared, local imports followed file to file,
 * packages by `name@version`, builtins by name. Values captured from enclosing
 * functions are read at run time through the inspector. A function with no file
 * (eval, `new Function`, the REPL, `node -e`) is hashed from its runtime code and
 * the values its names have at run time.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalBytes } from '../canonical-hash.js';
import { readsThis, type AstNode } from '../function-source.js';
import { readParameters } from '../parameters.js';
import { sha256Hex } from '../sha256.js';
import { moduleReassignedNames } from './binding-names.js';
import { functionCodeHash, nodeHash, parseRuntimeCode } from './code-hash.js';
import {
  RuntimeHasher,
  mayBeBound,
  programBuiltinMembers,
  programGlobal,
  type FunctionHash,
} from './closure-values.js';
import { patternParts, type ConfigurationRead, type ConfiguredValue } from './configuration.js';
import {
  configurationReads,
  configuredPath,
  isFunesSetting,
  mayReadConfiguration,
  type ConfiguredFileRead,
  type FileRead,
} from './configuration-reads.js';
import { ConstantValues } from './imported-constants.js';
import { ParameterReads, type FoundRead } from './parameter-reads.js';
import {
  codeCommandLine,
  commandLineArgument,
  commandLineParts,
  moduleCommandLine,
  type CommandLineContext,
} from './command-line-reads.js';
import { ImportedCallEffects } from './imported-calls.js';
import { functionAt, locateFunction, writtenAtSite } from './function-location.js';
import {
  entryModuleFile,
  isDataModule,
  isScriptFile,
  loadModule,
  resolveRelativeImport,
  snapshotSource,
  type ModuleFile,
} from './module-files.js';
import {
  mayRequestModules,
  moduleRequests,
  type ImportedBinding,
  type TopLevelImportedCall,
} from './module-summary.js';
import { isTestModule, matchingModules } from './module-files.js';
import { packageOfFile, resolveBareImport } from './package-version.js';
import { isInside, projectRoot, relativePath, workspaceRoot } from './project-root.js';
import { ScopeReader, type BoundParts, type FunctionPosition } from './runtime-scopes.js';
import {
  capturedState,
  classifyFreeNames,
  freeVariables,
  globalObjectProperties,
  memberNames,
  pathTo,
} from './scope-resolution.js';
import { sourcePosition, type DefinitionSite } from './site.js';

/** One thing a definition hash covers. */
export interface Dependency {
  /**
   * `function`: the function's own code; `local`: a declaration in a project file
   * (`*` for a whole module); `import`: a Node builtin; `package`: a node_modules
   * package by version; `closure`: a value captured at run time; `explicit`: from `deps`.
   */
  readonly kind: 'function' | 'local' | 'import' | 'package' | 'closure' | 'explicit';
  /** The identifier, `*` for a whole module, the builtin's `node:` name, or `name@version`. */
  readonly name: string;
  /** Project-relative file, `/`-separated, when known. */
  readonly file?: string;
  /** 1-based line of the declaration in `file`. */
  readonly line?: number;
  /** The dependency's source text, for `funes diff`. */
  readonly source?: string;
  /** A package's version. */
  readonly version?: string;
  /** SHA-256 (hex) of what was hashed for it. */
  readonly hash: string;
}

/** What a function's definition hash covered, as `describeDefinition` reports it. */
export interface DefinitionDescription {
  /** 64-hex SHA-256: the version directory name. */
  readonly hash: string;
  readonly name: string;
  /** The defining module's path relative to the project root, `/`-separated, when known. */
  readonly modulePath?: string;
  /**
   * The project's directory (absolute; its workspace root in a monorepo), when known: not
   * hashed, it tells apart the projects sharing a cache.
   */
  readonly projectDir?: string;
  /** The function's own source text. */
  readonly source: string;
  readonly dependencies: readonly Dependency[];
  /** Where the hash may miss a change (eval, values it cannot hash, …). */
  readonly warnings: readonly string[];
  /** The `version` option, when the hash was pinned by hand. */
  readonly pinnedVersion?: string;
  /** Environment variables and files the code reads (and the `files` option): their values join each call's key. */
  readonly configuration: readonly ConfigurationRead[];
}

/**
 * What {@link analyzeDefinition} needs besides the function: its cache
 * name, where it was wrapped, and the `deps` and `version` options.
 */
export interface DefinitionOptions {
  readonly name: string;
  readonly site: DefinitionSite;
  readonly deps?: readonly unknown[] | undefined;
  readonly version?: string | undefined;
  readonly files?: readonly string[] | undefined;
}

const PARSER_PACKAGE = createRequire(import.meta.url)('oxc-parser/package.json') as { version: string };

/** This package's directory (`packages/core`, whether it runs from its sources or its build). */
const FUNES_CORE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Whether a module is one of Funes' own (its tests aside), reached where Funes is imported by path rather than as a
 * package: the variables it reads by computed names are its own settings, not the user's configuration.
 */
function isFunesOwnModule(file: string): boolean {
  return isInside(FUNES_CORE_DIR, file) && !isTestModule(file);
}
const PARSER = `oxc-parser@${PARSER_PACKAGE.version}`;
/** Salts every definition hash: a new parser or normal form must not be mistaken for unchanged code. */
const HASH_FORMAT = `funes-definition/3 ${PARSER}`;

/** One analysis: the dependencies found so far, keyed so each is visited once. */
/** The specifiers each module loads, by {@link loadedSpecifiers}: listed once per process, as modules are read. */
const specifiersLoaded = new WeakMap<ModuleFile, string[]>();

/** The specifiers of the modules a module loads: those it imports or requires, and those it loads for their effect. */
function loadedSpecifiers(module: ModuleFile): string[] {
  let sources = specifiersLoaded.get(module);
  if (sources) return sources;
  sources = [...module.summary.imports.values(), ...module.summary.required.values()].map((b) => b.source);
  for (const statement of module.program.body as AstNode[]) {
    // `import './plugins.js'` and re-exports load a module without binding a name.
    const source = statement.source as AstNode | null | undefined;
    if (source && typeof source.value === 'string') sources.push(source.value);
  }
  // So do `require('./plugins.js')` as a statement (as tsc compiles `import './plugins.js'`) and `import()`.
  const { requireNames } = module.summary;
  if (mayRequestModules(module.text, requireNames)) {
    sources.push(...moduleRequests(module.program, requireNames).specifiers);
  }
  specifiersLoaded.set(module, sources);
  return sources;
}

/**
 * What each top-level call changes elsewhere (`register('a', impl)`), by the project root its imports resolve from:
 * modules are read once per process, so every function defined asks the same question of the same calls.
 */
const changedByCall = new WeakMap<TopLevelImportedCall, Map<string, string[]>>();

/** A module's top-level imported calls by each variable they change (their positions), by project root likewise. */
const callsByChange = new WeakMap<ModuleFile, Map<string, Map<string, number[]>>>();

/**
 * Whether a word handed to a worker or a child process names a file. Not one a path cannot
 * be (a name too long, below a file): the code of `new Worker(code, { eval: true })` is such a word.
 */
function namesFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/** A function's node in the module that defines it. */
interface Placement {
  readonly module: ModuleFile;
  readonly target: AstNode;
}

/** {@link Analysis.placed} by function: a module's text is read once per process. */
const placements = new WeakMap<Function, Placement | undefined>();

/** {@link Analysis.origin} of functions, by function and workspace: where a function's code is never changes. */
const origins = new WeakMap<Function, Map<string, string | undefined>>();

class Analysis {
  readonly dependencies = new Map<string, Dependency>();
  readonly warnings = new Set<string>();
  /** Configuration the reached code reads, by kind and name. */
  readonly configuration = new Map<string, ConfigurationRead>();
  readonly hasher: RuntimeHasher;
  private scopeReader: ScopeReader | null | undefined;
  private readonly exportsSeen = new Set<string>();
  /** The analyzed function's own node, which is not listed again when a helper refers back to it. */
  self: AstNode | undefined;
  /** Scripts handed to a worker or a child process, analyzed once the calling code has been. */
  private readonly launched: string[] = [];
  /** Whether the function has the `files` option, which names the files read by paths the analysis cannot follow. */
  filesOption = false;
  /** Set while analyzing a launched script: the command line it reads is its own, written in the calling code. */
  private inLaunched = false;
  /** Module variables the analysis reached (`file\0name`), which modules importing them may change. */
  private readonly reachedVariables = new Set<string>();
  /** Members the program added to built-in prototypes and objects, by name, as they are when the analysis starts. */
  private builtinMembers: Map<string, { path: string; value: unknown }[]> | undefined;
  /** The module each module's specifier loads, as {@link moduleOf} resolved it. */
  private readonly modulesOf = new Map<string, ModuleFile | 'outside' | undefined>();
  /** What top-level calls of imported functions change, read from the callees' modules. */
  private readonly importedCalls: ImportedCallEffects;
  /** Configuration helpers read by a name or path their callers give them. */
  private readonly parameterReads = new ParameterReads({
    calledFunction: (module, callee) => this.importedCalls.calledFunction(module, callee),
    constant: (module) => this.constantValues.of(module),
    configuredPath: (module, node) => {
      const context = commandLineContext(module, true);
      const argument = (expression: AstNode) => commandLineArgument(expression, context);
      return configuredPath(node, this.constantValues.of(module), context.names, argument);
    },
  });
  /** Module constants as configuration reads see them, imported ones included. */
  private readonly constantValues = new ConstantValues({
    own: (module) => commandLineContext(module, false).constant,
    origin: (module, binding) => this.importedCalls.origin(module, binding),
  });

  constructor(
    readonly root: string | undefined,
    done?: Map<Function, FunctionHash>,
  ) {
    this.importedCalls = new ImportedCallEffects((module, specifier) => this.moduleOf(module, specifier), root ?? '');
    this.hasher = new RuntimeHasher({
      scopes: (fn) => {
        try {
          return this.reader()?.scopes(fn) ?? [];
        } catch (error) {
          this.warnings.add(
            `the inspector cannot read the scopes of ` +
                `${fn.name || 'a function'} (${(error as Error).message}); values it captures are not hashed`,
          );
          return [];
        }
      },
      origin: (fn) => this.origin(fn),
      enclosingNames: (fn) => this.enclosingNames(fn),
      // Only a value's hash is kept or not by what it reads; placing each function costs a listing of every script.
      ...(root === undefined && {
        assigned: (fn: Function, name: string) => {
          const placed = this.placed(fn);
          return placed && moduleReassignedNames(placed.module.program).has(name);
        },
      }),
      warn: (message) => this.warnings.add(message),
      bound: (fn) => this.bound(fn),
    }, done);
  }

  /** What a bound function was made of, through the inspector. */
  bound(fn: Function): BoundParts | undefined {
    try {
      return this.reader()?.boundParts(fn);
    } catch {
      return undefined;
    }
  }

  /**
   * A function's node, found where V8 says its code starts;
   * undefined for code with no file or a file that cannot be parsed.
   */
  placed(fn: Function): Placement | undefined {
    if (!placements.has(fn)) placements.set(fn, this.find(fn));
    return placements.get(fn);
  }

  private find(fn: Function): Placement | undefined {
    let position: FunctionPosition | undefined;
    let url: string | undefined;
    try {
      position = this.reader()?.position(fn);
      url = position && this.reader()?.urlOf(position.scriptId);
    } catch {
      return undefined;
    }
    const file = url?.startsWith('file:') ? fileURLToPath(url) : url?.startsWith('/') ? url : undefined;
    if (!position || !file || !isScriptFile(file)) return undefined;
    const module = loadModule(file);
    const at = module && sourcePosition(file, position.line + 1, position.column + 1);
    if (!module || !at) return undefined;
    const target = functionAt(
      module.program,
      module.offset(at.line, at.column),
      /^class\b/.test(Function.prototype.toString.call(fn)),
    );
    return target && { module, target };
  }

  /**
   * Where a function comes from: a `node:` module, a package's closure of versions and its file there; undefined for
   * the program's.
   */
  origin(fn: Function): string | undefined {
    const workspace = this.root === undefined ? '' : workspaceRoot(this.root);
    let known = origins.get(fn);
    if (!known) origins.set(fn, (known = new Map()));
    if (!known.has(workspace)) known.set(workspace, this.originIn(fn, workspace || undefined));
    return known.get(workspace);
  }

  private originIn(fn: Function, workspace: string | undefined): string | undefined {
    let url: string | undefined;
    try {
      url = this.reader()?.scriptUrl(fn);
    } catch {
      // Without a URL the function is walked as the program's own code: more is hashed, not less.
      return undefined;
    }
    if (url === undefined) return undefined;
    if (url.startsWith('node:')) return url;
    // Funes' own functions, reached through a value (a class calling `memorious`), are a package as imports of it are.
    const pkg = packageOfFile(url.startsWith('file:') ? fileURLToPath(url) : url, workspace);
    return pkg && `${pkg.closure.join('\n')}\n${pkg.path}`;
  }

  /** The free names a function reads from the functions enclosing it in its file; undefined where it is not placed. */
  enclosingNames(fn: Function): readonly string[] | undefined {
    const placed = this.placed(fn);
    const path = placed && pathTo(placed.module.program, placed.target);
    if (!path) return undefined;
    const names: string[] = [];
    for (const [name, origin] of classifyFreeNames(path, placed.module.summary)) {
      if (origin === 'enclosing') names.push(name);
    }
    return names;
  }

  private reader(): ScopeReader | null {
    if (this.scopeReader === undefined) {
      try {
        this.scopeReader = new ScopeReader();
      } catch (error) {
        this.scopeReader = null;
        this.warnings.add(
          `the inspector is unavailable (${(error as Error).message}), so values captured in closures are not hashed`,
        );
      }
    }
    return this.scopeReader;
  }

  close(): void {
    this.scopeReader?.close();
  }

  relative(file: string): string {
    return this.root === undefined ? file : relativePath(this.root, file);
  }

  /**
   * Records the command line, environment variables and files a piece of code reads; a module's constants may
   * hold the paths. `binding`: the name a module's declarator is reached by; `whole`: the module runs as a whole.
   */
  reads(node: AstNode, module?: ModuleFile, binding?: string, whole = false): void {
    const context = module ? commandLineContext(module, !whole) : codeCommandLine(node);
    if (module && !mayRead(module.text.slice(node.start, node.end), context)) return;
    const { environment, computedEnvironment, files, configuredFiles, parameterReads, unfollowedPaths, untracedPaths } =
      configurationReads(
        node,
        module ? this.constantValues.of(module) : context.constant,
        context.names,
        (expression) => commandLineArgument(expression, context),
      );
    let computed = computedEnvironment;
    for (const read of parameterReads) {
      // Known where the function is called, which code without a file does not show.
      if (module) this.parameterReads.add(module, read);
      else if (read.kind === 'environment') computed = true;
    }
    if (computed) this.computedEnvironment(module);
    for (const name of unfollowedPaths) this.unfollowedPath(module, name);
    for (const name of untracedPaths) this.unfollowedPath(module, name, false);
    // A launched script's command line is its own, written in the calling code.
    for (const part of this.inLaunched ? [] : commandLineParts(node, context, binding)) {
      if (part.kind === 'all') this.configuration.set('arguments', { kind: 'arguments', name: 'process.argv' });
      // Node's and the script's paths say where it runs, not what it computes.
      else if (part.kind === 'position' && part.index >= 2) {
        const name = `process.argv[${part.index}]`;
        this.configuration.set(`arguments\0${name}`, { kind: 'arguments', name, argument: { index: part.index } });
      } else if (part.kind === 'option') {
        this.configuration.set(`arguments\0--${part.name}\0${part.config}`, {
          kind: 'arguments',
          name: `--${part.name}`,
          argument: { option: part.name, config: part.config },
        });
      }
    }
    for (const name of environment) this.configuration.set(`environment\0${name}`, { kind: 'environment', name });
    for (const read of files) this.fileRead(read, module);
    for (const read of configuredFiles) this.configuredFileRead(read, module);
  }

  /**
   * A file whose path holds an environment variable's value or a word of the command line: listed as
   * `${process.env.DATA}`, and read as those name it at each call.
   */
  private configuredFileRead(read: ConfiguredFileRead, module: ModuleFile | undefined): void {
    const written = read.pieces.reduce((path, piece, i) => path + configuredName(read.values[i - 1]!) + piece);
    const dir = read.base === 'module' && module ? dirname(module.file) : undefined;
    const name = dir === undefined ? written : this.relative(resolve(dir, written));
    this.configuration.set(`file\0${name}`, {
      kind: 'file',
      name,
      configured: {
        values: read.values,
        pieces: read.pieces,
        ...(dir !== undefined && { dir }),
        ...(read.url && { url: read.url }),
      },
    });
  }

  private computedEnvironment(module: ModuleFile | undefined): void {
    if (module && isFunesOwnModule(module.file)) return;
    this.warnings.add(
      `${module ? this.relative(module.file) : 'code without a file'} reads environment variables by a name ` +
        `computed at run time; changes to them are not seen`,
    );
  }

  /**
   * A file read by a path made from a parameter, `name`, whose value at the read the analysis cannot tell: `changed`
   * at run time (`name++`), or made into the path in a way not followed.
   */
  private unfollowedPath(module: ModuleFile | undefined, name: string, changed = true): void {
    // The `files` option is how such a file is named: it covers what the analysis cannot follow.
    if ((module && isFunesOwnModule(module.file)) || this.filesOption) return;
    const how = changed ? ', changed at run time in a way not followed' : ' in a way not followed';
    this.warnings.add(
      `${module ? this.relative(module.file) : 'code without a file'} reads a file by a path made from the argument ` +
        `${name}${how}; changes to that file are not seen`,
    );
  }

  /** A file the code reads; `module`: the reading module, whose directory a module-relative path is relative to. */
  private fileRead(read: FileRead, module: ModuleFile | undefined): void {
    if (read.pattern) return this.patternRead(read, module);
    const path = read.base === 'module' && module ? resolve(dirname(module.file), read.path) : undefined;
    if (read.launched) {
      // A word handed to a worker or a child process is a script only if it names a file.
      const script = path ?? resolve(read.path);
      if (!namesFile(script)) return;
      // A JavaScript or TypeScript script is code: the modules it imports count with it.
      if (isScriptFile(script)) this.launched.push(script);
    }
    const name = path === undefined ? read.path : this.relative(path);
    this.configuration.set(`file\0${name}`, { kind: 'file', name, ...(path === undefined ? {} : { path }) });
  }

  /** The files a path built at run time can name (`data/*`), counted as a pattern of the `files` option is. */
  private patternRead(read: FileRead, module: ModuleFile | undefined): void {
    const files = this.patternFiles(read, module);
    if (files) this.configuration.set(`files\0${files.name}`, files);
  }

  /**
   * The `files` read standing for a path built at run time; undefined for a directory holding the working directory
   * or the module's, which would stand for the whole project.
   */
  private patternFiles(read: FileRead, module: ModuleFile | undefined): ConfigurationRead | undefined {
    const { dir, rest } = patternParts(read.path);
    const from = read.base === 'module' && module ? dirname(module.file) : process.cwd();
    const path = resolve(from, dir);
    const holds = (inner: string) => isInside(path, inner);
    if (holds(process.cwd()) || (module && holds(dirname(module.file))) || path.split(sep).includes('node_modules')) {
      return undefined;
    }
    const name = read.base === 'module' && module ? `${this.relative(path)}/${rest}` : read.path;
    return { kind: 'files', name, ...(read.base === 'module' && module ? { path } : {}) };
  }

  /**
   * A variable or file named by a parameter of the analyzed function (`join('data', name)` in `preprocess(name)`):
   * listed as `data/${name}`, and read by each call's own argument.
   */
  private argumentRead({ reader, read }: FoundRead): void {
    const { pieces, base, url, transform } = read.template!;
    const calls = (transform ?? []).map(({ method, args }) => `.${method}(${args.map((a) => JSON.stringify(a))})`);
    const written = pieces.join(`\${${read.parameter}${calls.join('')}}`);
    const dir = base === 'module' ? dirname(reader.file) : undefined;
    const name = dir === undefined ? written : this.relative(resolve(dir, written));
    const otherwise = read.pattern && this.patternFiles(read.pattern, reader);
    this.configuration.set(`${read.kind}\0${name}`, {
      kind: read.kind,
      name,
      parameter: {
        name: readParameters(read.fn)[read.position]!.name,
        ...(read.property.length > 0 && { property: read.property }),
        ...(read.each && { each: true }),
        ...(transform && { transform }),
        pieces,
        ...(dir !== undefined && { dir }),
        ...(url && { url }),
        ...(otherwise && { otherwise }),
      },
    });
  }

  /** The function a call runs: each call gives its parameters, which what it reads may be named by. */
  analyzedFunction(module: ModuleFile, node: AstNode): void {
    this.parameterReads.analyzedFunction(module, node);
  }

  /** What helpers read by a name or path their callers give them (`getEnv('SCALE')`), once all the code is reached. */
  parameterConfiguration(): void {
    const { environment, files, configuredFiles, byArgument, unresolvedEnvironment, unfollowedPaths } =
      this.parameterReads.resolve();
    for (const name of environment) {
      if (!isFunesSetting(name)) this.configuration.set(`environment\0${name}`, { kind: 'environment', name });
    }
    for (const { module, read } of files) this.fileRead(read, module);
    for (const { module, read } of configuredFiles) this.configuredFileRead(read, module);
    for (const found of byArgument) this.argumentRead(found);
    for (const module of unresolvedEnvironment) this.computedEnvironment(module);
    for (const { module, parameter } of unfollowedPaths) this.unfollowedPath(module, parameter, false);
  }

  /**
   * Analyzes the scripts the code hands to a worker or a child process, as whole modules. It runs after the
   * calling code is analyzed, so a module both reach has been read with the command line counted.
   */
  launchedScripts(): void {
    this.inLaunched = true;
    for (let script = this.launched.shift(); script !== undefined; script = this.launched.shift()) {
      this.localFile(script, '*');
    }
  }

  /**
   * Adds a dependency; false when it was already there (so its own dependencies are not walked again). Code is
   * told apart by where it starts (`at`), else by line: statements with one name (`t.push(1); t.push(2)`,
   * CommonJS assigning `exports.x` twice) may share a line, as everything does in a minified bundle.
   */
  add(dependency: Dependency, at?: number): boolean {
    const key = `${dependency.kind}\0${dependency.file ?? ''}\0${dependency.name}\0${at ?? dependency.line ?? ''}`;
    if (this.dependencies.has(key)) return false;
    this.dependencies.set(key, dependency);
    return true;
  }

  /** The values that `names`, used by `fn`, have at run time. */
  closureValues(fn: Function, names: readonly string[], label: string): void {
    for (const { name, hash } of this.hasher.variables(fn, names, label)) this.add({ kind: 'closure', name, hash });
  }

  /** Adds a node's code as a dependency; false when it was already there. */
  code(kind: 'function' | 'local', module: ModuleFile, name: string, node: AstNode, keyword?: string): boolean {
    const prefix = keyword ? `${keyword} ` : '';
    const source = prefix + module.text.slice(node.start, node.end);
    this.parameterReads.reached(module, node);
    this.reads(node, module, node.type === 'VariableDeclarator' ? name : undefined);
    // `let` and `const` mean the same for a binding the module never assigns (a `const` cannot be assigned).
    const spelled =
      keyword === 'const' || (keyword === 'let' && !moduleReassignedNames(module.program).has(name))
        ? 'lexical'
        : keyword;
    return this.add({
      kind,
      name,
      file: this.relative(module.file),
      line: module.line(node.start),
      source,
      hash: spelled ? sha256Hex(`${spelled}\0${nodeHash(node)}`) : nodeHash(node),
    }, node.start);
  }

  /** A top-level declaration (or export default, or CommonJS export statement) of a module, and what it uses. */
  declaration(module: ModuleFile, name: string, node: AstNode, keyword?: string): void {
    if (node === this.self || node.init === this.self) return;
    if (!this.code('local', module, name, node, keyword)) return;
    const exported = module.summary.exports.get('default');
    // `export default { scale: 2 }`: an object other modules import and may change.
    if (name === 'default' && exported && 'node' in exported && exported.node === node) {
      this.reachedVariables.add(`${module.file}\0default`);
    }
    if (node.type === 'VariableDeclarator') {
      this.reachedVariables.add(`${module.file}\0${name}`);
      // `const { registry } = require('./registry.js')` is the variable of the module it comes from.
      const required = module.summary.required.get(name);
      const origin = required && this.variableOrigin(module, required);
      if (origin !== undefined) this.reachedVariables.add(origin);
    }
    this.uses(module, node);
    this.mutations(module, name);
  }

  /** The top-level statements of a module that change a binding after it is declared or imported, and what they use. */
  private mutations(module: ModuleFile, name: string): void {
    for (const statement of module.summary.mutations.get(name) ?? []) {
      if (this.code('local', module, name, statement)) this.uses(module, statement);
    }
    for (const statement of module.summary.methodCalls.get(name) ?? []) this.code('local', module, name, statement);
    // `fill(table)` below `import { fill } from './h.js'`: whether it changes `table` is in h.js.
    for (const { call, effect } of this.importedCalls.effects(module, name)) {
      if (effect === 'changes' && this.code('local', module, name, call.statement)) this.uses(module, call.statement);
      // A package's code is not read: the call counts by its text, and the package by its version.
      else if (effect === 'unknown' && !call.declares && this.code('local', module, name, call.statement)) {
        this.topLevel(module, call.callee.local);
      }
    }
  }

  /**
   * The top-level changes that other modules the defining module loads make to the variables reached, through
   * their imports of them: `registry.set('a', …)` in a `plugins.js` imported for its effect (`import './plugins.js'`);
   * or through a function of another module that changes them there: `register('a', impl)` changing the `registry`
   * of `register`'s module. The script the process started with and what it loads count too: it may configure
   * the module it imports before calling its function. Repeated until what those changes use reaches no new variable.
   */
  changesElsewhere(defining: ModuleFile): void {
    if (this.reachedVariables.size === 0) return;
    const entry = this.entryModule();
    const loaded = this.loadedModules(entry ? [defining, entry] : [defining]);
    const followed = new Set<string>();
    for (let before = -1; before !== this.reachedVariables.size;) {
      before = this.reachedVariables.size;
      for (const module of loaded) {
        for (const [local, binding] of [...module.summary.imports, ...module.summary.required]) {
          const key = `${module.file}\0${local}`;
          if (followed.has(key) || !this.changesAnything(module, local)) continue;
          const origin = this.variableOrigin(module, binding);
          if (origin === undefined || !this.reachedVariables.has(origin)) continue;
          followed.add(key);
          this.mutations(module, local);
        }
        const calls = module.summary.importedCalls;
        for (const index of this.callsChangingReached(module)) {
          const call = calls[index];
          const variable = this.changedByCall(module, call).find((name) => this.reachedVariables.has(name))!;
          const name = variable.slice(variable.indexOf('\0') + 1);
          if (this.code('local', module, name, call.statement)) this.uses(module, call.statement);
        }
      }
    }
  }

  /** Whether a module's top level may change its binding `name` (see {@link mutations}). */
  private changesAnything(module: ModuleFile, name: string): boolean {
    const { summary } = module;
    return summary.mutations.has(name) || summary.methodCalls.has(name) || summary.importedCalls.length > 0;
  }

  /**
   * The script the process started with, when it is the project's: a package's command (a test runner) says
   * nothing of the project's state, and its code is not followed.
   */
  private entryModule(): ModuleFile | undefined {
    const file = entryModuleFile();
    if (file === undefined || this.root === undefined || !isScriptFile(file)) return undefined;
    if (!isInside(workspaceRoot(this.root), file) || file.split(sep).includes('node_modules')) return undefined;
    return loadModule(file) ?? undefined;
  }

  /** The project modules some modules load by a literal name, transitively (themselves included). */
  private loadedModules(starts: readonly ModuleFile[]): ModuleFile[] {
    const found = new Map<string, ModuleFile>(starts.map((start) => [start.file, start]));
    for (const module of found.values()) {
      for (const source of loadedSpecifiers(module)) {
        const target = this.moduleOf(module, source);
        if (target && target !== 'outside' && !found.has(target.file)) found.set(target.file, target);
      }
    }
    return [...found.values()];
  }

  /** What a top-level call of `module` changes in the modules of the functions it runs, worked out once per process. */
  private changedByCall(module: ModuleFile, call: TopLevelImportedCall): string[] {
    let byRoot = changedByCall.get(call);
    if (!byRoot) changedByCall.set(call, (byRoot = new Map()));
    const root = this.root ?? '';
    let changed = byRoot.get(root);
    if (!changed) byRoot.set(root, (changed = this.importedCalls.changedVariables(module, call)));
    return changed;
  }

  /**
   * The positions, in order, of `module`'s top-level imported calls that change a variable reached so far:
   * through an index of the calls by what they change, as a module may hold hundreds (one per `memorious`).
   */
  private callsChangingReached(module: ModuleFile): number[] {
    let byRoot = callsByChange.get(module);
    if (!byRoot) callsByChange.set(module, (byRoot = new Map()));
    const root = this.root ?? '';
    let index = byRoot.get(root);
    if (!index) {
      index = new Map();
      for (const [position, call] of module.summary.importedCalls.entries()) {
        for (const variable of this.changedByCall(module, call)) {
          const positions = index.get(variable);
          if (positions === undefined) index.set(variable, [position]);
          else if (positions.at(-1) !== position) positions.push(position);
        }
      }
      byRoot.set(root, index);
    }
    const found = new Set<number>();
    if (index.size <= this.reachedVariables.size) {
      for (const [variable, positions] of index) {
        if (this.reachedVariables.has(variable)) for (const position of positions) found.add(position);
      }
    } else {
      for (const variable of this.reachedVariables) {
        for (const position of index.get(variable) ?? []) found.add(position);
      }
    }
    return [...found].sort((a, b) => a - b);
  }

  /** The module a specifier imported by `module` names: a project file; `outside` for a package or builtin. */
  private moduleOf(module: ModuleFile, specifier: string): ModuleFile | 'outside' | undefined {
    // Asked again for every name that code imports: resolving probes the file system each time.
    const key = `${module.file}\0${specifier}`;
    if (this.modulesOf.has(key)) return this.modulesOf.get(key);
    const found = this.resolveModule(module, specifier);
    this.modulesOf.set(key, found);
    return found;
  }

  private resolveModule(module: ModuleFile, specifier: string): ModuleFile | 'outside' | undefined {
    const file = this.projectFile(module, specifier);
    if (file === 'outside') return file;
    return (file && isScriptFile(file) && loadModule(file)) || undefined;
  }

  /** The project file a specifier imported by `module` names, of any kind; `outside` for a package or builtin. */
  private projectFile(module: ModuleFile, specifier: string): string | 'outside' | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) {
      return resolveRelativeImport(module.file, specifier);
    }
    const target = resolveBareImport(module.file, specifier, workspaceRoot(this.root ?? projectRoot(module.file)));
    if (target.kind === 'builtin' || target.kind === 'package') return 'outside';
    return target.kind === 'local' ? target.file : undefined;
  }

  /**
   * The module variable (`file\0name`) a binding imported by `module` stands for, followed through re-exports; for
   * a JSON file imported or required whole, the one object every module loading it shares (`file\0default`).
   */
  private variableOrigin(module: ModuleFile, binding: ImportedBinding): string | undefined {
    const origin = this.importedCalls.origin(module, binding);
    if (origin !== undefined || (binding.imported !== 'default' && binding.imported !== '*')) return origin;
    const file = this.projectFile(module, binding.source);
    return file !== undefined && file !== 'outside' && isDataModule(file) ? `${file}\0default` : undefined;
  }

  /** Follows the free names and module loads of code at a module's top level. */
  uses(module: ModuleFile, node: AstNode): void {
    for (const name of freeVariables(node)) this.topLevel(module, name);
    this.globalReads(module, node);
    this.requests(module, node);
  }

  /**
   * `globalThis.SCALE` reads the global another module may install, as a bare `SCALE` does; `xs.total()` may run
   * what the program added to a built-in prototype (`Array.prototype.total = …`), which counts by its value.
   */
  globalReads(module: ModuleFile, node: AstNode): void {
    const text = module.text.slice(node.start, node.end);
    if (text.includes('global')) for (const name of globalObjectProperties(node)) this.programGlobal(name);
    this.builtinMembers ??= programBuiltinMembers();
    if (this.builtinMembers.size === 0) return;
    const named = new Set([...this.builtinMembers.keys()].filter((name) => text.includes(name)));
    if (named.size === 0) return;
    for (const name of memberNames(node, named)) {
      for (const { path, value } of this.builtinMembers.get(name)!) {
        this.add({ kind: 'closure', name: path, hash: this.hasher.value(value, path) });
      }
    }
  }

  /** Follows the modules a piece of code loads with `require()` or `import()`. */
  requests(module: ModuleFile, node: AstNode): void {
    const { requireNames } = module.summary;
    if (!mayRequestModules(module.text.slice(node.start, node.end), requireNames)) return;
    const { specifiers, patterns, computed } = moduleRequests(node, requireNames);
    if (computed) {
      this.warnings.add(
        `${this.relative(module.file)} loads a module by a computed name; changes to that module are not seen`,
      );
    }
    for (const specifier of specifiers) this.imported(module, specifier, '*');
    // Every file the name can stand for counts.
    for (const pattern of patterns) {
      for (const specifier of matchingModules(module.file, pattern)) this.imported(module, specifier, '*');
    }
  }

  /**
   * What a name at a module's top level is bound to. Of globals, only those the program defined
   * (`globalThis.SCALE = 2`, in any module) count, by their value when the definition is hashed.
   */
  topLevel(module: ModuleFile, name: string): void {
    const { summary } = module;
    if (summary.dynamicScope) return this.wholeModule(module);
    const declaration = summary.declarations.get(name);
    if (declaration) return this.declaration(module, name, declaration.node, declaration.keyword);
    const binding = summary.imports.get(name);
    if (binding) {
      this.imported(module, binding.source, binding.imported);
      // `config.rate = 2` below `import { config }` changes what every reader of `config` sees.
      return this.mutations(module, name);
    }
    if (name === 'exports' || name === 'module') {
      // CommonJS code reads its own exports through `exports.x` (tsc's output does).
      for (const statement of summary.commonJsExports) {
        const target = (statement.expression as AstNode).left as AstNode;
        this.declaration(module, module.text.slice(target.start, target.end), statement);
      }
      return;
    }
    this.programGlobal(name);
  }

  /** A global the program installed (`globalThis.SCALE = 2`, in any module), by its value now. */
  private programGlobal(name: string): void {
    const global = programGlobal(name);
    if (global) this.add({ kind: 'closure', name, hash: this.hasher.value(global.value, `global ${name}`) });
  }

  /** An import of `imported` (`*` for all of it) from `specifier`, made in `module`. */
  imported(module: ModuleFile, specifier: string, imported: string): void {
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) {
      const file = resolveRelativeImport(module.file, specifier);
      if (!file) {
        this.warnings.add(
          `cannot find ${specifier}, imported by ${this.relative(module.file)}; changes to it are not seen`,
        );
        return;
      }
      return this.localFile(file, imported);
    }
    const target = resolveBareImport(module.file, specifier, workspaceRoot(this.root ?? projectRoot(module.file)));
    switch (target.kind) {
      case 'builtin':
        this.add({ kind: 'import', name: target.name, hash: sha256Hex(target.name) });
        return;
      case 'package': {
        // The versions of what the package loads count too: `npm update` may move them under it.
        const name = `${target.name}@${target.version}`;
        const source = target.closure.join('\n');
        this.add({ kind: 'package', name, version: target.version, source, hash: sha256Hex(source) });
        return;
      }
      case 'local':
        return this.localFile(target.file, imported);
      case 'missing':
        this.warnings.add(
          `cannot find the package ${target.name}, imported by ` +
              `${this.relative(module.file)}; changes to it are not seen`,
        );
    }
  }

  /** A project file reached by an import. */
  private localFile(file: string, imported: string): void {
    const module = isScriptFile(file) ? loadModule(file) : null;
    if (module) return imported === '*' ? this.wholeModule(module) : this.exported(module, imported);
    const text = snapshotSource(file);
    if (text === null) {
      this.warnings.add(`cannot read ${this.relative(file)}; changes to it are not seen`);
      return;
    }
    // A JSON module is one object every module loading it shares, which any of them may change.
    if (isDataModule(file)) this.reachedVariables.add(`${file}\0default`);
    let hash: string;
    try {
      // Data files by content, so reformatting a JSON file changes nothing.
      hash = sha256Hex(canonicalBytes(JSON.parse(text)));
    } catch {
      hash = sha256Hex(text);
      if (isScriptFile(file)) this.warnings.add(`cannot parse ${this.relative(file)}; it is hashed as text`);
    }
    this.add({ kind: 'local', name: '*', file: this.relative(file), hash });
  }

  /** An export of a module, followed through re-exports. */
  private exported(module: ModuleFile, name: string): void {
    const key = `${module.file}\0${name}`;
    if (this.exportsSeen.has(key)) return;
    this.exportsSeen.add(key);
    const { summary } = module;
    if (summary.dynamicScope) return this.wholeModule(module);
    const target = summary.exports.get(name);
    if (target) {
      if ('local' in target) return this.topLevel(module, target.local);
      if ('node' in target) return this.declaration(module, name, target.node);
      return this.imported(module, target.source, target.imported);
    }
    const star = summary.starExports.find((source) => exportsName(module.file, source, name, new Set()));
    if (star !== undefined) return this.imported(module, star, name);
    // A CommonJS module, or a name that cannot be found statically: all of it counts.
    this.wholeModule(module);
  }

  /** A whole module: all of its code, and everything it imports. */
  wholeModule(module: ModuleFile): void {
    const file = this.relative(module.file);
    const added = this.add({
      kind: 'local',
      name: '*',
      file,
      line: 1,
      source: module.text,
      hash: nodeHash(module.program),
    });
    if (!added) return;
    // All of it counts, so all it reads does: its top level runs when it loads, and any of its functions may be called.
    this.parameterReads.reached(module, module.program);
    this.reads(module.program, module, undefined, true);
    // Any of its variables may be read, so what other modules change in them counts (see `changesElsewhere`).
    for (const [name, { node }] of module.summary.declarations) {
      if (node.type === 'VariableDeclarator') this.reachedVariables.add(`${module.file}\0${name}`);
    }
    if (module.summary.dynamicScope) {
      this.warnings.add(
        `${file} uses ${module.summary.dynamicScope === 'eval' ? 'eval' : 'a with statement'}, ` +
            `which can reach any of its bindings, so all of it is hashed`,
      );
    }
    for (const binding of module.summary.imports.values()) this.imported(module, binding.source, binding.imported);
    for (const target of module.summary.exports.values()) {
      if ('source' in target) this.imported(module, target.source, target.imported);
    }
    for (const source of module.summary.starExports) this.imported(module, source, '*');
    this.requests(module, module.program);
  }
}

const commandLineContexts = new WeakMap<ModuleFile, { followed?: CommandLineContext; whole?: CommandLineContext }>();

/** A module's context for reading the command line (see `moduleCommandLine`), worked out once per module. */
function commandLineContext(module: ModuleFile, follow: boolean): CommandLineContext {
  let known = commandLineContexts.get(module);
  if (!known) commandLineContexts.set(module, (known = {}));
  const key = follow ? 'followed' : 'whole';
  // Without these words no constant can hold the command line (`\u` may spell them).
  const { program, text, summary } = module;
  return (known[key] ??= moduleCommandLine(program, text, summary, follow && /argv|parseArgs|\\u/.test(text)));
}

/** How a configured value is spelled in the name of a path holding it (`${process.env.DATA}`, `${--data}`). */
function configuredName(value: ConfiguredValue): string {
  if (value.kind === 'environment') return `\${process.env.${value.name}}`;
  return 'index' in value.argument ? `\${process.argv[${value.argument.index}]}` : `\${--${value.argument.option}}`;
}

/** Whether code with this text may read configuration, or use a constant followed use by use. */
function mayRead(text: string, context: CommandLineContext): boolean {
  return mayReadConfiguration(text) || (context.uses?.test(text) ?? false);
}

/** Whether the module `specifier` (imported from `fromFile`) exports `name`, directly or through `export *`. */
function exportsName(fromFile: string, specifier: string, name: string, seen: Set<string>): boolean {
  if (!specifier.startsWith('.')) return false;
  const file = resolveRelativeImport(fromFile, specifier);
  if (!file || seen.has(file)) return false;
  seen.add(file);
  const module = isScriptFile(file) ? loadModule(file) : null;
  if (!module) return false;
  return (
    module.summary.exports.has(name) ||
    module.summary.starExports.some((source) => exportsName(file, source, name, seen))
  );
}

/** The function found in its module, analyzed statically; closure values read at run time. */
function analyzeInModule(analysis: Analysis, fn: Function, module: ModuleFile, target: AstNode, name: string): string {
  analysis.code('function', module, name, target);
  analysis.self = target;
  if (module.summary.dynamicScope) analysis.wholeModule(module);
  const path = pathTo(module.program, target)!;
  const roots = [path];
  // A method that uses `this` may call any member of its class: the class counts too.
  const classIndex = path.findLastIndex((node) => node.type === 'ClassDeclaration' || node.type === 'ClassExpression');
  if (classIndex > 0 && readsThis(target)) {
    const classNode = path[classIndex]!;
    const className = (classNode.id as AstNode | null)?.name as string | undefined;
    if (classIndex === 1 || (classIndex === 2 && path[1]!.type.startsWith('Export'))) {
      analysis.topLevel(module, className ?? 'default');
    } else {
      analysis.code('local', module, `class ${className ?? '(anonymous)'}`, classNode);
      roots.push(path.slice(0, classIndex + 1));
    }
  }
  const enclosing = new Set<string>();
  for (const rootPath of roots) {
    for (const [free, origin] of classifyFreeNames(rootPath, module.summary)) {
      // Only the function's own captured values count: what the rest of its class captures
      // is, after a compiler lowered decorators, the compiler's bookkeeping.
      if (origin === 'enclosing') {
        if (rootPath === path) enclosing.add(free);
      }
      // Globals too: CommonJS code reads its own exports through the free name `exports`.
      else {
        analysis.topLevel(module, free);
      }
    }
    analysis.globalReads(module, rootPath[rootPath.length - 1]!);
    analysis.requests(module, rootPath[rootPath.length - 1]!);
  }
  analysis.changesElsewhere(module);
  const state = capturedState(path, [...enclosing]);
  analysis.closureValues(fn, [...enclosing].filter((variable) => !state.has(variable)).sort(), name);
  return module.text.slice(target.start, target.end);
}

/** A function with no file to analyze: its runtime code and the values its names have. */
function analyzeAtRuntime(analysis: Analysis, fn: Function, name: string): string {
  const node = parseRuntimeCode(fn);
  const source = Function.prototype.toString.call(fn);
  analysis.add({ kind: 'function', name, source, hash: functionCodeHash(fn, node) });
  if (node) analysis.reads(node);
  analysis.closureValues(fn, node ? freeVariables(node) : [], name);
  return source;
}

function explicitDependency(analysis: Analysis, value: unknown, index: number): Dependency {
  const label = `deps[${index}]`;
  if (typeof value === 'function') {
    return {
      kind: 'explicit',
      name: value.name || label,
      source: Function.prototype.toString.call(value),
      hash: analysis.hasher.function(value, label),
    };
  }
  return { kind: 'explicit', name: label, hash: sha256Hex(canonicalBytes(value, label)) };
}

/**
 * Finds the wrapped function's code, if it can be found with certainty: by its text
 * in the file it was wrapped in, or, transpiled, written inline at the call site;
 * else where V8 says it starts (the only way under a transpiling loader for a
 * decorated method or a function passed by name, where many functions may share a
 * name); else, transpiled, by the call site or a unique name.
 */
function locate(
  analysis: Analysis,
  fn: Function,
  site: DefinitionSite,
): { module: ModuleFile; target: AstNode } | undefined {
  const module = site.file ? loadModule(site.file) : null;
  if (module && !site.transpiled) {
    const target = locateFunction({
      text: module.text,
      program: module.program,
      fnText: Function.prototype.toString.call(fn),
      fnName: fn.name,
      transpiled: false,
      ...siteOffset(module, site),
    });
    if (target) return { module, target };
  }
  if (module && site.transpiled) {
    const target = writtenAtSite({
      text: module.text,
      program: module.program,
      fnText: '',
      fnName: fn.name,
      fnLength: fn.length,
      transpiled: true,
      ...siteOffset(module, site),
    });
    if (target) return { module, target };
  }
  const placed = analysis.placed(fn);
  if (placed || !module || !site.transpiled) return placed;
  const target = locateFunction({
    text: module.text,
    program: module.program,
    fnText: '',
    fnName: fn.name,
    transpiled: true,
    ...siteOffset(module, site),
  });
  return target ? { module, target } : undefined;
}

function siteOffset(module: ModuleFile, site: DefinitionSite): { siteOffset?: number } {
  return site.line !== undefined && site.column !== undefined
    ? { siteOffset: module.offset(site.line, site.column) }
    : {};
}

/**
 * Analyzes a function: found in its module, else from its running
 * code; a bound function by its target and what was bound. `called`: whether a call's
 * arguments are the function's parameters (not so for a bound function's target).
 */
function analyzeFunction(analysis: Analysis, fn: Function, site: DefinitionSite, name: string, called = true): string {
  const bound = mayBeBound(fn) ? analysis.bound(fn) : undefined;
  if (bound) {
    const source = analyzeFunction(analysis, bound.target, {}, name, false);
    analysis.add({
      kind: 'closure',
      name: 'bound this',
      hash: analysis.hasher.value(bound.self, `${name} (bound this)`),
    });
    bound.args.forEach((arg, i) =>
      analysis.add({
        kind: 'closure',
        name: `bound argument ${i}`,
        hash: analysis.hasher.value(arg, `${name} (bound argument ${i})`),
      }),
    );
    return source;
  }
  const found = locate(analysis, fn, site);
  if (found && called) analysis.analyzedFunction(found.module, found.target);
  if (found) return analyzeInModule(analysis, fn, found.module, found.target, name);
  if (site.file) {
    analysis.warnings.add(
      `cannot find the code of ${name} in ${analysis.relative(site.file)}; ` +
          `it is hashed from its running code, which covers the values it uses but not code that runs only indirectly`,
    );
  }
  return analyzeAtRuntime(analysis, fn, name);
}

/** Computes a function's definition hash and what it covered. */
export function analyzeDefinition(fn: Function, options: DefinitionOptions): DefinitionDescription {
  const { name, site } = options;
  const root = site.file ? projectRoot(site.file) : undefined;
  let analysis = new Analysis(root);
  analysis.filesOption = (options.files ?? []).length > 0;
  let source: string;
  try {
    try {
      source = analyzeFunction(analysis, fn, site, name);
      analysis.launchedScripts();
      analysis.parameterConfiguration();
    } catch (error) {
      // Code the analysis does not expect must not stop the program: hash what runs, and say so.
      analysis.close();
      analysis = new Analysis(root);
      analysis.filesOption = (options.files ?? []).length > 0;
      analysis.warnings.add(
        `cannot analyze the code of ${name} (${(error as Error).message}); it is hashed from its running code`,
      );
      source = analyzeAtRuntime(analysis, fn, name);
      analysis.launchedScripts();
    }
    (options.deps ?? []).forEach((value, index) => analysis.add(explicitDependency(analysis, value, index)));
    for (const pattern of options.files ?? []) {
      analysis.configuration.set(`files\0${pattern}`, { kind: 'files', name: pattern });
    }
  } finally {
    analysis.close();
  }
  const dependencies = [...analysis.dependencies.values()];
  const description = {
    name,
    ...(site.file && root !== undefined
      ? { modulePath: relativePath(root, site.file), projectDir: workspaceRoot(root) }
      : {}),
    source,
    dependencies,
    warnings: [...analysis.warnings],
    configuration: [...analysis.configuration.values()]
      // Where the whole command line counts, its parts say nothing more.
      .filter((read) => !(read.argument && analysis.configuration.has('arguments')))
      .sort((a, b) => `${a.kind}\0${a.name}`.localeCompare(`${b.kind}\0${b.name}`)),
  };
  if (options.version !== undefined) {
    return {
      ...description,
      hash: sha256Hex(`funes-pinned-version/1\0${options.version}`),
      pinnedVersion: options.version,
    };
  }
  // A declaration counts by its name and code, not by the file it is in: moving a helper to another file is no change.
  const lines = dependencies
    .map((d) => `${d.kind}\0${d.kind === 'local' && d.name !== '*' ? '' : (d.file ?? '')}\0${d.name}\0${d.hash}`)
    .sort();
  return { ...description, hash: sha256Hex(`${HASH_FORMAT}\n${lines.join('\n')}`) };
}

/** A function's or class's definition hash as a value, what it may miss, and whether the function is Node's own. */
export interface ValueDefinition {
  readonly hash: string;
  readonly warnings: readonly string[];
  /** Whether it is one of Node's functions (`Buffer`, `setTimeout`), whose own properties Node gave it. */
  readonly fromNode: boolean;
}

const valueHashes = new WeakMap<Function, ValueDefinition>();

/** Function hashes shared by the value definitions worked out for one key: no value changes meanwhile. */
let keying: Map<Function, FunctionHash> | undefined;

/**
 * Runs `work`, which works out one key, with the {@link valueDefinitionHash}es it asks for sharing what they hash:
 * functions met again (a scale's methods reach the same helpers) are walked once.
 */
export function whileKeying<T>(work: () => T): T {
  if (keying) return work();
  keying = new Map();
  try {
    return work();
  } finally {
    keying = undefined;
  }
}

/**
 * The definition hash of a function or class met as a value — a function passed as an
 * argument, the class of an instance passed as one: its code and the values it uses,
 * as a function in `deps` is hashed, with what the hash may miss. Worked out once per
 * function and process.
 */
export function valueDefinitionHash(fn: Function): ValueDefinition {
  let known = valueHashes.get(fn);
  if (known === undefined) {
    const analysis = new Analysis(undefined, keying);
    try {
      known = {
        hash: analysis.hasher.function(fn, fn.name || 'function', true),
        warnings: [...analysis.warnings],
        fromNode: analysis.origin(fn)?.startsWith('node:') === true,
      };
    } finally {
      analysis.close();
    }
    // Values that may change between calls (`model.w`, `let k` a setter assigns) are hashed again at every call.
    if (analysis.hasher.settled) valueHashes.set(fn, known);
  }
  return known;
}
