/**
 * The cost of definition hashing (budget: the first wrapped function of a process
 * ≤ 100 ms including parser start-up; each further function ≤ 2 ms). Each sample
 * is a fresh process; prints medians of wall and CPU time (on a busy machine the
 * CPU time is the steadier figure). Scenarios:
 *
 * - a ~200 KB JavaScript module holding 300 memorious functions that share helpers
 *   (with a closure, a function without a file and the wrap-time cost), and the same
 *   with each function reading a word or an option of the command line;
 * - the same kind of module with 200 functions, in TypeScript run through tsx (the
 *   transpiled file places functions through V8's function locations);
 * - a module whose 200 functions reach 50 local files it imports.
 *
 *   node --import tsx bench/definition.bench.ts            # 5 processes per scenario
 *   node --import tsx bench/definition.bench.ts --runs 9
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });

/** Code in a module that no wrapped function uses, to make its parse realistic. */
function filler(lines: string[], size: number, typed: boolean): void {
  const rows = typed ? 'rows: { value: number; weight?: number }[]' : 'rows';
  for (let i = 0; lines.join('\n').length < size; i++) {
    lines.push(
      [
        `export function filler${i}(${rows}) {`,
        `  const out = [];`,
        `  for (const row of rows) {`,
        `    if (row.value > ${i}) out.push({ ...row, score: row.value * ${i} + Math.sqrt(row.weight ?? 1) });`,
        `  }`,
        `  return out.sort((a, b) => a.score - b.score).slice(0, ${(i % 50) + 1});`,
        `}`,
      ].join('\n'),
    );
  }
}

/**
 * A module of shared helpers and constants, filler, and `count` memorious functions; with `commandLine`,
 * each function also reads a word or an option of the command line through module constants.
 */
function generatedModule(count: number, typed: boolean, commandLine = false): string {
  const t = (type: string) => (typed ? `: ${type}` : '');
  const lines = [
    `import { memorious } from '@funes/core';`,
    `import { join } from 'node:path';`,
    ...(commandLine
      ? [
          `import { parseArgs } from 'node:util';`,
          `const [from, to, n] = process.argv.slice(2).map(Number);`,
          `const { values } = parseArgs({ options: { epochs: { type: 'string', default: '1' } }, strict: false });`,
        ]
      : []),
    ...Array.from({ length: 10 }, (_, i) => `const C${i} = ${i} * 1.5;`),
    `function square(x${t('number')})${t('number')} { return x * x; }`,
    `function scaled(x${t('number')}, k${t('number')}) { return square(x) * k + C0; }`,
    typed
      ? `class Model { constructor(private readonly w: number) {} predict(x: number): ` +
          `number { return scaled(x, this.w); } }`
      : `class Model { constructor(w) { this.w = w; } predict(x) { return scaled(x, this.w); } }`,
  ];
  filler(lines, 150_000, typed);
  for (let i = 0; i < count; i++) {
    lines.push(
      [
        `export const f${i} = memorious(function f${i}(x${t('number')}, epochs = ${i}) {`,
        `  const m = new Model(C${i % 10});`,
        `  return m.predict(x) + scaled(epochs, C${(i + 3) % 10}) + join('a', 'b').length` +
          (commandLine ? ` + ${i % 2 ? 'Number(values.epochs)' : 'n'};` : ';'),
        `});`,
      ].join('\n'),
    );
  }
  lines.push(
    `export function makeScaler(k${t('number')}) { return memorious(function ` +
        `scale(x${t('number')}) { return x * k + square(k); }); }`,
  );
  return lines.join('\n') + '\n';
}

const IMPORTED_FILES = 50;

/** A module whose functions reach `IMPORTED_FILES` local files (the first reaches all of them), and those files. */
function importingModule(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let j = 0; j < IMPORTED_FILES; j++) {
    const lines = [
      `import { shared } from './shared.mjs';`,
      `export const RATE${j} = ${j} / 10;`,
      `export function helper${j}(x) { return shared(x) * RATE${j} + inner${j}(x); }`,
      `function inner${j}(x) { return x > ${j} ? x - ${j} : ${j} - x; }`,
    ];
    filler(lines, 3_000, false);
    files[`lib/helper${j}.mjs`] = lines.join('\n') + '\n';
  }
  files['lib/shared.mjs'] = `export function shared(x) { return Math.log1p(Math.abs(x)); }\n`;
  const lines = [
    `import { memorious } from '@funes/core';`,
    ...Array.from({ length: IMPORTED_FILES }, (_, j) => `import { helper${j} } from './lib/helper${j}.mjs';`),
    [
      `export const f0 = memorious(function f0(x) {`,
      `  return ${Array.from({ length: IMPORTED_FILES }, (_, j) => `helper${j}(x)`).join(' + ')};`,
      `});`,
    ].join('\n'),
  ];
  for (let i = 1; i < count; i++) {
    lines.push(
      [
        `export const f${i} = memorious(function f${i}(x) {`,
        `  return helper${i % IMPORTED_FILES}(x) * ${i} + helper${(i * 7) % IMPORTED_FILES}(x + 1);`,
        `});`,
      ].join('\n'),
    );
  }
  files['generated.mjs'] = lines.join('\n') + '\n';
  return files;
}

