import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSync } from 'oxc-parser';
import type { AstNode } from '../function-source.js';
import { codeCommandLine, commandLineParts, moduleCommandLine } from './command-line-reads.js';
import { configurationReads, processNames } from './configuration-reads.js';
import { summarizeModule } from './module-summary.js';
import { freeVariables } from './scope-resolution.js';

/**
 * The parts read by the top-level declaration of `name` and the declarations it reaches, as
 * the analysis walks them: `all`, `argv[4]`, `--epochs`.
 */
function parts(code: string, name: string, follow = true): string[] {
  const result = parseSync('m.ts', code, { sourceType: 'unambiguous' });
  assert.deepEqual(result.errors, []);
  const program = result.program as unknown as AstNode;
  const summary = summarizeModule(program);
  const context = moduleCommandLine(program, code, summary, follow);
  const found = new Set<string>();
  const reached = new Set<string>();
  const reach = (binding: string): void => {
    const declaration = summary.declarations.get(binding);
    if (!declaration || reached.has(binding)) return;
    reached.add(binding);
    const { node } = declaration;
    for (const part of commandLineParts(node, context, node.type === 'VariableDeclarator' ? binding : undefined)) {
      found.add(part.kind === 'all' ? 'all' : part.kind === 'position' ? `argv[${part.index}]` : `--${part.name}`);
    }
    for (const free of freeVariables(node)) reach(free);
  };
  reach(name);
  return [...found].sort();
}

const PARSE = `import { parseArgs } from 'node:util';\n`;
const OPTIONS = `options: { lrs: { type: 'string' }, epochs: { type: 'string', default: '3' } }`;

test('a word taken by its position reads that word alone', () => {
  assert.deepEqual(parts(`const n = Number(process.argv[4]);`, 'n'), ['argv[4]']);
  assert.deepEqual(parts(`function f() { return +process.argv.slice(2)[1] + 1; }`, 'f'), ['argv[3]']);
  assert.deepEqual(parts(`const [from, to, n] = process.argv.slice(2).map(Number);`, 'n'), ['argv[4]']);
  assert.deepEqual(parts(`const [, , from, to = '9'] = process.argv;`, 'to'), ['argv[3]']);
  assert.deepEqual(parts(`const [from, ...rest] = process.argv.slice(2);\nconst n = rest[1];`, 'n'), ['argv[4]']);
  assert.deepEqual(parts(`function f() { const [a, b] = (process.argv as string[]).slice(3); return b; }`, 'f'), [
    'argv[3]',
    'argv[4]',
  ]);
  const followed = `const args = process.argv.slice(2);\nconst more = args.slice(1).map((w) => Number(w));\n`;
  assert.deepEqual(parts(`${followed}function f() { return args[0] + more[2]; }`, 'f'), ['argv[2]', 'argv[5]']);
  assert.deepEqual(parts(`${followed}function f() { return 1; }`, 'args'), [], 'a list followed use by use');
  // A word given to a module function held in a constant: the analysis threw, and the function was hashed without it.
  const helper = `const num = (s) => Number(s);\nconst lr = num(process.argv[2]);`;
  assert.deepEqual(parts(helper, 'lr'), ['argv[2]']);
});

test("an option of node:util's parseArgs() with literal settings reads that option alone", () => {
  const parsed = `${PARSE}const { values } = parseArgs({ args: process.argv.slice(2), ${OPTIONS} });\n`;
  assert.deepEqual(parts(`${parsed}function f() { return values.epochs * 2; }`, 'f'), ['--epochs']);
  assert.deepEqual(parts(`${parsed}const { epochs, lrs: list } = values;`, 'epochs'), ['--epochs']);
  assert.deepEqual(parts(`${parsed}const { epochs, lrs: list } = values;`, 'list'), ['--lrs']);
  assert.deepEqual(parts(`${parsed}function f() { return values['lrs']; }`, 'values'), []);
  const nested = `${PARSE}const { values: { epochs } } = parseArgs({ ${OPTIONS}, strict: false });`;
  assert.deepEqual(parts(nested, 'epochs'), ['--epochs']);
  const held =
    `import * as util from 'node:util';\nconst options = { ${OPTIONS} };\nconst cli = util.parseArgs(options);`;
  assert.deepEqual(parts(`${held}\nfunction f() { return cli.values.lrs; }`, 'f'), ['--lrs']);
  const required = `const { parseArgs } = require('util');\nconst { values } = parseArgs({ ${OPTIONS} });`;
  assert.deepEqual(parts(`${required}\nfunction f() { return values.lrs; }`, 'f'), ['--lrs']);
});

