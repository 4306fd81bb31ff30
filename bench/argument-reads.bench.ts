/**
 * The cost a file read adds to a hit, in a directory of many files (`data/`, default 2,000 files of 10 KB):
 * - `named`: the file is named by the function's own argument (`readFileSync(join('data', name))`), so each call
 *   counts the one file it names;
 * - `pattern`: the name is computed inside the function (`NAMES[i]`), so every file in `data/` counts;
 * - `none`: the same function reading no file, the baseline;
 * - `dataset`: the `named` function given one large file (`data/big.bin`, default 256 MB), whose first call in a
 *   fresh process is a hit that must know the file's content hash.
 * Each sample is a fresh process: the first call (definition analysis, the first file hashes) and then 200 hits
 * on different arguments. Prints medians, and each hit's ratio to the baseline's.
 *
 *   node --import tsx bench/argument-reads.bench.ts               # 3 processes per case
 *   node --import tsx bench/argument-reads.bench.ts --runs 5 --files 5000
 *   FUNES_CORE=/path/to/packages/core/dist/index.js node --import tsx bench/argument-reads.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    files: { type: 'string', default: '2000' },
    'dataset-mb': { type: 'string', default: '256' },
  },
});
const runs = Number(flags.runs);
const files = Number(flags.files);
const datasetBytes = Number(flags['dataset-mb']) * 1024 * 1024;
const core = process.env.FUNES_CORE ?? join(repo, 'packages/core/dist/index.js');
const HITS = 200;

const script = (kind: string) =>
  [
    `const { memorious } = await import(${JSON.stringify(pathToFileURL(core).href)});`,
    `import { readFileSync } from 'node:fs';`,
    `import { join } from 'node:path';`,
    `const NAMES = Array.from({ length: ${files} }, (_, i) => \`f\${i}.txt\`);`,
    kind === 'named' || kind === 'dataset'
      ? `const f = memorious(function named(name) { return readFileSync(join('data', name)).length; });`
      : kind === 'pattern'
        ? `const f = memorious(function pattern(i) {` +
          ` const n = NAMES[i]; return readFileSync(join('data', n)).length; });`
        : `const f = memorious(function none(name) { return name.length; });`,
    `const arg = (i) => ${kind === 'pattern' ? 'i' : kind === 'dataset' ? "'big.bin'" : 'NAMES[i]'};`,
    `const started = performance.now();`,
    `f(arg(0));`,
    `const first = performance.now() - started;`,
    `const hits = [];`,
    `for (let i = 1; i <= ${HITS}; i++) { const t = performance.now(); f(arg(i)); hits.push(performance.now() - t); }`,
    `hits.sort((a, b) => a - b);`,
    `console.log(JSON.stringify({ first, hit: hits[hits.length >> 1] }));`,
  ].join('\n');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const dir = mkdtempSync(join(tmpdir(), 'funes-argument-reads-'));
try {
  mkdirSync(join(dir, 'data'));
  // Written first: a file changed in the two seconds before it is hashed is hashed again by each process.
  writeFileSync(join(dir, 'data', 'big.bin'), randomBytes(datasetBytes));
  for (let i = 0; i < files; i++) writeFileSync(join(dir, 'data', `f${i}.txt`), Buffer.alloc(10_000, i % 251));
  const results = new Map<string, { first: number; hit: number }>();
  for (const kind of ['none', 'named', 'pattern', 'dataset']) {
    writeFileSync(join(dir, `${kind}.mjs`), script(kind));
    const env = { ...process.env, FUNES_CACHE_DIR: join(dir, 'cache') };
    const sample = () => {
      const out = spawnSync(process.execPath, [`${kind}.mjs`], { cwd: dir, env, encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${kind}: ${out.stderr}`);
      return JSON.parse(out.stdout) as { first: number; hit: number };
    };
    sample(); // computes and stores every call
    const samples = Array.from({ length: runs }, sample);
    results.set(kind, { first: median(samples.map((s) => s.first)), hit: median(samples.map((s) => s.hit)) });
  }
  const none = results.get('none')!;
  console.log(
    `${files} files of 10 KB and one of ${flags['dataset-mb']} MB in data/; ` +
      `medians of ${runs} processes, ${HITS} hits each (${core})`,
  );
  console.log('| read | first call ms | hit µs | hit ÷ no read |');
  console.log('|---|---|---|---|');
  for (const [kind, { first, hit }] of results) {
    console.log(`| ${kind} | ${first.toFixed(1)} | ${(hit * 1000).toFixed(1)} | ${(hit / none.hit).toFixed(2)}× |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