/** Times describeDefinition on the module's functions, in a fresh process. */
const RUNNER = `
const [moduleFile, countText] = process.argv.slice(2);
const count = Number(countText);
const out = {};
/** Wall and CPU time of a step, in ms (CPU time is what other processes on a busy machine leave unchanged). */
const time = (name, step, per = 1) => {
  const t = performance.now();
  const c = process.cpuUsage();
  const result = step();
  const cpu = process.cpuUsage(c);
  out[name] = (performance.now() - t) / per;
  out[name + 'Cpu'] = (cpu.user + cpu.system) / 1000 / per;
  return result;
};
const now = () => [performance.now(), process.cpuUsage()];
const since = (name, [t, c], per = 1) => {
  const cpu = process.cpuUsage(c);
  out[name] = (performance.now() - t) / per;
  out[name + 'Cpu'] = (cpu.user + cpu.system) / 1000 / per;
};
let start = now();
await import('oxc-parser');
since('parserLoad', start);
start = now();
const mod = await import(moduleFile);
since('wrapAll', start);
const { describeDefinition, memorious } = await import('@funes/core');
time('first', () => describeDefinition(mod.f0));
time('further', () => { for (let i = 1; i < count; i++) describeDefinition(mod['f' + i]); }, count - 1);
if (mod.makeScaler) {
  time('closure', () => describeDefinition(mod.makeScaler(5)));
  time('noFile', () => describeDefinition(memorious(new Function('x', 'return x * 2'), { name: 'built' })));
  time('wrapEach', () => { for (let i = 0; i < 1000; i++) memorious(function wrapped(x) { return x; }); }, 1000);
}
console.log(JSON.stringify(out));
`;

interface Scenario {
  readonly title: string;
  readonly files: Record<string, string>;
  readonly module: string;
  readonly count: number;
  readonly tsx?: boolean;
}

const scenarios: Scenario[] = [
  {
    title: 'JavaScript module, 300 functions',
    files: { 'generated.mjs': generatedModule(300, false) },
    module: 'generated.mjs',
    count: 300,
  },
  {
    title: 'JavaScript module, 300 functions reading the command line',
    files: { 'generated.mjs': generatedModule(300, false, true) },
    module: 'generated.mjs',
    count: 300,
  },
  {
    title: 'TypeScript module through tsx, 200 functions',
    files: { 'generated.ts': generatedModule(200, true) },
    module: 'generated.ts',
    count: 200,
    tsx: true,
  },
  {
    title: `module importing ${IMPORTED_FILES} local files, 200 functions`,
    files: importingModule(200),
    module: 'generated.mjs',
    count: 200,
  },
];

const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(10);
const dir = mkdtempSync(join(tmpdir(), 'funes-definition-bench-'));
try {
  mkdirSync(join(dir, 'node_modules', '@funes'), { recursive: true });
  symlinkSync(join(repo, 'packages', 'core'), join(dir, 'node_modules', '@funes', 'core'), 'dir');
  // The runner imports oxc-parser by name, as core does; tsx runs the TypeScript scenario.
  for (const name of ['oxc-parser', 'tsx']) {
    symlinkSync(join(repo, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'definition-bench', private: true, type: 'module' }));
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  console.log(`definition hashing: median of ${flags.runs} fresh processes per scenario`);
  for (const [index, scenario] of scenarios.entries()) {
    const cwd = join(dir, `scenario${index}`);
    for (const [file, text] of Object.entries(scenario.files)) {
      mkdirSync(dirname(join(cwd, file)), { recursive: true });
      writeFileSync(join(cwd, file), text);
    }
    const size = Object.values(scenario.files).reduce((sum, text) => sum + text.length, 0);
    const samples: Record<string, number>[] = [];
    for (let run = 0; run < Number(flags.runs); run++) {
      const args = [
        ...(scenario.tsx ? ['--import', 'tsx'] : []),
        join(dir, 'runner.mjs'),
        pathToFileURL(join(cwd, scenario.module)).href,
        String(scenario.count),
      ];
      const result = spawnSync(process.execPath, args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      if (result.status !== 0) throw new Error(result.stderr);
      samples.push(JSON.parse(result.stdout.trim().split('\n').pop()!));
    }
    const median = (key: string) => {
      const sorted = samples.map((s) => s[key]!).sort((a, b) => a - b);
      return sorted[sorted.length >> 1]!;
    };
    const row = (label: string, key: string, budget = '') => {
      console.log(`  ${label.padEnd(44)} ${ms(median(key))} ${ms(median(key + 'Cpu'))}${budget}`);
    };
    console.log(
      [
        ``,
        `${scenario.title} (${(size / 1024).toFixed(0)} KB of code)`,
        `  ${''.padEnd(44)} ${'wall'.padStart(10)} ${'cpu'.padStart(10)}`,
      ].join('\n'),
    );
    row('parser load (import oxc-parser)', 'parserLoad');
    row('first function (parse + analysis)', 'first');
    const withParserLoad = ms(median('parserLoad') + median('first'));
    const withParserLoadCpu = ms(median('parserLoadCpu') + median('firstCpu'));
    console.log(
      `  ${'first function incl. parser load'.padEnd(44)} ${withParserLoad} ${withParserLoadCpu}   budget 100 ms`,
    );
    row('each further function', 'further', '   budget 2 ms');
    row(`importing the module (${scenario.count} memorious calls)`, 'wrapAll');
    if (samples[0]!.closure !== undefined) {
      row('a closure (inspector: captured values)', 'closure');
      row('a function without a file (new Function)', 'noFile');
      row('wrap time per memorious() call (call site)', 'wrapEach');
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
