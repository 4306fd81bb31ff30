/**
 * Definition keys across module resolution, end to end: workspaces laid out as npm
 * and pnpm lay them out, tsconfig path aliases run by tsx, package `imports` and
 * `exports` maps, and packages whose dependencies move under them. Each case is a
 * project built from files here, run in a fresh process, edited, and run again: an
 * edit to the project's own code or to what an installed package loads misses, an
 * edit elsewhere hits, and no module is reported missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, tempProject, type TempProject } from './helpers/temp-project.js';

const TSX_CLI = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** A project under test: write files, link directories, run an entry, count computations. */
class Case {
  readonly project: TempProject = tempProject('funes-resolution-');
  private readonly texts = new Map<string, string>();

  constructor(files: Record<string, string>, links: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    for (const [link, target] of Object.entries(links)) {
      const at = join(this.project.dir, link);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(join(this.project.dir, target), at, 'dir');
    }
  }

  write(path: string, text: string): void {
    this.texts.set(path, text);
    this.project.write(path, text);
  }

  /** Replaces text in a file; fails when it is not there, so an edit never silently does nothing. */
  edit(path: string, from: string, to: string): void {
    const text = this.texts.get(path)!;
    assert.ok(text.includes(from), `${path} does not contain ${from}`);
    this.write(path, text.replace(from, to));
  }

