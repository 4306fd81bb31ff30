/**
 * What a bare import (`lodash`, `@scope/pkg/sub`, `node:fs`, `#lib/x`, `@app/util`)
 * stands for, resolved as Node and TypeScript do: a Node builtin (known by name);
 * the project's own file, through the package's `imports` map, a tsconfig path
 * alias, or a package linked into node_modules from a directory of its own — a
 * workspace sibling, `npm link`, `file:../shared` (its `exports` map followed); or
 * a package installed in node_modules, known by `name@version` and the versions of
 * every package it loads in turn.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTestModule, probeFile } from './module-files.js';
import { conditionsFor, resolvePackageMap } from './package-map.js';
import { isInside } from './project-root.js';
import { aliasCandidates, pathAliases } from './tsconfig-paths.js';

/** What a bare import stands for (see the module comment). */
export type BareImport =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string; readonly version: string; readonly closure: readonly string[] }
  | { readonly kind: 'local'; readonly name: string; readonly file: string }
  | { readonly kind: 'missing'; readonly name: string };

/** `@scope/pkg` or `pkg` from a specifier that may name a file inside the package. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly type?: string;
  readonly main?: string;
  readonly exports?: unknown;
  readonly imports?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/**
 * The directory holding Funes' own packages as they run here (`packages/`, from the sources or the build): linked
 * into a project from a checkout, they still keep results rather than compute them, and count as packages.
 */
const FUNES_PACKAGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const packageJsons = new Map<string, PackageJson | null>();

/** A directory's package.json, read once per process; null when there is none. */
function readPackageJson(dir: string): PackageJson | null {
  let json = packageJsons.get(dir);
  if (json === undefined) {
    try {
      json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    } catch {
      json = null;
    }
    packageJsons.set(dir, json);
  }
  return json;
}

/** The nearest directory at or above `dir` with a package.json. */
function owningPackage(dir: string): { dir: string; json: PackageJson } | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const json = readPackageJson(current);
    if (json) return { dir: current, json };
    if (dirname(current) === current) return undefined;
  }
}

function findPackageDir(fromDir: string, name: string): { dir: string; json: PackageJson } | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    const json = readPackageJson(candidate);
    if (json) return { dir: candidate, json };
    if (dirname(dir) === dir) return undefined;
  }
}

/** Whether Node runs a file as an ES module: by its extension, else by its package's `type`. */
function isEsm(file: string): boolean {
  const ext = extname(file);
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext === '.cjs' || ext === '.cts') return false;
  return owningPackage(dirname(file))?.json.type === 'module';
}

/**
 * The file a package's subpath (`.`, `./sub`) resolves to: through
 * `exports` when it has them, else `main` or the path itself.
 */
function packageEntry(dir: string, json: PackageJson, subpath: string, esm: boolean): string | undefined {
  if (json.exports !== undefined) {
    // A loader may load the package the other way (tsx turns `import` into `require`): its entry then counts.
    const target =
      resolvePackageMap(json.exports, subpath, conditionsFor(esm)) ??
      resolvePackageMap(json.exports, subpath, conditionsFor(!esm));
    return target === undefined ? undefined : probeFile(join(dir, target));
  }
  return probeFile(join(dir, subpath === '.' ? (json.main ?? 'index.js') : subpath));
}

const closures = new Map<string, readonly string[]>();

/**
 * `name@version` of an installed package and of every package it loads, directly
 * or not, as Node would find them from its real directory (so pnpm's layout
 * resolves as it runs); sorted. A dependency that is not installed is left out
 * (an optional one), as it does not run.
 */
export function packageClosure(dir: string): readonly string[] {
  const real = realpathSync(dir);
  let closure = closures.get(real);
  if (closure) return closure;
  const seen = new Map<string, string>();
  const queue = [real];
  while (queue.length > 0) {
    const current = queue.pop()!;
    if (seen.has(current)) continue;
    const json = readPackageJson(current);
    seen.set(current, `${json?.name ?? '?'}@${json?.version ?? 'unknown'}`);
    const names = new Set([
      ...Object.keys(json?.dependencies ?? {}),
      ...Object.keys(json?.optionalDependencies ?? {}),
      ...Object.keys(json?.peerDependencies ?? {}),
    ]);
    for (const name of names) {
      const found = findPackageDir(current, name);
      if (found) queue.push(realpathSync(found.dir));
    }
  }
  closure = [...new Set(seen.values())].sort();
  closures.set(real, closure);
  return closure;
}

