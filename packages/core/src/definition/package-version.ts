/**
 * What a bare import (`lodash`, `@scope/pkg/sub`, `node:fs`) stands for: a Node
 * builtin (known by name), a package installed in node_modules (known by
 * `name@version`), or a workspace package linked into node_modules, whose files
 * are the project's own code and are followed like relative imports.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { isInside } from './project-root.js';

/** What a bare import stands for (see the module comment). */
export type BareImport =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string; readonly version: string }
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
  readonly main?: string;
  readonly module?: string;
  readonly exports?: unknown;
}

function findPackageDir(fromFile: string, name: string): { dir: string; json: PackageJson } | undefined {
  for (let dir = dirname(fromFile), parent = dirname(dir); ; dir = parent, parent = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    try {
      return { dir: candidate, json: JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as PackageJson };
    } catch {
      // Not installed here; Node looks in the parent directory next.
    }
    if (parent === dir) return undefined;
  }
}

/** The `import` entry of an `exports` field: a string, or the first of `import`/`node`/`default` conditions. */
function importEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return importEntry(map['.']);
  for (const condition of ['import', 'node', 'default', 'require']) {
    const found = importEntry(map[condition]);
    if (found) return found;
  }
  return undefined;
}

function entryFile(fromFile: string, specifier: string, dir: string, json: PackageJson): string {
  try {
    return realpathSync(createRequire(fromFile).resolve(specifier));
  } catch {
    // ESM-only exports have no `require` condition: read the entry ourselves.
    return realpathSync(join(dir, importEntry(json.exports) ?? json.module ?? json.main ?? 'index.js'));
  }
}

const cache = new Map<string, BareImport>();

/** Classifies a bare import made from `fromFile`; `workspace` is the directory whose linked packages count as local. */
export function resolveBareImport(fromFile: string, specifier: string, workspace: string): BareImport {
  const key = `${dirname(fromFile)}\0${specifier}\0${workspace}`;
  let found = cache.get(key);
  if (found) return found;
  const name = packageName(specifier);
  if (isBuiltin(specifier)) {
    found = { kind: 'builtin', name: specifier.startsWith('node:') ? specifier : `node:${specifier}` };
  } else {
    const pkg = findPackageDir(fromFile, name);
    if (!pkg) found = { kind: 'missing', name };
    else {
      const real = realpathSync(pkg.dir);
      const linked = isInside(workspace, real) && !real.split(/[\\/]/).includes('node_modules');
      let file: string | undefined;
      try {
        file = linked ? entryFile(fromFile, specifier, real, pkg.json) : undefined;
      } catch {
        file = undefined;
      }
      found = file ? { kind: 'local', name, file } : { kind: 'package', name, version: pkg.json.version ?? 'unknown' };
    }
  }
  cache.set(key, found);
  return found;
}

/** The installed package a file belongs to (the part after its last `node_modules`), by name and version. */
export function packageOfFile(file: string): { name: string; version: string } | undefined {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1 || at + 1 >= parts.length) return undefined;
  const name = parts[at + 1]!.startsWith('@') ? parts.slice(at + 1, at + 3).join('/') : parts[at + 1]!;
  try {
    const json = JSON.parse(readFileSync(join(parts.slice(0, at + 1).join('/'), name, 'package.json'), 'utf8')) as PackageJson;
    return { name, version: json.version ?? 'unknown' };
  } catch {
    return undefined;
  }
}
