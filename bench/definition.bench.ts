/**
 * The cost of definition hashing (issue 3's budget: the first wrapped function
 * ≤ 100 ms including parser start-up; each further function in an already parsed
 * module ≤ 2 ms). Each sample is a fresh process over a generated ~200 KB module
 * holding 300 memorious functions that share helpers; prints medians.
 *
 *   node --import tsx bench/definition.bench.ts            # 5 processes
 *   node --import tsx bench/definition.bench.ts --runs 9
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const FUNCTIONS = 300;

/** A module of shared helpers and constants, filler code no function reaches, and FUNCTIONS memorious functions. */
function generatedModule(): string {
  const lines = [
    `import { memorious, describeDefinition } from '@funes/core';`,
    `import { join } from 'node:path';`,
    ...Array.from({ length: 10 }, (_, i) => `const C${i} = ${i} * 1.5;`),
    `function square(x) { return x * x; }`,
    `function scaled(x, k) { return square(x) * k + C0; }`,
    `class Model { constructor(w) { this.w = w; } predict(x) { return scaled(x, this.w); } }`,
  ];
  // Filler: code in the module that no wrapped function uses, to make the parse realistic.
  for (let i = 0; lines.join('\n').length < 150_000; i++) {
    lines.push(`export function filler${i}(rows) {\n  const out = [];\n  for (const row of rows) {\n    if (row.value > ${i}) out.push({ ...row, score: row.value * ${i} + Math.sqrt(row.weight ?? 1) });\n  }\n  return out.sort((a, b) => a.score - b.score).slice(0, ${i % 50 + 1});\n}`);
  }
  for (let i = 0; i < FUNCTIONS; i++) {
    lines.push(`export const f${i} = memorious(function f${i}(x, epochs = ${i}) {\n  const m = new Model(C${i % 10});\n  return m.predict(x) + scaled(epochs, C${(i + 3) % 10}) + join('a', 'b').length;\n});`);
  }
  lines.push(`export function makeScaler(k) { return memorious(function scale(x) { return x * k + square(k); }); }`);
  return lines.join('\n') + '\n';
}

const RUNNER = `
const t0 = performance.now();
await import('oxc-parser');
const parserLoad = performance.now() - t0;
const t1 = performance.now();
const mod = await import('./generated.mjs');
const wrapAll = performance.now() - t1;
const { describeDefinition } = await import('@funes/core');
const t2 = performance.now();
describeDefinition(mod.f0);
const first = performance.now() - t2;
const t3 = performance.now();
for (let i = 1; i < ${FUNCTIONS}; i++) describeDefinition(mod['f' + i]);
const further = (performance.now() - t3) / ${FUNCTIONS - 1};
const t4 = performance.now();
describeDefinition(mod.makeScaler(5));
const closure = performance.now() - t4;
const t5 = performance.now();
const { memorious } = await import('@funes/core');
describeDefinition(memorious(new Function('x', 'return x * 2'), { name: 'built' }));
const noFile = performance.now() - t5;
const t6 = performance.now();
for (let i = 0; i < 1000; i++) memorious(function wrapped(x) { return x; });
const wrapEach = (performance.now() - t6) / 1000;
console.log(JSON.stringify({ parserLoad, wrapAll, first, further, closure, noFile, wrapEach }));
`;

const dir = mkdtempSync(join(tmpdir(), 'funes-definition-bench-'));
try {
  mkdirSync(join(dir, 'node_modules', '@funes'), { recursive: true });
  symlinkSync(join(repo, 'packages', 'core'), join(dir, 'node_modules', '@funes', 'core'), 'dir');
  // The runner imports oxc-parser by name, as core does.
  symlinkSync(join(repo, 'node_modules', 'oxc-parser'), join(dir, 'node_modules', 'oxc-parser'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'definition-bench', private: true, type: 'module' }));
  const source = generatedModule();
  writeFileSync(join(dir, 'generated.mjs'), source);
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);

  const samples: Record<string, number>[] = [];
  for (let run = 0; run < Number(flags.runs); run++) {
    const result = spawnSync(process.execPath, ['runner.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    if (result.status !== 0) throw new Error(result.stderr);
    samples.push(JSON.parse(result.stdout.trim().split('\n').pop()!));
  }
  const median = (key: string) => {
    const sorted = samples.map((s) => s[key]!).sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  };
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(`definition hashing: ${(source.length / 1024).toFixed(0)} KB module, ${FUNCTIONS} functions, median of ${samples.length} fresh processes`);
  console.log(`  parser load (import oxc-parser)              ${ms(median('parserLoad'))}`);
  console.log(`  first function (parse module + analysis)     ${ms(median('first'))}`);
  console.log(`  first function incl. parser load             ${ms(median('parserLoad') + median('first'))}   budget 100 ms`);
  console.log(`  each further function, same module           ${ms(median('further'))}   budget 2 ms`);
  console.log(`  a closure (inspector: captured values)       ${ms(median('closure'))}`);
  console.log(`  a function without a file (new Function)     ${ms(median('noFile'))}`);
  console.log(`  wrap time per memorious() call (call site)    ${ms(median('wrapEach'))}`);
  console.log(`  importing the module (${FUNCTIONS} memorious calls)    ${ms(median('wrapAll'))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
