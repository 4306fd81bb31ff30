/**
 * Each package's public surface, as its built declarations export it, against the list
 * in exports.json: a name added to or dropped from an `index.ts` (or a subpath) fails
 * here until the list is updated on purpose, so the API does not grow by accident.
 * After a deliberate change: FUNES_UPDATE_EXPORTS=1 node --import tsx --test test/exports.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from './helpers/temp-project.js';

const SNAPSHOT = join(REPO_ROOT, 'test/exports.json');

interface PackageJson {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: Record<string, string | { readonly types?: string }>;
}

/** Every entry point of every published package: `@funes/core`, `@funes/core/cache`, … → its `.d.ts`. */
function entryPoints(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dir of readdirSync(join(REPO_ROOT, 'packages')).sort()) {
    const root = join(REPO_ROOT, 'packages', dir);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const types = typeof target === 'object' ? target.types : undefined;
      if (types) entries.set(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, join(root, types));
    }
  }
  return entries;
}

const bare = (name: string) => name.replace(/^type /, '');

/** The names a declaration file exports, sorted; types marked `type`. */
function exportedNames(): Record<string, string[]> {
  const entries = entryPoints();
  const program = ts.createProgram([...entries.values()], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const surface: Record<string, string[]> = {};
  for (const [entry, file] of entries) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    assert.ok(moduleSymbol, `${entry}: ${file} is missing; run npm run build first`);
    surface[entry] = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return target.flags & ts.SymbolFlags.Value ? symbol.name : `type ${symbol.name}`;
      })
      .sort((a, b) => (bare(a) < bare(b) ? -1 : bare(a) > bare(b) ? 1 : 0));
  }
  return surface;
}

test("each package exports exactly the names listed in test/exports.json", () => {
  const surface = exportedNames();
  if (process.env.FUNES_UPDATE_EXPORTS) writeFileSync(SNAPSHOT, `${JSON.stringify(surface, null, 2)}\n`);
  const listed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, string[]>;
  assert.deepEqual(
    surface,
    listed,
    'a package exports other names than test/exports.json lists: if that is meant, ' +
        'update the list (FUNES_UPDATE_EXPORTS=1)',
  );
});