test('anything else reads the whole command line', () => {
  for (const body of [
    `return process.argv.includes('--fast');`,
    `return process.argv.at(-1);`,
    `return process.argv[n];`,
    `return process.argv.slice(n)[0];`,
    `return process.argv.slice(2).map((w, i, all) => all[0])[0];`,
    `const args = process.argv.slice(2); return args[0];`,
    `return globalThis.process.argv.length;`,
    `return parseArgs().values.x;`,
    `return (parseArgs)().values.x;`,
  ]) {
    assert.deepEqual(parts(`function f(n) { ${body} }`, 'f'), ['all'], body);
  }
  const parsed = `${PARSE}const { values, positionals } = parseArgs({ allowPositionals: true, ${OPTIONS} });\n`;
  for (const [code, name] of [
    [`${parsed}function f() { return Object.keys(values); }`, 'f'],
    [`${parsed}function f(k) { return values[k]; }`, 'f'],
    [`${parsed}function f() { return positionals[0]; }`, 'f'],
    [`${parsed}const { ...rest } = values;`, 'rest'],
    [`${PARSE}export const { values } = parseArgs({ ${OPTIONS} });\nfunction f() { return values.lrs; }`, 'f'],
    [`${PARSE}export const { values } = parseArgs({ ${OPTIONS} });`, 'values'],
    [`${PARSE}const { values } = parseArgs({ ${OPTIONS}, tokens: true });\nfunction f() { return values.lrs; }`, 'f'],
    [`${PARSE}const { values } = parseArgs({ options: OPTIONS });\nfunction f() { return values.lrs; }`, 'f'],
    [`${PARSE}const o = { ${OPTIONS} };\no.options.lrs.default = 'x';\nconst { values } = parseArgs(o);`, 'values'],
    [`${PARSE}const { values } = parseArgs({ ...common, ${OPTIONS} });`, 'values'],
    [`const { values } = parseArgs({ ${OPTIONS} });\nfunction f() { return values.lrs; }`, 'f'],
    [`function parseArgs() {}\nconst { values } = parseArgs({ ${OPTIONS} });\nfunction f() { return values.a; }`, 'f'],
    [`const args = process.argv.slice(2);\nexport { args };\nfunction f() { return args[0]; }`, 'f'],
    [`let args = process.argv.slice(2);\nfunction f() { return args[0]; }`, 'args'],
    [`function Number(w, i, all) { return all; }\nconst [a] = process.argv.slice(2).map(Number);`, 'a'],
  ] as const) {
    assert.deepEqual(parts(code, name), ['all'], code);
  }
  const followed = `const args = process.argv.slice(2);\nfunction f() { return args[0]; }`;
  assert.deepEqual(parts(followed, 'args', false), ['all'], 'a module run as a whole follows no constant');
  // A use anywhere in the module that may change what the constant holds: what a word's position holds is not sure.
  for (const change of [
    `const command = args.shift();`,
    `args[0] = 'x';`,
    `setup(args);`,
    `const alias = args; alias.reverse();`,
    `function later() { [args[0]] = ['x']; }`,
    `for (args[0] of ['x']) {}`,
  ]) {
    assert.deepEqual(parts(`${followed}\n${change}`, 'f'), ['all'], change);
  }
  for (const kept of [`const n = args.length + args.indexOf('-v');`, `const copy = args.slice(1); copy.shift();`]) {
    assert.deepEqual(parts(`${followed}\n${kept}`, 'f'), ['argv[2]'], kept);
  }
  const one = `${PARSE}const { values } = parseArgs({ options: { lr: { type: 'string' } } });\n`;
  for (const change of [`values.lr = '1';`, `delete values.lr;`, `Object.assign(values, { lr: '1' });`]) {
    assert.deepEqual(parts(`${one}${change}\nfunction f() { return values.lr; }`, 'f'), ['all'], change);
  }
  const many = `${PARSE}const { values } = parseArgs({ options: { lr: { type: 'string', multiple: true } } });`;
  assert.deepEqual(parts(`${many}\nfunction f() { return values.lr; }`, 'f'), ['all'], 'a list the code may change');
  assert.deepEqual(parts(`const s = process.argv[2];\nfunction f() { return 1; }`, 's', false), ['argv[2]']);
});

test('code with no module knows no parseArgs and no global', () => {
  const parts = (code: string) => {
    const program = parseSync('r.js', code, { sourceType: 'module' }).program as unknown as AstNode;
    return commandLineParts(program, codeCommandLine(program));
  };
  assert.deepEqual(parts(`(process.argv.slice(2).map(Number)[0])`), [{ kind: 'all' }]);
  assert.deepEqual(parts(`(process.argv[3])`), [{ kind: 'position', index: 3 }]);
  assert.deepEqual(parts(`const { argv: words } = process; (words[3])`), [{ kind: 'position', index: 3 }]);
});

test('process, argv and env under other names are still the command line and the environment', () => {
  for (const code of [
    `import { argv } from 'node:process';\nfunction f() { return argv[2]; }`,
    `import proc from 'process';\nfunction f() { return proc.argv[2]; }`,
    `const { argv } = process;\nfunction f() { return argv[2]; }`,
    `const { argv: words } = globalThis.process;\nfunction f() { return words[2]; }`,
    `const proc = require('node:process');\nfunction f() { return proc.argv[2]; }`,
    `function f() { const { argv } = process; return argv[2]; }`,
    `function f() { return process['argv'][2]; }`,
  ]) {
    assert.deepEqual(parts(code, 'f'), ['argv[2]'], code);
  }
  for (const code of [
    `import { env } from 'node:process';\nenv.SCALE;`,
    `const { env: vars } = process;\nconst { SCALE } = vars;`,
    `import * as proc from 'node:process';\nproc.env['SCALE'];`,
  ]) {
    const program = parseSync('m.ts', code, { sourceType: 'unambiguous' }).program as unknown as AstNode;
    assert.deepEqual(configurationReads(program, () => undefined, processNames(program)).environment, ['SCALE'], code);
  }
});

test('words destructured from process itself read what the pattern selects', () => {
  const code = `const { argv: [, , lr, epochs = '3'], env } = process;\nconst { argv: { length } } = process;\n`;
  assert.deepEqual(parts(code, 'lr'), ['argv[2]']);
  assert.deepEqual(parts(code, 'epochs'), ['argv[3]']);
  assert.deepEqual(parts(code, 'length'), ['all']);
});