  /** Runs the entry (in `cwd`, relative to the project) and returns how many times the function computed so far. */
  run(args: string[], cwd = '.'): number {
    const result = this.project.node(
      args.map((a) => (a.startsWith('/') ? a : join(this.project.dir, cwd, a))),
      { FUNES_CACHE_DIR: join(this.project.dir, 'cache') },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /FunesWarning/);
    const log = join(this.project.dir, 'calls.log');
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  remove(): void {
    this.project.remove();
  }
}

/** An entry module wrapping `body` (which may use `count()`), calling it once. */
function entry(imports: string, body: string, esm = true): string {
  const head = esm
    ? `import { memorious } from '@funes/core';\nimport { appendFileSync } from 'node:fs';\n${imports}`
    : `const { memorious } = require('@funes/core');\nconst { appendFileSync } = require('node:fs');\n${imports}`;
  return [
    `${head}`,
    `const count = () => appendFileSync(${JSON.stringify('calls.log')}, 'x\\n');`,
    `const f = memorious(function computed(x) {`,
    `  count();`,
    `  ${body}`,
    `});`,
    `f(3);`,
    ``,
  ].join('\n');
}

/** Runs, applies `edit`, runs again; returns whether the second run computed again. */
function recomputed(c: Case, args: string[], edit: () => void, cwd?: string): boolean {
  const first = c.run(args, cwd);
  assert.equal(first, 1);
  edit();
  return c.run(args, cwd) > first;
}

describe('definition keys across module resolution', { concurrency: 2 }, () => {
  const cases: Case[] = [];
  const make = (files: Record<string, string>, links?: Record<string, string>) => {
    const c = new Case(files, links);
    cases.push(c);
    return c;
  };
  after(() => cases.forEach((c) => c.remove()));

  const lib = {
    'packages/lib/package.json': JSON.stringify({
      name: '@ws/lib',
      version: '1.0.0',
      type: 'module',
      exports: { '.': { import: './index.mjs', require: './index.cjs' }, './extra': './extra.mjs' },
    }),
    'packages/lib/index.mjs': `export function scale(x) { return x * 2; }\nexport function unused() { return 1; }\n`,
    'packages/lib/index.cjs': `exports.scale = (x) => x * 2;\n`,
    'packages/lib/extra.mjs': `export const OFFSET = 1;\n`,
  };
  const npmWorkspace = () =>
    make(
      {
        'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
        'packages/app/package.json': JSON.stringify({ name: 'app', version: '1.0.0', type: 'module' }),
        'packages/app/main.mjs': entry(
          `import { scale } from '@ws/lib';\nimport { OFFSET } from '@ws/lib/extra';`,
          'return scale(x) + OFFSET;',
        ),
        ...lib,
      },
      { 'node_modules/@ws/lib': 'packages/lib' },
    );

  it('npm workspace: an edit to a sibling package misses', () => {
    const c = npmWorkspace();
    assert.ok(recomputed(c, ['main.mjs'], () => c.edit('packages/lib/index.mjs', 'x * 2', 'x * 3'), 'packages/app'));
  });

  it('npm workspace: an edit to a file reached through a subpath export misses', () => {
    const c = npmWorkspace();
    assert.ok(
      recomputed(c, ['main.mjs'], () => c.edit('packages/lib/extra.mjs', 'OFFSET = 1', 'OFFSET = 2'), 'packages/app'),
    );
  });

  it('npm workspace: an edit to code of the sibling that is not used hits', () => {
    const c = npmWorkspace();
    assert.ok(
      !recomputed(c, ['main.mjs'], () => c.edit('packages/lib/index.mjs', 'return 1;', 'return 2;'), 'packages/app'),
    );
  });

  // `npm link`, or `file:../shared` in package.json: the package's directory lies outside the project.
  const linkedFromOutside = () =>
    make(
      {
        'app/package.json': JSON.stringify({ name: 'app', version: '1.0.0', type: 'module' }),
        'app/main.mjs': entry(`import { scale } from 'shared';`, 'return scale(x);'),
        'shared/package.json': JSON.stringify({ name: 'shared', version: '1.0.0', type: 'module', main: 'index.mjs' }),
        'shared/index.mjs': `export { scale } from './scale.mjs';\nexport function unused() { return 1; }\n`,
        'shared/scale.mjs': `export function scale(x) { return x * 2; }\n`,
      },
      { 'app/node_modules/shared': 'shared' },
    );

  it('a package linked from outside the project: an edit to its code misses, though its version stays', () => {
    const c = linkedFromOutside();
    assert.ok(recomputed(c, ['main.mjs'], () => c.edit('shared/scale.mjs', 'x * 2', 'x * 3'), 'app'));
  });

  it('a package linked from outside the project: an edit to code of it that is not used hits', () => {
    const c = linkedFromOutside();
    assert.ok(!recomputed(c, ['main.mjs'], () => c.edit('shared/index.mjs', 'return 1;', 'return 2;'), 'app'));
  });

  const pnpmWorkspace = () =>
    make(
      {
        'package.json': JSON.stringify({ name: 'root', private: true }),
        'pnpm-workspace.yaml': `packages:\n  - 'packages/*'\n`,
        'packages/app/package.json': JSON.stringify({
          name: 'app',
          version: '1.0.0',
          type: 'module',
          dependencies: { '@ws/lib': 'workspace:*', 'pkg-a': '^1.0.0' },
        }),
        'packages/app/main.mjs': entry(
          `import { scale } from '@ws/lib';\nimport { shift } from 'pkg-a';`,
          'return shift(scale(x));',
        ),
        ...lib,
        // pnpm's store: each package sees its own dependencies as siblings in .pnpm/<name>@<version>/node_modules.
        'node_modules/.pnpm/pkg-a@1.0.0/node_modules/pkg-a/package.json': JSON.stringify({
          name: 'pkg-a',
          version: '1.0.0',
          type: 'module',
          exports: './index.js',
          dependencies: { 'pkg-b': '^1.0.0' },
        }),
        'node_modules/.pnpm/pkg-a@1.0.0/node_modules/pkg-a/index.js': [
          `import { one } from 'pkg-b';`,
          `export const shift = (x) => x + one;`,
          ``,
        ].join('\n'),
        'node_modules/.pnpm/pkg-b@1.0.0/node_modules/pkg-b/package.json': JSON.stringify({
          name: 'pkg-b',
          version: '1.0.0',
          type: 'module',
          exports: './index.js',
        }),
        'node_modules/.pnpm/pkg-b@1.0.0/node_modules/pkg-b/index.js': `export const one = 1;\n`,
      },
      {
        'packages/app/node_modules/@ws/lib': 'packages/lib',
        'packages/app/node_modules/pkg-a': 'node_modules/.pnpm/pkg-a@1.0.0/node_modules/pkg-a',
        'node_modules/.pnpm/pkg-a@1.0.0/node_modules/pkg-b': 'node_modules/.pnpm/pkg-b@1.0.0/node_modules/pkg-b',
      },
    );

  // Funes itself is linked into every project here from this checkout, outside the project.
  const capturedModel = () =>
    make({
      'model.mjs': [
        `import { memorious } from '@funes/core';`,
        `export class Model {`,
        `  constructor(k) { this.k = k; }`,
        `  fit() {`,
        `    this.predict = memorious(function predict(x) { return x * 2; }, { name: 'predict' });`,
        `    return this;`,
        `  }`,
        `  scale(x) { return x * this.k; }`,
        `}`,
        ``,
      ].join('\n'),
      'main.mjs': [
        `import { memorious } from '@funes/core';`,
        `import { appendFileSync } from 'node:fs';`,
        `import { Model } from './model.mjs';`,
        `function make(k) {`,
        `  const m = new Model(k).fit();`,
        `  return memorious(function computed(x) {`,
        `    appendFileSync('calls.log', 'x\\n');`,
        `    return m.scale(x) + m.predict(x);`,
        `  });`,
        `}`,
        `make(3)(2);`,
        ``,
      ].join('\n'),
    });

  it("a captured instance whose class calls memorious counts Funes as a package, not Funes' own code", () => {
    // Walking Funes' modules as the project's code warned about each of its caches and registries.
    const c = capturedModel();
    assert.ok(recomputed(c, ['main.mjs'], () => c.edit('model.mjs', 'x * this.k', 'x * this.k + 1')));
  });

  it('a captured instance whose class calls memorious: an edit the class does not reach hits', () => {
    const c = capturedModel();
    assert.ok(!recomputed(c, ['main.mjs'], () => c.edit('main.mjs', 'make(3)(2);', 'make(3)(2);\nconst other = 1;')));
  });

  it('pnpm workspace: an edit to a sibling package misses', () => {
    const c = pnpmWorkspace();
    assert.ok(recomputed(c, ['main.mjs'], () => c.edit('packages/lib/index.mjs', 'x * 2', 'x * 3'), 'packages/app'));
  });

  it('pnpm workspace: a dependency of a dependency moving to another version misses', () => {
    const c = pnpmWorkspace();
    const manifest = 'node_modules/.pnpm/pkg-b@1.0.0/node_modules/pkg-b/package.json';
    assert.ok(
      recomputed(c, ['main.mjs'], () => c.edit(manifest, '"version":"1.0.0"', '"version":"1.0.1"'), 'packages/app'),
    );
  });

  it('npm: a transitive dependency bump under an unchanged package misses, an unrelated package does not', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', type: 'module' }),
      'main.mjs': entry(`import { shift } from 'pkg-a';`, 'return shift(x);'),
      'node_modules/pkg-a/package.json': JSON.stringify({
        name: 'pkg-a',
        version: '1.0.0',
        main: 'index.cjs',
        dependencies: { 'pkg-b': '^1.0.0' },
      }),
      'node_modules/pkg-a/index.cjs': `exports.shift = (x) => x + require('pkg-b').one;\n`,
      'node_modules/pkg-b/package.json': JSON.stringify({ name: 'pkg-b', version: '1.0.0', main: 'index.cjs' }),
      'node_modules/pkg-b/index.cjs': `exports.one = 1;\n`,
      'node_modules/pkg-c/package.json': JSON.stringify({ name: 'pkg-c', version: '1.0.0' }),
    };
    const bumped = make(files);
    assert.ok(
      recomputed(bumped, ['main.mjs'], () =>
        bumped.edit('node_modules/pkg-b/package.json', '"version":"1.0.0"', '"version":"1.1.0"'),
      ),
    );
    const unrelated = make(files);
    assert.ok(
      !recomputed(unrelated, ['main.mjs'], () =>
        unrelated.edit('node_modules/pkg-c/package.json', '"version":"1.0.0"', '"version":"2.0.0"'),
      ),
    );
  });