/** A `#name` import, through the `imports` map of the importing file's package. */
function packageImport(fromFile: string, specifier: string, workspace: string): BareImport {
  const owner = owningPackage(dirname(fromFile));
  const target = owner && resolvePackageMap(owner.json.imports, specifier, conditionsFor(isEsm(fromFile)));
  if (!owner || target === undefined) return { kind: 'missing', name: specifier };
  if (!target.startsWith('./')) return resolveBareImport(join(owner.dir, 'package.json'), target, workspace);
  const file = probeFile(join(owner.dir, target));
  return file ? { kind: 'local', name: specifier, file } : { kind: 'missing', name: specifier };
}

/** A tsconfig path alias's file, when one matches and exists outside node_modules. */
function aliasedFile(fromFile: string, specifier: string): string | undefined {
  const aliases = pathAliases(fromFile);
  if (!aliases) return undefined;
  for (const candidate of aliasCandidates(aliases, specifier)) {
    const file = probeFile(candidate);
    if (file && !file.split(/[\\/]/).includes('node_modules')) return file;
  }
  return undefined;
}

function resolveUncached(fromFile: string, specifier: string, workspace: string): BareImport {
  if (isBuiltin(specifier)) {
    return { kind: 'builtin', name: specifier.startsWith('node:') ? specifier : `node:${specifier}` };
  }
  if (specifier.startsWith('#')) return packageImport(fromFile, specifier, workspace);
  const aliased = aliasedFile(fromFile, specifier);
  if (aliased) return { kind: 'local', name: specifier, file: aliased };
  const name = packageName(specifier);
  const pkg = findPackageDir(dirname(fromFile), name);
  if (!pkg) return { kind: 'missing', name };
  const real = realpathSync(pkg.dir);
  // A package whose real directory is no installed one is code edited in place: a workspace sibling, or a package
  // linked from elsewhere (`npm link`, `file:../shared`), whose edits keep its version. A sibling's files are known
  // by their real paths; a package linked from outside the workspace, by its path through node_modules, which is
  // the same wherever the linked directory lives.
  const inside = isInside(workspace, real);
  if (!real.split(/[\\/]/).includes('node_modules') && (inside || !isInside(FUNES_PACKAGES_DIR, real))) {
    const file = packageEntry(inside ? real : pkg.dir, pkg.json, `.${specifier.slice(name.length)}`, isEsm(fromFile));
    if (file) return { kind: 'local', name, file };
  }
  return { kind: 'package', name, version: pkg.json.version ?? 'unknown', closure: packageClosure(pkg.dir) };
}

const cache = new Map<string, BareImport>();

/** Classifies a bare import made from `fromFile`; `workspace` is the directory whose linked packages count as local. */
export function resolveBareImport(fromFile: string, specifier: string, workspace: string): BareImport {
  const key = `${dirname(fromFile)}\0${extname(fromFile)}\0${specifier}\0${workspace}`;
  let found = cache.get(key);
  if (!found) {
    found = resolveUncached(fromFile, specifier, workspace);
    cache.set(key, found);
  }
  return found;
}

/** A package a file belongs to, and where in it the file is (`lib/a.js`). */
export interface PackageFile {
  readonly name: string;
  readonly version: string;
  readonly closure: readonly string[];
  readonly path: string;
}

/**
 * The package a file belongs to, by name and version: an installed one (the part after its last `node_modules`), or
 * one of Funes' own, run from a checkout outside `workspace` (the analyzed project's), as the imports of it resolve.
 */
export function packageOfFile(file: string, workspace?: string): PackageFile | undefined {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return workspace !== undefined && isInside(workspace, file) ? undefined : funesPackageOf(file);
  if (at + 1 >= parts.length) return undefined;
  const name = parts[at + 1]!.startsWith('@') ? parts.slice(at + 1, at + 3).join('/') : parts[at + 1]!;
  const dir = join(parts.slice(0, at + 1).join('/'), name);
  const json = readPackageJson(dir);
  if (!json) return undefined;
  return { name, version: json.version ?? 'unknown', closure: packageClosure(dir), path: insidePackage(dir, file) };
}

function insidePackage(dir: string, file: string): string {
  return relative(dir, file).split(/[\\/]/).join('/');
}

/**
 * The package of Funes' own a file is in (`packages/core`), by the name and version its package.json gives; none for
 * its tests, whose functions are code under test.
 */
function funesPackageOf(file: string): PackageFile | undefined {
  if (!isInside(FUNES_PACKAGES_DIR, file) || isTestModule(file)) return undefined;
  const [dir] = relative(FUNES_PACKAGES_DIR, file).split(/[\\/]/);
  const path = dir && join(FUNES_PACKAGES_DIR, dir);
  const json = path ? readPackageJson(path) : null;
  if (!json?.name) return undefined;
  return {
    name: json.name,
    version: json.version ?? 'unknown',
    closure: packageClosure(path!),
    path: insidePackage(path!, file),
  };
}
