/**
 * The `funes` CLI on a large cache: wall time of `log`, `du`, `verify` and
 * `gc --dry-run` (with peak RSS) as users run them — the built binary in a child process.
 *
 * Usage: node --import tsx bench/cli.bench.ts [entries=100000] [runs=3]
 *   quick: node --import tsx bench/cli.bench.ts 10000 1
 *
 * The cache: 10 functions × 2 versions. Each version gets 20 real results from
 * memorious (pinned with `version`, so no code hashing is timed), then is filled up
 * with copies of those objects under fresh argument hashes through core's atomic
 * writer — 100,000 memorious misses would take minutes and measure the disk, not
 * the CLI. Every copy is a valid, integrity-checked object. Verify also runs on half
 * and a tenth of the cache, to show memory does not grow with entries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memorious } from '@funes/core';
import { isHash, writeFileAtomic } from '@funes/core/internal';

const entries = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const FUNCTIONS = 10;
const VERSIONS = 2;
const TEMPLATES = 20;
const BIN = resolve(fileURLToPath(import.meta.url), '../../packages/cli/bin/funes.js');
// Prints the process's peak RSS (KiB) and CPU time (µs) to stderr as it exits: CPU time is steadier than wall time on a shared machine.
const USAGE = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('maxrss='+u.maxRSS+' cpu='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

const root = mkdtempSync(join(tmpdir(), 'funes-cli-bench-'));
const cacheDir = join(root, 'cache');

function fill(): void {
  const perVersion = Math.ceil(entries / (FUNCTIONS * VERSIONS));
  for (let f = 0; f < FUNCTIONS; f++) {
    for (let v = 0; v < VERSIONS; v++) {
      const fn = memorious((x: number) => ({ x, sum: x + 0.5, list: new Array(10).fill(x) }), { name: `train${f}`, version: `v${v}`, cacheDir });
      for (let i = 0; i < TEMPLATES; i++) fn(i);
      const versionDir = join(cacheDir, `train${f}`, readdirSync(join(cacheDir, `train${f}`)).filter(isHash).sort()[v] ?? '');
      const templates = readdirSync(versionDir)
        .filter(isHash)
        .map((name) => readFileSync(join(versionDir, name)));
      for (let i = templates.length; i < perVersion; i++) {
        writeFileAtomic(join(versionDir, randomBytes(32).toString('hex')), versionDir, [templates[i % templates.length]]);
      }
    }
  }
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function time(args: string[]): { seconds: number[]; cpu: number[]; rssMiB: number } {
  const seconds: number[] = [];
  const cpu: number[] = [];
  let rssMiB = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--import', USAGE, BIN, ...args, '--cache', cacheDir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    seconds.push((performance.now() - started) / 1000);
    if (child.status !== 0) throw new Error(`funes ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
    const usage = /maxrss=(\d+) cpu=(\d+)/.exec(child.stderr);
    rssMiB = Math.max(rssMiB, Number(usage?.[1] ?? 0) / 1024);
    cpu.push(Number(usage?.[2] ?? 0) / 1e6);
  }
  return { seconds, cpu, rssMiB };
}

try {
  let started = performance.now();
  fill();
  const fillSeconds = (performance.now() - started) / 1000;
  const du = execFileSync('du', ['-sh', cacheDir], { encoding: 'utf8' }).split('\t')[0];
  console.log(`cache: ${entries.toLocaleString('en-US')} entries in ${FUNCTIONS * VERSIONS} versions, ${du} on disk, written in ${fillSeconds.toFixed(1)} s`);
  console.log(`node ${process.version}, ${runs} run(s) each, median [min–max] wall seconds of the whole process, its median CPU time (user + system)\n`);
  const rows: [string, string[]][] = [
    ['log', ['log']],
    ['du', ['du']],
    ['verify', ['verify']],
    ['verify (1/2)', ['verify', 'train0', 'train1', 'train2', 'train3', 'train4']],
    ['verify (1/10)', ['verify', 'train0']],
    ['gc --dry-run', ['gc', '--dry-run', '--now']],
  ];
  for (const [label, args] of rows) {
    const { seconds, cpu, rssMiB } = time(args);
    const range = `${median(seconds).toFixed(2)} s [${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)}]`;
    console.log(`${label.padEnd(14)} ${range.padEnd(24)} CPU ${median(cpu).toFixed(2)} s   peak RSS ${rssMiB.toFixed(0)} MiB`);
  }
  started = performance.now();
  execFileSync(process.execPath, [BIN, '--version']);
  console.log(`\nfloor: funes --version ${((performance.now() - started) / 1000).toFixed(2)} s`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
