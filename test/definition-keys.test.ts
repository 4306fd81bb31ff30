/**
 * Definition-sensitive keys, end to end: for every module format, a fixture project
 * holding one scenario per row of the matrix is run, edited, and run again in fresh
 * processes. An edit that changes what a function computes must miss the cache
 * (the function computes again); an edit that does not must hit it. The project is
 * then copied to another directory, where every result must still be found.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempProject } from './helpers/temp-project.js';
import {
  FixtureProject,
  MODULE_FORMATS,
  isCommonJs,
  isTypeScript,
  type ModuleFormat,
  type ScenarioFiles,
} from './helpers/fixture-project.js';

interface Scenario {
  readonly id: string;
  readonly expect: 'hit' | 'miss';
  /**
   * The scenario's files; `t` gives a type annotation (`ts` any text) in TypeScript formats and nothing in JavaScript.
   */
  files(t: (type: string) => string, ts: (text: string) => string): ScenarioFiles;
  /** Replacements made between the two runs: [file, from, to]. */
  readonly edits: readonly (readonly [string, string, string])[];
  /** Formats the scenario applies to (all when absent). */
  readonly appliesTo?: (format: ModuleFormat) => boolean;
  /** Definition warnings this scenario is expected to print. */
  readonly warns?: RegExp;
}

/** A scenario's main module: `code` defines the memorious functions, `calls` is the body of `run()`. */
function main(code: string, calls: string): string {
  return [
    `import { memorious } from '@funes/core';`,
    `import { count } from '../count.js';`,
    `${code}`,
    `export async function run() {`,
    `  ${calls}`,
    `}`,
    ``,
  ].join('\n');
}

/**
 * A function of lib/model reading lib/config, which the scenario's main module (loaded by the entry, not by
 * lib/model) configures at its top level before calling the function.
 */
function configuredByImporter(id: string, t: (type: string) => string): ScenarioFiles {
  return {
    main: main(
      [
        `import { scaled } from './lib/model.js';`,
        `import { config, setOffset } from './lib/config.js';`,
        `config.scale = 2;`,
        `setOffset(1);`,
      ].join('\n'),
      'scaled(1);',
    ),
    'lib/model': [
      `import { memorious } from '@funes/core';`,
      `import { count } from '../../count.js';`,
      `import { config, offset } from './config.js';`,
      `export const scaled = memorious(function scaledByConfig(x${t('number')}) {`,
      `  count('${id}');`,
      `  return x * config.scale + offset();`,
      `});`,
      ``,
    ].join('\n'),
    'lib/config': [
      `export const config = { scale: 1 };`,
      `let shift = 0;`,
      `export function setOffset(value${t('number')}) {`,
      `  shift = value;`,
      `}`,
      `export function offset() {`,
      `  return shift;`,
      `}`,
      ``,
    ].join('\n'),
  };
}

/**
 * A function of lib/model reading the object lib/settings exports as default (written in place, or a binding),
 * which the scenario's main module changes at its top level before calling the function.
 */
function defaultConfiguredByImporter(id: string, t: (type: string) => string, binding: boolean): ScenarioFiles {
  return {
    main: main(
      [
        `import { scaled } from './lib/model.js';`,
        `import settings from './lib/settings.js';`,
        `settings.scale = 2;`,
      ].join('\n'),
      'scaled(1);',
    ),
    'lib/model': [
      `import { memorious } from '@funes/core';`,
      `import { count } from '../../count.js';`,
      `import settings from './settings.js';`,
      `export const scaled = memorious(function scaledBySettings(x${t('number')}) {`,
      `  count('${id}');`,
      `  return x * settings.scale;`,
      `});`,
      ``,
    ].join('\n'),
    'lib/settings': binding
      ? `const settings = { scale: 1 };\nexport default settings;\n`
      : `export default { scale: 1 };\n`,
  };
}