  it('tsconfig paths and baseUrl under tsx: an edit to the aliased file misses', () => {
    const c = make({
      'package.json': JSON.stringify({ name: 'app', version: '1.0.0', type: 'module' }),
      'tsconfig.json': [
        `{`,
        `  // aliases, as tsx reads them`,
        `  "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] }, },`,
        `}`,
        ``,
      ].join('\n'),
      'src/lib/math.ts': `export function scale(x: number): number { return x * 2; }\n`,
      'src/lib/offset.ts': `export const OFFSET: number = 1;\n`,
      'src/main.ts': entry(
        `import { scale } from '@lib/math';\nimport { OFFSET } from 'src/lib/offset';`,
        'return scale(x) + OFFSET;',
      ),
    });
    assert.ok(recomputed(c, [TSX_CLI, 'src/main.ts'], () => c.edit('src/lib/math.ts', 'x * 2', 'x * 3')));
    assert.ok(c.run([TSX_CLI, 'src/main.ts']) === 2);
    c.edit('src/lib/offset.ts', 'OFFSET: number = 1', 'OFFSET: number = 2');
    assert.equal(c.run([TSX_CLI, 'src/main.ts']), 3);
  });

  for (const esm of [true, false]) {
    it(`package imports (#lib/…) from ${esm ? 'ESM' : 'CommonJS'}: an edit to the mapped file misses`, () => {
      const c = make({
        'package.json': JSON.stringify({
          name: 'app',
          version: '1.0.0',
          type: esm ? 'module' : 'commonjs',
          imports: { '#lib/*': { import: './lib/*.mjs', require: './lib/*.cjs' } },
        }),
        'lib/math.mjs': `export function scale(x) { return x * 2; }\n`,
        'lib/math.cjs': `exports.scale = function scale(x) { return x * 2; };\n`,
        [esm ? 'main.mjs' : 'main.cjs']: entry(
          esm ? `import { scale } from '#lib/math';` : `const { scale } = require('#lib/math');`,
          'return scale(x);',
          esm,
        ),
      });
      const file = esm ? 'lib/math.mjs' : 'lib/math.cjs';
      assert.ok(recomputed(c, [esm ? 'main.mjs' : 'main.cjs'], () => c.edit(file, 'x * 2', 'x * 3')));
    });
  }
});