const scenarios: Scenario[] = [
  {
    id: 'body-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        `const f = memorious(function bodyEdit(x${t('number')}) {\n  count('body-edit');\n  return x * 2;\n});`,
        'f(3);',
      ),
    }),
    edits: [['main', 'x * 2', 'x * 3']],
  },
  {
    id: 'comment-whitespace-edit',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const f = memorious(function commented(x${t('number')}) {`,
          `  count('comment-whitespace-edit');`,
          `  return x*2 + 'a'.length;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [
      [
        'main',
        `  return x*2 + 'a'.length;`,
        `  // doubled, plus one\n  /* block */ return (\n      x * 2 + "a".length   // trailing\n  );`,
      ],
    ],
  },
  {
    id: 'type-only-edit',
    expect: 'hit',
    appliesTo: isTypeScript,
    files: () => ({
      main: main(
        [
          `import type { Shape } from './shapes.js';`,
          `interface Options { scale: number }`,
          `const f = memorious(function typed(x: number, o?: Options): number {`,
          `  count('type-only-edit');`,
          `  const s = { w: x } as Shape;`,
          `  return s.w! * 2;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      shapes: `export type Shape = { w: number };\n`,
    }),
    edits: [
      [
        'main',
        'function typed(x: number, o?: Options): number',
        'function typed<T>(x: number | bigint, o?: Options & T): number',
      ],
      ['main', 'interface Options { scale: number }', 'interface Options { scale: number; offset?: string }'],
      ['main', 'as Shape', 'satisfies Shape as unknown as Shape'],
      ['shapes', '{ w: number }', '{ w: number; h?: number }'],
    ],
  },
  {
    id: 'helper-above-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `function above(x${t('number')}) { return x + 1; }`,
          `const f = memorious(function usesAbove(x${t('number')}) {`,
          `  count('helper-above-edit');`,
          `  return above(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'return x + 1;', 'return x + 2;']],
  },
  {
    id: 'helper-below-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const f = memorious(function usesBelow(x${t('number')}) {`,
          `  count('helper-below-edit');`,
          `  return below(x);`,
          `});`,
          `function below(x${t('number')}) { return x + 1; }`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'return x + 1;', 'return x - 1;']],
  },
  {
    id: 'helper-of-helper-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const f = memorious(function usesChain(x${t('number')}) {`,
          `  count('helper-of-helper-edit');`,
          `  return outer(x);`,
          `});`,
          `function outer(x${t('number')}) { return inner(x) * 2; }`,
          `const inner = (x${t('number')}) => x + 1;`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', '=> x + 1', '=> x + 10']],
  },
  {
    id: 'constant-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const RATE = 0.5;`,
          `const f = memorious(function usesRate(x${t('number')}) {`,
          `  count('constant-edit');`,
          `  return x * RATE;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'const RATE = 0.5;', 'const RATE = 0.25;']],
  },
  {
    id: 'exported-constant-edit',
    expect: 'miss',
    // Compiled to CommonJS, the function reads the constant as `exports.LIMIT`.
    files: (t) => ({
      main: main(
        [
          `export const LIMIT = 3;`,
          `const f = memorious(function usesExported(x${t('number')}) {`,
          `  count('exported-constant-edit');`,
          `  return x + LIMIT;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'LIMIT = 3', 'LIMIT = 4']],
  },
  {
    id: 'top-level-reassignment-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `let scale = 1;`,
          `scale = 2;`,
          `const f = memorious(function usesScale(x${t('number')}) {`,
          `  count('top-level-reassignment-edit');`,
          `  return x * scale;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'scale = 2;', 'scale = 3;']],
  },
  {
    id: 'top-level-loop-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const table${t('number[]')} = [];`,
          `for (let i = 0; i < 4; i++) table.push(i * 2);`,
          `const f = memorious(function usesTable(x${t('number')}) {`,
          `  count('top-level-loop-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'table.push(i * 2)', 'table.push(i * 3)']],
  },
  {
    id: 'top-level-helper-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const table${t('number[]')} = [];`,
          `function fill(into${t('number[]')}, n${t('number')}) { for (let i = 0; i < n; i++) into.push(i * 2); }`,
          `fill(table, 4);`,
          `const f = memorious(function usesFilled(x${t('number')}) {`,
          `  count('top-level-helper-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'into.push(i * 2)', 'into.push(i * 3)']],
  },
  {
    id: 'imported-helper-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { fill } from './lib/fill.js';`,
          `const table${t('number[]')} = [];`,
          `fill(table, 4);`,
          `const f = memorious(function usesImportFilled(x${t('number')}) {`,
          `  count('imported-helper-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/fill': [
        `import { put } from './put.js';`,
        `export function fill(into${t('number[]')}, n${t('number')}) { for (let i = 0; i < n; i++) put(into, i); }`,
        ``,
      ].join('\n'),
      'lib/put': `export function put(into${t('number[]')}, i${t('number')}) { into.push(i * 2); }\n`,
    }),
    edits: [['lib/put', 'into.push(i * 2)', 'into.push(i * 3)']],
  },
  {
    id: 'imported-helper-fill-through-setup-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { fill } from './lib/fill.js';`,
          `const table${t('number[]')} = [];`,
          `function setup() { fill(table, 4); }`,
          `setup();`,
          `const f = memorious(function usesSetUp(x${t('number')}) {`,
          `  count('imported-helper-fill-through-setup-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/fill': [
        `export function fill(into${t('number[]')}, n${t('number')}) {`,
        `  for (let i = 0; i < n; i++) into.push(i);`,
        `}`,
        ``,
      ].join('\n'),
    }),
    edits: [['lib/fill', 'into.push(i)', 'into.push(-i)']],
  },
  {
    id: 'declaration-calls-imported-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { fill } from './lib/fill.js';`,
          `const table${t('number[]')} = [];`,
          `export const filled = fill(table, 4);`,
          `const f = memorious(function usesFilledInDeclaration(x${t('number')}) {`,
          `  count('declaration-calls-imported-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/fill': [
        `export function fill(into${t('number[]')}, n${t('number')}) {`,
        `  for (let i = 0; i < n; i++) into.push(i);`,
        `  return into.length;`,
        `}`,
        ``,
      ].join('\n'),
    }),
    edits: [['lib/fill', 'into.push(i)', 'into.push(-i)']],
  },
  {
    id: 'class-static-block-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const table${t('number[]')} = [];`,
          `export class Seeded {`,
          `  static {`,
          `    for (let i = 0; i < 4; i++) table.push(i * 2);`,
          `  }`,
          `}`,
          `const f = memorious(function usesStaticBlock(x${t('number')}) {`,
          `  count('class-static-block-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'table.push(i * 2)', 'table.push(i * 3)']],
  },
  {
    id: 'reflective-change-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `const settings${ts(': Record<string, number>')} = { scale: 1, shift: 0 };`,
          `Reflect.set(settings, 'scale', 2);`,
          `[settings.shift] = [1];`,
          `const f = memorious(function usesReflectSet(x${t('number')}) {`,
          `  count('reflective-change-edit');`,
          `  return x * settings.scale + settings.shift;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', '[settings.shift] = [1]', '[settings.shift] = [2]']],
  },
  {
    id: 'builtin-prototype-member-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `import './lib/extend.js';`,
          `const f = memorious(function usesInstalledMember(x${t('number')}) {`,
          `  count('builtin-prototype-member-edit');`,
          `  return [x, 1].sumTwice();`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/extend': [
        `Object.defineProperty(Array.prototype, 'sumTwice', {`,
        `  value: function (${ts('this: number[]')}) {`,
        `    return this.reduce((a${t('number')}, b${t('number')}) => a + b, 0) * 2;`,
        `  },`,
        `});`,
        ``,
      ].join('\n'),
    }),
    edits: [['lib/extend', '* 2', '* 3']],
  },
  {
    id: 'helper-held-in-object-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { fill } from './lib/fill.js';`,
          `function double(into${t('number[]')}) { into.push(...into); }`,
          `const ops = { fill, double };`,
          `const table${t('number[]')} = [];`,
          `ops.fill(table, 2);`,
          `ops.double(table);`,
          `const f = memorious(function usesHeldFilled(x${t('number')}) {`,
          `  count('helper-held-in-object-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/fill': `export function fill(into${t('number[]')}, n${t('number')}) { while (n--) into.push(n + 1); }\n`,
    }),
    edits: [['lib/fill', 'into.push(n + 1)', 'into.push(n + 2)']],
  },
  {
    id: 'imported-registration-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `import { registry, register } from './lib/registry.js';`,
          `register('scale', 2);`,
          `const f = memorious(function usesRegistry(x${t('number')}) {`,
          `  count('imported-registration-edit');`,
          `  return x * registry.get('scale')${ts('!')};`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/registry': [
        `export const registry = new Map${ts('<string, number>')}();`,
        `export function register(name${t('string')}, value${t('number')}) { registry.set(name, value); }`,
        ``,
      ].join('\n'),
    }),
    edits: [['main', `register('scale', 2);`, `register('scale', 3);`]],
  },
  {
    id: 'imported-reader-of-table-edit',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `import { summary } from './lib/summary.js';`,
          `const table${t('number[]')} = [1, 2, 3, 4];`,
          `summary(table);`,
          `const f = memorious(function usesReadTable(x${t('number')}) {`,
          `  count('imported-reader-of-table-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/summary': `export function summary(rows${t('number[]')}) { return rows.length; }\n`,
    }),
    edits: [['lib/summary', 'rows.length', 'rows.length + 1']],
  },
  {
    id: 'imported-package-fill-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { fillWith } from 'pkg-fill';`,
          `const table${t('number[]')} = [];`,
          `fillWith(table, 4, 2);`,
          `const f = memorious(function usesPackageFilled(x${t('number')}) {`,
          `  count('imported-package-fill-edit');`,
          `  return table[x];`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      '/node_modules/pkg-fill/package.json': JSON.stringify({
        name: 'pkg-fill',
        version: '1.0.0',
        exports: { import: './index.mjs', require: './index.cjs' },
      }),
      '/node_modules/pkg-fill/index.mjs': 'export function fillWith(t, n, k) { while (n--) t.unshift(n * k); }\n',
      '/node_modules/pkg-fill/index.cjs': 'exports.fillWith = (t, n, k) => { while (n--) t.unshift(n * k); };\n',
    }),
    edits: [['main', 'fillWith(table, 4, 2);', 'fillWith(table, 4, 3);']],
  },
  {
    id: 'same-line-fill-added',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const list${t('number[]')} = [];`,
          `list.push(1);`,
          `const f = memorious(function usesList(x${t('number')}) {`,
          `  count('same-line-fill-added');`,
          `  return x + list.length;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
    }),
    edits: [['main', 'list.push(1);', 'list.push(1); list.push(2);']],
  },
  {
    id: 'top-level-method-call-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `class Model { lr = 0; configure(o${t('{ lr: number }')}) { this.lr = o.lr; } }`,
          `const model = new Model();`,
          `model.configure({ lr: 2 });`,
          `const f = memorious(function usesModel(x${t('number')}) {`,
          `  count('top-level-method-call-edit');`,
          `  return x + model.lr;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
    }),
    edits: [['main', 'model.configure({ lr: 2 });', 'model.configure({ lr: 3 });']],
  },
  {
    id: 'top-level-package-method-call-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `function makeModel() { return { lr: 0, configure(o${t('{ lr: number }')}) { this.lr = o.lr; } }; }`,
          `const model = makeModel();`,
          `model.configure({ lr: 2 });`,
          `const f = memorious(function usesMadeModel(x${t('number')}) {`,
          `  count('top-level-package-method-call-edit');`,
          `  return x + model.lr;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
    }),
    edits: [['main', 'model.configure({ lr: 2 });', 'model.configure({ lr: 3 });']],
  },
  {
    id: 'logger-of-the-sweep-extended',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const log = { lines: 0, info(...words${t('unknown[]')}) { return words.length; } };`,
          `const grid = [1];`,
          `const f = memorious(function logsToo(x${t('number')}) {`,
          `  count('logger-of-the-sweep-extended');`,
          `  log.info('point', x);`,
          `  return x * 2;`,
          `});`,
          `log.info('sweep over', grid);`,
          `function sweep() { log.info('start'); for (const x of grid) f(x); }`,
          `sweep;`,
        ].join('\n'),
        'f(1);',
      ),
    }),
    edits: [['main', 'const grid = [1];', 'const grid = [1, 2];']],
  },
  {
    id: 'top-level-alias-change-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const cfg = { scale: 1 };`,
          `const alias = cfg;`,
          `alias.scale = 2;`,
          `const f = memorious(function usesAliased(x${t('number')}) {`,
          `  count('top-level-alias-change-edit');`,
          `  return x * cfg.scale;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
    }),
    edits: [['main', 'alias.scale = 2;', 'alias.scale = 3;']],
  },
  {
    id: 'program-global-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          ts('declare const SCALE: number;'),
          `Object.assign(globalThis, { SCALE: 2 });`,
          `const f = memorious(function usesGlobal(x${t('number')}) {`,
          `  count('program-global-edit');`,
          `  return x * SCALE;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
    }),
    edits: [['main', '{ SCALE: 2 }', '{ SCALE: 3 }']],
  },
  {
    id: 'global-installed-by-imported-module-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `import { installed } from './lib/install.js';`,
          `const f = memorious(function usesInstalled(x${t('number')}) {`,
          `  count('global-installed-by-imported-module-edit');`,
          `  return installed && x * ${ts('(')}globalThis${ts(' as any)')}.SCALE;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
      'lib/install': `${ts('(')}globalThis${ts(' as any)')}.SCALE = 2;\nexport const installed = true;\n`,
    }),
    edits: [['lib/install', '.SCALE = 2;', '.SCALE = 3;']],
  },
  {
    id: 'registered-by-imported-module-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `import { registry } from './lib/registry.js';`,
          `import { loaded } from './lib/plugins.js';`,
          `const f = memorious(function usesRegistered(x${t('number')}) {`,
          `  count('registered-by-imported-module-edit');`,
          `  return loaded ? x * registry.get('scale')${ts('!')} : 0;`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
      'lib/registry': `export const registry = new Map${ts('<string, number>')}();\n`,
      'lib/plugins': [
        `import { registry } from './registry.js';`,
        `registry.set('scale', 2);`,
        `export const loaded = true;`,
        ``,
      ].join('\n'),
    }),
    edits: [['lib/plugins', `registry.set('scale', 2);`, `registry.set('scale', 3);`]],
  },
  {
    id: 'registered-through-function-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `import { lookup } from './lib/registry.js';`,
          `import './lib/plugins.js';`,
          `const f = memorious(function usesRegisteredThrough(x${t('number')}) {`,
          `  count('registered-through-function-edit');`,
          `  return x * lookup('scale');`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
      'lib/registry': [
        `const registry = new Map${ts('<string, number>')}();`,
        `export function register(name${t('string')}, value${t('number')}) {`,
        `  registry.set(name, value);`,
        `}`,
        `export function lookup(name${t('string')}) {`,
        `  return registry.get(name)${ts('!')};`,
        `}`,
        ``,
      ].join('\n'),
      'lib/plugins': [`import { register } from './registry.js';`, `register('scale', 2);`, ``].join('\n'),
    }),
    edits: [['lib/plugins', `register('scale', 2);`, `register('scale', 3);`]],
  },
  {
    id: 'registered-through-helper-chain-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `import { lookup, register } from './lib/table.js';`,
          `register('scale', 2);`,
          `const f = memorious(function usesRegisteredChain(x${t('number')}) {`,
          `  count('registered-through-helper-chain-edit');`,
          `  return x * lookup('scale');`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
      'lib/table': [
        `import { put } from './put.js';`,
        `const table${t('Record<string, number>')} = {};`,
        `export function register(name${t('string')}, value${t('number')}) {`,
        `  put(table, name, value);`,
        `}`,
        `export function lookup(name${t('string')}) {`,
        `  return table[name]${ts('!')};`,
        `}`,
        ``,
      ].join('\n'),
      'lib/put': [
        `export function put(into${t('Record<string, number>')}, name${t('string')}, value${t('number')}) {`,
        `  into[name] = value;`,
        `}`,
        ``,
      ].join('\n'),
    }),
    edits: [['main', `register('scale', 2);`, `register('scale', 3);`]],
  },
  {
    id: 'configured-by-importing-module-edit',
    expect: 'miss',
    files: (t) => configuredByImporter('configured-by-importing-module-edit', t),
    edits: [['main', 'config.scale = 2;', 'config.scale = 3;']],
  },
  {
    id: 'configured-through-function-by-importing-module-edit',
    expect: 'miss',
    files: (t) => configuredByImporter('configured-through-function-by-importing-module-edit', t),
    edits: [['main', 'setOffset(1);', 'setOffset(2);']],
  },
  {
    id: 'default-export-configured-by-importing-module-edit',
    expect: 'miss',
    // `export default` has no CommonJS spelling in the fixtures.
    appliesTo: (format) => !isCommonJs(format),
    files: (t) => defaultConfiguredByImporter('default-export-configured-by-importing-module-edit', t, false),
    edits: [['main', 'settings.scale = 2;', 'settings.scale = 3;']],
  },
  {
    id: 'default-exported-binding-configured-by-importing-module-edit',
    expect: 'miss',
    appliesTo: (format) => !isCommonJs(format),
    files: (t) => defaultConfiguredByImporter('default-exported-binding-configured-by-importing-module-edit', t, true),
    edits: [['main', 'settings.scale = 2;', 'settings.scale = 3;']],
  },
  {
    id: 'registered-through-function-unrelated-edit',
    expect: 'hit',
    // A required CommonJS module counts as a whole, all of its variables with it (documented).
    appliesTo: (format) => !isCommonJs(format),
    files: (t) => ({
      main: main(
        [
          `import { lookup } from './lib/registry.js';`,
          `import './lib/plugins.js';`,
          `const f = memorious(function usesOtherRegistry(x${t('number')}) {`,
          `  count('registered-through-function-unrelated-edit');`,
          `  return x * lookup('scale');`,
          `});`,
        ].join('\n'),
        'f(1);',
      ),
      'lib/registry': [
        `const registry = new Map();`,
        `const log${t('string[]')} = [];`,
        `export function note(line${t('string')}) {`,
        `  log.push(line);`,
        `}`,
        `export function lookup(name${t('string')}) {`,
        `  return registry.get(name) ?? 1;`,
        `}`,
        ``,
      ].join('\n'),
      'lib/plugins': [`import { note } from './registry.js';`, `note('loaded');`, ``].join('\n'),
    }),
    edits: [['lib/plugins', `note('loaded');`, `note('plugins loaded');`]],
  },
  {
    id: 'top-level-call-own-state-edit',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const config = { epochs: 2 };`,
          `const f = memorious(function usesConfig(x${t('number')}) {`,
          `  count('top-level-call-own-state-edit');`,
          `  return x * config.epochs;`,
          `});`,
          `function prepare(points${t('number[]')}) {`,
          `  const config = { seen: 0 };`,
          `  for (const p of points) config.seen += p;`,
          `  return config.seen;`,
          `}`,
          `prepare([1]);`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'prepare([1]);', 'prepare([1, 2]);']],
  },
  {
    id: 'unrelated-edit',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const USED = 2;`,
          `const UNUSED = 3;`,
          `function unrelated() { return UNUSED; }`,
          `const f = memorious(function focused(x${t('number')}) {`,
          `  count('unrelated-edit');`,
          `  return x * USED;`,
          `});`,
          `const g = memorious(function neighbour(x${t('number')}) { return x + unrelated(); });`,
        ].join('\n'),
        'f(3); g(1);',
      ),
    }),
    edits: [
      ['main', 'const UNUSED = 3;', 'const UNUSED = 4;'],
      ['main', 'return x + unrelated();', 'return x - unrelated();'],
    ],
  },
  {
    id: 'unrelated-edit-in-imported-module',
    expect: 'hit',
    // A required CommonJS module counts as a whole: any edit to it invalidates (documented).
    appliesTo: (format) => !isCommonJs(format),
    files: (t) => ({
      main: main(
        [
          `import { used } from './lib.js';`,
          `const f = memorious(function importsUsed(x${t('number')}) {`,
          `  count('unrelated-edit-in-imported-module');`,
          `  return used(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      lib: [
        `export function used(x${t('number')}) { return x + 1; }`,
        `export function unused(x${t('number')}) { return x + 2; }`,
        ``,
      ].join('\n'),
    }),
    edits: [['lib', 'return x + 2;', 'return x + 3;']],
  },
  {
    id: 'self-recursion',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const fib${t('any')} = memorious(function fibonacci(n${t('number')})${t('number')} {`,
          `  count('self-recursion');`,
          `  return n < 2 ? n : fib(n - 1) + fib(n - 2);`,
          `});`,
        ].join('\n'),
        'fib(8);',
      ),
    }),
    edits: [],
  },
  {
    id: 'self-recursion-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const fib${t('any')} = memorious(function fibonacciEdited(n${t('number')})${t('number')} {`,
          `  count('self-recursion-edit');`,
          `  return n < 2 ? n : fib(n - 1) + fib(n - 2);`,
          `});`,
        ].join('\n'),
        'fib(8);',
      ),
    }),
    edits: [['main', 'n < 2 ? n', 'n < 2 ? 1']],
  },
  {
    id: 'mutual-recursion-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const isEven${t('any')} = memorious(function isEven(n${t('number')})${t('boolean')} {`,
          `  count('mutual-recursion-edit');`,
          `  return n === 0 ? true : isOdd(n - 1);`,
          `});`,
          `const isOdd${t('any')} = memorious(function isOdd(n${t('number')})${t('boolean')} {`,
          `  return n === 0 ? false : isEven(n - 1);`,
          `});`,
        ].join('\n'),
        'isEven(6);',
      ),
    }),
    // Only isOdd changes; isEven calls it, so isEven must recompute.
    edits: [['main', 'n === 0 ? false', 'n <= 0 ? false']],
  },
  {
    id: 'form-arrow',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const f = memorious((x${t('number')}) => {`,
          `  count('form-arrow');`,
          `  return x + 1;`,
          `}, { name: 'formArrow' });`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'x + 1', 'x + 2']],
  },
  {
    id: 'form-arrow-comment',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const f = memorious((x${t('number')}) => {`,
          `  count('form-arrow-comment');`,
          `  return x + 1;`,
          `}, { name: 'formArrowComment' });`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'return x + 1;', 'return x + 1; // one more']],
  },
  {
    id: 'form-exported-async-arrow',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `export const f = memorious(async (x${t('number')}) => {`,
          `  count('form-exported-async-arrow');`,
          `  return x * 5;`,
          `}, { name: 'formAsync' });`,
        ].join('\n'),
        'await f(3);',
      ),
    }),
    edits: [['main', 'x * 5', 'x * 6']],
  },
  {
    id: 'form-declaration-by-name',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `function declared(x${t('number')}) {`,
          `  count('form-declaration-by-name');`,
          `  return x - 1;`,
          `}`,
          `const f = memorious(declared);`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'x - 1', 'x - 2']],
  },
  {
    id: 'form-class-method',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `class Model {`,
          `  ${ts('w: number;\n  ')}constructor(w${t('number')}) { this.w = w; }`,
          `  predict(x${t('number')}) {`,
          `    count('form-class-method');`,
          `    return this.w * x + this.bias();`,
          `  }`,
          `  bias() { return 1; }`,
          `}`,
          `const predict = memorious(Model.prototype.predict);`,
        ].join('\n'),
        'predict.call(new Model(2), 3);',
      ),
    }),
    // A method using \`this\` depends on its class: editing a sibling method invalidates.
    edits: [['main', 'bias() { return 1; }', 'bias() { return 2; }']],
  },
  {
    id: 'form-class-method-comment',
    expect: 'hit',
    files: (t, ts) => ({
      main: main(
        [
          `class Scaler {`,
          `  ${ts('k: number;\n  ')}constructor(k${t('number')}) { this.k = k; }`,
          `  apply(x${t('number')}) {`,
          `    count('form-class-method-comment');`,
          `    return this.k * x;`,
          `  }`,
          `}`,
          `const apply = memorious(Scaler.prototype.apply);`,
        ].join('\n'),
        'apply.call(new Scaler(2), 3);',
      ),
    }),
    edits: [['main', 'return this.k * x;', '// scaled\n    return this.k * x;']],
  },
  {
    id: 'form-decorated-method',
    expect: 'miss',
    appliesTo: isTypeScript,
    files: () => ({
      main: main(
        [
          `class Net {`,
          `  w = 2;`,
          `  @memorious`,
          `  predict(x: number): number {`,
          `    count('form-decorated-method');`,
          `    return this.w * x + 1;`,
          `  }`,
          `}`,
        ].join('\n'),
        'new Net().predict(3);',
      ),
    }),
    edits: [['main', 'this.w * x + 1', 'this.w * x + 2']],
  },
  {
    id: 'form-decorated-method-comment',
    expect: 'hit',
    appliesTo: isTypeScript,
    files: () => ({
      main: main(
        [
          `class Layer {`,
          `  w = 2;`,
          `  @memorious`,
          `  forward(x: number): number {`,
          `    count('form-decorated-method-comment');`,
          `    return this.w * x;`,
          `  }`,
          `}`,
        ].join('\n'),
        'new Layer().forward(3);',
      ),
    }),
    edits: [['main', 'forward(x: number): number {', 'forward(x: number): number { // weights times input']],
  },
  {
    id: 'decorated-method-shared-name',
    expect: 'miss',
    appliesTo: isTypeScript,
    // Another class has a method of the same name: the decorated one is placed by its position, so its class counts.
    files: () => ({
      main: main(
        [
          `class Baseline {`,
          `  predict(x: number): number { return x; }`,
          `}`,
          `class Ranker {`,
          `  @memorious`,
          `  predict(x: number): number {`,
          `    count('decorated-method-shared-name');`,
          `    return this.sibling(x) + new Baseline().predict(0);`,
          `  }`,
          `  sibling(x: number): number { return x + 1; }`,
          `}`,
        ].join('\n'),
        'new Ranker().predict(3);',
      ),
    }),
    edits: [['main', 'return x + 1;', 'return x + 2;']],
  },
  {
    id: 'bound-method-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `class Regressor {`,
          `  ${ts('k: number;\n  ')}constructor(k${t('number')}) { this.k = k; }`,
          `  predict(x${t('number')}) {`,
          `    count('bound-method-edit');`,
          `    return x * this.k + this.bias();`,
          `  }`,
          `  bias() { return 1; }`,
          `}`,
          `const m = new Regressor(2);`,
          `const predict = memorious(m.predict.bind(m), { name: 'boundPredict' });`,
        ].join('\n'),
        'predict(3);',
      ),
    }),
    edits: [['main', 'bias() { return 1; }', 'bias() { return 2; }']],
  },
  {
    id: 'bound-this-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `class Weighted {`,
          `  ${ts('k: number;\n  ')}constructor(k${t('number')}) { this.k = k; }`,
          `  predict(x${t('number')}) {`,
          `    count('bound-this-edit');`,
          `    return x * this.k;`,
          `  }`,
          `}`,
          `const w = new Weighted(2);`,
          `const predict = memorious(w.predict.bind(w), { name: 'boundWeighted' });`,
        ].join('\n'),
        'predict(3);',
      ),
    }),
    edits: [['main', 'new Weighted(2)', 'new Weighted(3)']],
  },
  {
    id: 'bound-method-comment',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `function add(a${t('number')}, b${t('number')}) {`,
          `  count('bound-method-comment');`,
          `  return a + b;`,
          `}`,
          `const addTen = memorious(add.bind(null, 10), { name: 'addTen' });`,
        ].join('\n'),
        'addTen(3);',
      ),
    }),
    edits: [['main', 'return a + b;', 'return a + b; // the sum']],
  },
  {
    id: 'captured-instance-class-edit',
    expect: 'miss',
    files: (t, ts) => ({
      main: main(
        [
          `class Scaler {`,
          `  ${ts('k: number;\n  ')}constructor(k${t('number')}) { this.k = k; }`,
          `  apply(x${t('number')}) { return x * this.k + 1; }`,
          `}`,
          `function makeModel(k${t('number')}) {`,
          `  const scaler = new Scaler(k);`,
          `  return memorious(function model(x${t('number')}) {`,
          `    count('captured-instance-class-edit');`,
          `    return scaler.apply(x);`,
          `  });`,
          `}`,
          `const model = makeModel(2);`,
        ].join('\n'),
        'model(3);',
      ),
    }),
    edits: [['main', 'x * this.k + 1', 'x * this.k + 2']],
  },
  {
    id: 'captured-functions-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const inc = (x${t('number')}) => x + 1;`,
          `const double = (x${t('number')}) => x * 2;`,
          `function compose(...fns${t('((x: number) => number)[]')}) {`,
          `  return memorious(function composed(x${t('number')}) {`,
          `    count('captured-functions-edit');`,
          `    return fns.reduce((v, f) => f(v), x);`,
          `  });`,
          `}`,
          `const pipeline = compose(inc, double);`,
        ].join('\n'),
        'pipeline(3);',
      ),
    }),
    edits: [['main', 'x * 2', 'x * 3']],
  },
  {
    id: 'captured-functions-same',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const inc = (x${t('number')}) => x + 1;`,
          `const square = (x${t('number')}) => x * x;`,
          `function chain(steps${t('Record<string, (x: number) => number>')}) {`,
          `  return memorious(function chained(x${t('number')}) {`,
          `    count('captured-functions-same');`,
          `    return steps.second(steps.first(x));`,
          `  });`,
          `}`,
          `const pipeline = chain({ first: inc, second: square });`,
        ].join('\n'),
        'pipeline(3);',
      ),
    }),
    edits: [
      [
        'main',
        'const pipeline = chain({ first: inc, second: square });',
        'const pipeline = chain({ second: square, first: inc }); // same steps',
      ],
    ],
  },
  {
    id: 'refactor-rename-local',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const f = memorious(function renamed(x${t('number')}) {`,
          `  count('refactor-rename-local');`,
          `  const doubled = x * 2;`,
          `  return [1, 2].map((item) => item + doubled);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [
      ['main', 'const doubled = x * 2;', 'const twice = x * 2;'],
      ['main', 'item + doubled', 'item + twice'],
      ['main', '(item) => item', '(n) => n'],
    ],
  },
  {
    id: 'refactor-lint-autofix',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `const f = memorious(function linted(x${t('number')}) {`,
          `  count('refactor-lint-autofix');`,
          `  let scaled = x * 2;`,
          `  const o = { scaled: scaled, k: 1 };`,
          `  return o['scaled'] + o.k;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [
      ['main', 'let scaled', 'const scaled'],
      ['main', '{ scaled: scaled, k: 1 }', '{ scaled, k: 1 }'],
      ['main', "o['scaled']", 'o.scaled'],
    ],
  },
  {
    id: 'refactor-move-helper',
    expect: 'hit',
    // CommonJS output requires the helper's file as a whole, and tsc's
    // CommonJS output changes the call (`(0, helpers_1.helper)(x)`).
    appliesTo: (format) => !isCommonJs(format),
    files: (t) => ({
      main: main(
        [
          `function helper(x) { return x * 5; }`,
          `const f = memorious(function usesMoved(x${t('number')}) {`,
          `  count('refactor-move-helper');`,
          `  return helper(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      helpers: `export const OTHER = 1;\n`,
    }),
    edits: [
      ['main', 'function helper(x) { return x * 5; }\n', ''],
      [
        'main',
        `import { count } from '../count.js';\n`,
        `import { count } from '../count.js';\nimport { helper } from './helpers.js';\n`,
      ],
      [
        'helpers',
        'export const OTHER = 1;\n',
        'export const OTHER = 1;\nexport function helper(x) { return x * 5; }\n',
      ],
    ],
  },
  {
    id: 'form-object-method',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const tools = {`,
          `  square(x${t('number')}) {`,
          `    count('form-object-method');`,
          `    return x * x;`,
          `  },`,
          `};`,
          `const square = memorious(tools.square);`,
        ].join('\n'),
        'square(3);',
      ),
    }),
    edits: [['main', 'x * x', 'x ** 2 + 0']],
  },
  {
    id: 'local-import-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { helper } from './lib/index.js';`,
          `const f = memorious(function usesLocal(x${t('number')}) {`,
          `  count('local-import-edit');`,
          `  return helper(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/index': `export function helper(x${t('number')}) { return x * 7; }\n`,
    }),
    edits: [['lib/index', 'x * 7', 'x * 8']],
  },
  {
    id: 'imported-object-mutation-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { settings } from './lib/settings.js';`,
          `settings.scale = 2;`,
          `const f = memorious(function usesSettings(x${t('number')}) {`,
          `  count('imported-object-mutation-edit');`,
          `  return x * settings.scale;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      'lib/settings': `export const settings = { scale: 1 };\n`,
    }),
    edits: [['main', 'settings.scale = 2;', 'settings.scale = 3;']],
  },
  {
    id: 'local-import-transitive-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { first } from './first.js';`,
          `const f = memorious(function usesTransitive(x${t('number')}) {`,
          `  count('local-import-transitive-edit');`,
          `  return first(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      first: [
        `import { second } from './nested/second.js';`,
        `export function first(x${t('number')}) { return second(x) + 1; }`,
        ``,
      ].join('\n'),
      'nested/second': `export const OFFSET = 4;\nexport function second(x${t('number')}) { return x + OFFSET; }\n`,
    }),
    edits: [['nested/second', 'OFFSET = 4', 'OFFSET = 5']],
  },
  {
    id: 'dynamic-import-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `const f = memorious(async function loadsLazily(x${t('number')}) {`,
          `  count('dynamic-import-edit');`,
          `  const { lazy } = await import('./lazy.js');`,
          `  return lazy(x);`,
          `});`,
        ].join('\n'),
        'await f(3);',
      ),
      lazy: `export function lazy(x${t('number')}) { return x + 1; }\n`,
    }),
    edits: [['lazy', 'x + 1', 'x + 2']],
  },
  {
    id: 'package-version-bump',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `import { shift } from 'pkg-bump';`,
          `const f = memorious(function usesPackage(x${t('number')}) {`,
          `  count('package-version-bump');`,
          `  return shift(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
      '/node_modules/pkg-bump/package.json': JSON.stringify({
        name: 'pkg-bump',
        version: '1.0.0',
        exports: { import: './index.mjs', require: './index.cjs' },
      }),
      '/node_modules/pkg-bump/index.mjs': 'export function shift(x) { return x + 1; }\n',
      '/node_modules/pkg-bump/index.cjs': 'exports.shift = (x) => x + 1;\n',
    }),
    edits: [['/node_modules/pkg-bump/package.json', '"version":"1.0.0"', '"version":"1.0.1"']],
  },
  {
    id: 'closure-value-edit',
    expect: 'miss',
    files: (t) => ({
      main: main(
        [
          `function makeScaler(k${t('number')}) {`,
          `  return memorious(function scale(x${t('number')}) {`,
          `    count('closure-value-edit');`,
          `    return x * k;`,
          `  });`,
          `}`,
          `const scale = makeScaler(5);`,
        ].join('\n'),
        'scale(3);',
      ),
    }),
    edits: [['main', 'makeScaler(5)', 'makeScaler(6)']],
  },
  {
    id: 'closure-value-same',
    expect: 'hit',
    files: (t) => ({
      main: main(
        [
          `function makeOffset(k${t('number')}) {`,
          `  const table = { k, list: [k, k + 1] };`,
          `  return memorious(function offset(x${t('number')}) {`,
          `    count('closure-value-same');`,
          `    return x + table.list[1];`,
          `  });`,
          `}`,
          `const offset = makeOffset(5);`,
        ].join('\n'),
        'offset(3);',
      ),
    }),
    edits: [['main', 'const offset = makeOffset(5);', 'const offset = makeOffset(2 + 3); // same value']],
  },
  {
    id: 'new-function-edit',
    expect: 'miss',
    files: () => ({
      main: main(
        `const f = memorious(new Function('x', 'globalThis.funesCount("new-function-edit"); return x * 2;'), ` +
          `{ name: 'built' });`,
        'f(3);',
      ),
    }),
    edits: [['main', 'return x * 2;', 'return x * 4;']],
    warns: /cannot find the code of built/,
  },
  {
    id: 'new-function-reformatted',
    expect: 'hit',
    files: () => ({
      main: main(
        `const f = memorious(new Function('x', 'globalThis.funesCount("new-function-reformatted"); return x*2;'), ` +
          `{ name: 'builtReformatted' });`,
        'f(3);',
      ),
    }),
    edits: [['main', 'return x*2;', 'return  x * 2 ; /* same */']],
    warns: /cannot find the code of builtReformatted/,
  },
  {
    id: 'var-in-branch-edit',
    expect: 'miss',
    // A `var` declared in a top-level branch is the module's, whichever branch runs.
    files: (t) => ({
      main: main(
        [
          `if (typeof process === 'object') {`,
          `  var branchScale = 2;`,
          `} else {`,
          `  var branchScale = 1;`,
          `}`,
          `const f = memorious(function branchVar(x${t('number')}) {`,
          `  count('var-in-branch-edit');`,
          `  return x * branchScale;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'var branchScale = 2;', 'var branchScale = 3;']],
  },
  {
    id: 'var-over-function-edit',
    expect: 'miss',
    // In a script, a `var` assigned after a function of the same name replaces it.
    appliesTo: (format) => format === 'cjs',
    files: () => ({
      main: main(
        [
          `function pick(x) { return x + 1; }`,
          `var pick = function (x) { return x + 2; };`,
          `const f = memorious(function picked(x) {`,
          `  count('var-over-function-edit');`,
          `  return pick(x);`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'x + 2', 'x + 5']],
  },
  {
    id: 'eval-in-module',
    expect: 'miss',
    // A module using eval is hashed whole: even an edit the function does not reach invalidates.
    // In a bundle the module is the whole bundle, so the scenario would turn every other one into a miss.
    appliesTo: (format) => format !== 'esbuild',
    files: (t) => ({
      main: main(
        [
          `const BASE = eval('1 + 1');`,
          `const OTHER = 1;`,
          `const f = memorious(function nearEval(x${t('number')}) {`,
          `  count('eval-in-module');`,
          `  return x + BASE;`,
          `});`,
        ].join('\n'),
        'f(3);',
      ),
    }),
    edits: [['main', 'const OTHER = 1;', 'const OTHER = 2;']],
    warns: /uses eval/,
  },
];

for (const format of MODULE_FORMATS) {
  describe(`definition keys in ${format}`, { concurrency: false }, () => {
    const applicable = scenarios.filter((s) => !s.appliesTo || s.appliesTo(format));
    const project = new FixtureProject(format, applicable.map((s) => s.id));
    const ts = (text: string) => (isTypeScript(format) ? text : '');
    const t = (type: string) => ts(`: ${type}`);
    let first: Map<string, number>;
    let second: Map<string, number>;
    let moved: Map<string, number>;
    const warnings: string[] = [];
    let movedProject: FixtureProject | undefined;

    before(() => {
      for (const scenario of applicable) project.writeScenario(scenario.id, scenario.files(t, ts));
      project.writeEntry();
      warnings.push(...project.run().warnings);
      first = project.counts();
      for (const scenario of applicable) {
        for (const [file, from, to] of scenario.edits) project.edit(scenario.id, file, from, to);
      }
      warnings.push(...project.run().warnings);
      second = project.counts();
      movedProject = project.moveTo();
      warnings.push(...movedProject.run().warnings);
      moved = movedProject.counts();
    });
    after(() => {
      project.remove();
      movedProject?.remove();
    });

    for (const scenario of applicable) {
      it(`${scenario.id}: ${scenario.expect}`, () => {
        const before = first.get(scenario.id) ?? 0;
        const afterEdit = second.get(scenario.id) ?? 0;
        assert.ok(before > 0, `${scenario.id} never computed in the first run`);
        if (scenario.expect === 'hit') {
          assert.equal(afterEdit, before, `${scenario.id} recomputed after an edit that changes nothing it computes`);
        } else {
          assert.ok(
            afterEdit > before,
            `${scenario.id} was not recomputed after an edit that changes what it computes`,
          );
        }
        assert.equal(
          moved.get(scenario.id) ?? 0,
          afterEdit,
          `${scenario.id} recomputed after the project moved to another directory`,
        );
      });
    }

    it('prints only the expected definition warnings', () => {
      const expected = applicable.flatMap((s) => (s.warns ? [s.warns] : []));
      for (const pattern of expected) {
        assert.ok(
          warnings.some((w) => pattern.test(w)),
          `no warning matching ${pattern}`,
        );
      }
      const unexpected = warnings.filter((w) => !expected.some((pattern) => pattern.test(w)));
      assert.deepEqual(unexpected, []);
    });
  });
}

describe('definition keys of functions without a file', { concurrency: 2 }, () => {
  const project = tempProject('funes-keys-nofile-');
  after(() => project.remove());

  /** Program text in which `{K}`, `{OP}` and `{SPACE}` are filled in per run. */
  const program = (imports: string) => `${imports}
const K = {K};
function helper(x) { return x {OP} K; }
const f = memorious(function {NAME}(x) {
  appendFileSync('{LOG}', 'x\\n');{SPACE}return helper(x) * 2;
});
f(1);
`;
  const fill = (text: string, values: Record<string, string>) =>
    text.replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? '');
  const computations = (log: string) =>
    existsSync(join(project.dir, log))
      ? readFileSync(join(project.dir, log), 'utf8').split('\n').filter(Boolean).length
      : 0;

  /** Runs the program with each set of values in turn; returns the number of computations after each run. */
  function runAll(
    name: string,
    run: (code: string) => { status: number | null; stderr: string },
    template: string,
  ): number[] {
    const log = `${name}.log`;
    const steps = [
      { K: '3', OP: '+', SPACE: ' ' },
      { K: '3', OP: '+', SPACE: '\n  // the same code, reformatted\n  ' },
      { K: '4', OP: '+', SPACE: ' ' },
      { K: '4', OP: '-', SPACE: ' ' },
    ];
    return steps.map((values) => {
      const result = run(fill(template, { ...values, NAME: name, LOG: log }));
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /FunesWarning/);
      return computations(log);
    });
  }

  // Expected: computed; reformatting hits; a changed constant misses; a changed helper misses.
  const expected = [1, 1, 2, 3];

  it('node -e (CommonJS)', () => {
    const template = program(
      `const { memorious } = require('@funes/core');\nconst { appendFileSync } = require('node:fs');`,
    );
    assert.deepEqual(runAll('evalCjs', (code) => project.node(['-e', code]), template), expected);
  });

  it('node --input-type=module -e', () => {
    const template = program(`import { memorious } from '@funes/core';\nimport { appendFileSync } from 'node:fs';`);
    assert.deepEqual(
      runAll('evalEsm', (code) => project.node(['--input-type=module', '-e', code]), template),
      expected,
    );
  });

  it('the REPL', () => {
    const template = program(
      `const { memorious } = require('@funes/core');\nconst { appendFileSync } = require('node:fs');`,
    );
    const repl = (code: string) =>
      spawnSync(process.execPath, ['-i'], { cwd: project.dir, input: `${code}\n.exit\n`, encoding: 'utf8' });
    assert.deepEqual(runAll('repl', repl, template), expected);
  });
});

describe('definition keys of CommonJS objects configured by the script that requires them', () => {
  const project = tempProject('funes-keys-cjs-config-');
  after(() => project.remove());

  it("module.exports = { … } required whole, and exports.settings = { … } by name, changed in main.js", () => {
    project.write('package.json', JSON.stringify({ name: 'cjs-config', private: true }));
    project.write('cfg.js', `module.exports = { scale: 1 };\n`);
    project.write('settings.js', `exports.settings = { offset: 0 };\n`);
    project.write(
      'model.js',
      [
        `const { memorious } = require('@funes/core');`,
        `const { appendFileSync } = require('node:fs');`,
        `const cfg = require('./cfg.js');`,
        `const { settings } = require('./settings.js');`,
        `exports.train = memorious(function train(x) {`,
        `  appendFileSync('calls.log', 'x\\n');`,
        `  return x * cfg.scale + settings.offset;`,
        `});`,
        ``,
      ].join('\n'),
    );
    const run = (scale: number, offset: number) => {
      project.write(
        'main.js',
        [
          `const cfg = require('./cfg.js');`,
          `const { settings } = require('./settings.js');`,
          `cfg.scale = ${scale};`,
          `settings.offset = ${offset};`,
          `const { train } = require('./model.js');`,
          `train(1);`,
          ``,
        ].join('\n'),
      );
      const result = project.node(['main.js']);
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /FunesWarning/);
      return readFileSync(join(project.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length;
    };
    assert.equal(run(2, 0), 1);
    assert.equal(run(2, 0), 1);
    assert.equal(run(3, 0), 2);
    assert.equal(run(3, 1), 3);
    assert.equal(run(2, 0), 3, 'the first configuration finds its result again');
  });
});

describe('definition keys of a JSON module configured by the script that loads it', () => {
  const project = tempProject('funes-keys-json-config-');
  after(() => project.remove());

  /** Runs `main` after writing it with `scale`; returns the computations so far, in `log`. */
  function runner(main: string, log: string, write: (scale: number) => string) {
    return (scale: number) => {
      project.write(main, write(scale));
      const result = project.node([main]);
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /FunesWarning/);
      return readFileSync(join(project.dir, log), 'utf8').split('\n').filter(Boolean).length;
    };
  }

  it('imported with { type: "json" } in model.mjs, changed in main.mjs', () => {
    project.write('esm/cfg.json', `{ "scale": 1 }\n`);
    project.write(
      'esm/model.mjs',
      [
        `import { memorious } from '@funes/core';`,
        `import { appendFileSync } from 'node:fs';`,
        `import cfg from './cfg.json' with { type: 'json' };`,
        `export const train = memorious(function train(x) {`,
        `  appendFileSync('esm.log', 'x\\n');`,
        `  return x * cfg.scale;`,
        `});`,
        ``,
      ].join('\n'),
    );
    const run = runner('esm/main.mjs', 'esm.log', (scale) =>
      [
        `import cfg from './cfg.json' with { type: 'json' };`,
        `import { train } from './model.mjs';`,
        `cfg.scale = ${scale};`,
        `await train(1);`,
        ``,
      ].join('\n'));
    assert.equal(run(2), 1);
    assert.equal(run(2), 1);
    assert.equal(run(3), 2);
    assert.equal(run(2), 2, 'the first configuration finds its result again');
  });

  it('required in model.cjs, changed in main.cjs', () => {
    project.write('cjs/cfg.json', `{ "scale": 1 }\n`);
    project.write(
      'cjs/model.cjs',
      [
        `const { memorious } = require('@funes/core');`,
        `const { appendFileSync } = require('node:fs');`,
        `const cfg = require('./cfg.json');`,
        `exports.train = memorious(function train(x) {`,
        `  appendFileSync('cjs.log', 'x\\n');`,
        `  return x * cfg.scale;`,
        `});`,
        ``,
      ].join('\n'),
    );
    const run = runner('cjs/main.cjs', 'cjs.log', (scale) =>
      [
        `const cfg = require('./cfg.json');`,
        `cfg.scale = ${scale};`,
        `require('./model.cjs').train(1);`,
        ``,
      ].join('\n'));
    assert.equal(run(2), 1);
    assert.equal(run(2), 1);
    assert.equal(run(3), 2);
    assert.equal(run(2), 2, 'the first configuration finds its result again');
  });
});
