/**
 * The `funes` CLI on a large cache: wall time, CPU time and peak RSS of `log`, `du`,
 * `verify` and `gc --dry-run` as users run them (the built executable in a child process),
 * each beside a floor measured in the same run: `du -s` of the cache for the commands that
 * list and stat it, `head -c 4096` of every object (as many at once as `log` has readers) for
 * `log` counting, which opens each object for its header and stored compute time, and
 * `sha256sum` of every object for `verify`, which reads and checks every byte. `log`, `du`
 * and `gc` are measured twice: counting every version (the cache's tallies removed first), and
 * `tallied`, right after, taking the versions from the tallies it recorded. Start-up: `funes
 * --version` and `funes log` on a small cache beside `node -e 0`.
 *
 * Usage: node --import tsx bench/cli.bench.ts [entries=100000] [runs=3] [cacheDir]
 *   quick: node --import tsx bench/cli.bench.ts 10000 1
 *
 * The cache: 10 functions × 2 versions, every entry a real miss of memorious (a version
 * pinned with `version`, so no code hashing is timed). With a cacheDir that already holds
 * the entries it is used as it is, and kept: a million entries take a while to write.
 * Commands run alternately with their floor, `runs` times each.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memorious } from '@funes/core';
import { TALLIES_FILE } from '@funes/core/cache';

const entries = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const given = process.argv[4];
const FUNCTIONS = 10;
const VERSIONS = 2;
const BIN = resolve(fileURLToPath(import.meta.url), '../../packages/cli/bin/funes.js');
// Prints the process's peak RSS (KiB) and CPU time (µs) to stderr as it exits: CPU
// time is steadier than wall time on a shared machine. The peak is Linux's VmHWM where
// there is one: getrusage's keeps the high-water mark of the process that spawned it.
const USAGE =
  `data:text/javascript,import{readFileSync}from'node:fs';` +
  `process.on('exit',()=>{const u=process.resourceUsage();let k=u.maxRSS;` +
  `try{k=Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1])}catch{}` +
  `process.stderr.write('maxrss='+k+' cpu='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

const root = given === undefined ? mkdtempSync(join(tmpdir(), 'funes-cli-bench-')) : resolve(given, '..');
const cacheDir = given === undefined ? join(root, 'cache') : resolve(given);

/** Writes `entries` results of memorious, spread over the functions and versions. */
function fill(): void {
  const perVersion = Math.ceil(entries / (FUNCTIONS * VERSIONS));
  for (let f = 0; f < FUNCTIONS; f++) {
    for (let v = 0; v < VERSIONS; v++) {
      const fn = memorious((x: number) => ({ x, sum: x + 0.5, list: new Array(10).fill(x) }), {
        name: `train${f}`,
        version: `v${v}`,
        cacheDir,
      });
      for (let i = 0; i < perVersion; i++) fn(i);
    }
  }
}

function objectCount(): number {
  let count = 0;
  for (const fn of readdirSync(cacheDir)) {
    if (fn.startsWith('.')) continue;
    for (const version of readdirSync(join(cacheDir, fn))) {
      count += readdirSync(join(cacheDir, fn, version)).filter((name) => /^[0-9a-f]{64}$/.test(name)).length;
    }
  }
  return count;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

interface Measured {
  readonly seconds: number[];
  readonly cpu: number[];
  readonly rssMiB: number[];
}

/** One run of a command in a child process: wall time, and CPU time and peak RSS (when `node` reports them). */
function once(command: string, args: readonly string[], into: Measured, options: { shell?: boolean } = {}): void {
  const started = performance.now();
  const child = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    shell: options.shell,
  });
  into.seconds.push((performance.now() - started) / 1000);
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  const usage = /maxrss=(\d+) cpu=(\d+)/.exec(child.stderr);
  if (usage) {
    into.rssMiB.push(Number(usage[1]) / 1024);
    into.cpu.push(Number(usage[2]) / 1e6);
  }
}

const measured = (): Measured => ({ seconds: [], cpu: [], rssMiB: [] });
const funes = (args: readonly string[], cache = cacheDir) => [
  `--import`,
  USAGE,
  BIN,
  ...args,
  '--cache',
  cache,
  '--json',
];

function row(label: string, m: Measured, floor?: Measured): string {
  const wall = `${median(m.seconds).toFixed(2)} s ` +
      `[${Math.min(...m.seconds).toFixed(2)}–${Math.max(...m.seconds).toFixed(2)}]`;
  const ratio = floor ? `${(median(m.seconds) / median(floor.seconds)).toFixed(2)}× floor` : '';
  const cpu = m.cpu.length > 0 ? `CPU ${median(m.cpu).toFixed(2)} s` : '';
  const rss = m.rssMiB.length > 0 ? `peak RSS ${Math.max(...m.rssMiB).toFixed(0)} MiB` : '';
  return `${label.padEnd(16)} ${wall.padEnd(24)} ${ratio.padEnd(12)} ${cpu.padEnd(12)} ${rss}`;
}

try {
  let started = performance.now();
  if (!existsSync(cacheDir) || objectCount() < entries) fill();
  const fillSeconds = (performance.now() - started) / 1000;
  const du = execFileSync('du', ['-sh', cacheDir], { encoding: 'utf8' }).split('\t')[0];
  console.log(
    `cache: ${objectCount().toLocaleString('en-US')} entries in ${FUNCTIONS * VERSIONS} versions, ` +
        `${du} on disk${given === undefined ? `, written in ${fillSeconds.toFixed(1)} s` : ''}`,
  );
  console.log(
    [
      `node ${process.version}, ${runs} run(s) each, alternating with the floor: median [min–max] wall time of the ` +
          `whole process, its ratio to the floor's, median CPU time (user + system), peak RSS`,
      ``,
    ].join('\n'),
  );

  const duFloor = measured();
  const headFloor = measured();
  const shaFloor = measured();
  // `log`, `du` and `gc` count each version anew when the cache's tallies are gone (its first command, and each
  // after a version changed), and take unchanged versions from them otherwise: each is measured both ways.
  const tallies = join(cacheDir, TALLIES_FILE);
  const commands: [string, string[], Measured, Measured][] = [
    ['funes log', ['log'], measured(), headFloor],
    ['  tallied', ['log'], measured(), duFloor],
    ['funes du', ['du'], measured(), duFloor],
    ['  tallied', ['du'], measured(), duFloor],
    ['funes gc -n', ['gc', '--dry-run', '--now'], measured(), duFloor],
    ['  tallied', ['gc', '--dry-run', '--now'], measured(), duFloor],
    ['funes verify', ['verify'], measured(), shaFloor],
    ['verify (1/10)', ['verify', 'train0'], measured(), shaFloor],
  ];
  // Every object read once, untimed: the first command to read them would otherwise also pay for bringing them back
  // into the page cache, which the machine may have reclaimed since they were written.
  once(`find '${cacheDir}' -type f -print0 | xargs -0 cat`, [], measured(), { shell: true });
  for (let run = 0; run < runs; run++) {
    for (const [label, args, into] of commands) {
      if (label.startsWith('funes')) rmSync(tallies, { force: true });
      once(process.execPath, funes(args), into);
      if (args[0] === 'verify' && args.length === 1) {
        once(`find '${cacheDir}' -name '[0-9a-f]*' -type f -print0 | xargs -0 sha256sum`, [], shaFloor, {
          shell: true,
        });
      } else if (label === 'funes log') {
        // As many readers as `log` runs (packages/cli/src/object-reader.ts).
        const readers = Math.min(availableParallelism(), 8);
        once(`find '${cacheDir}' -name '[0-9a-f]*' -type f -print0 | xargs -0 -P${readers} -n 2000 head -qc 4096`, [],
            headFloor, { shell: true });
      } else if (args[0] !== 'verify') once('du', ['-s', cacheDir], duFloor);
    }
  }
  console.log(row('du -s (floor)', duFloor));
  console.log(row('head -c (floor)', headFloor));
  console.log(row('sha256sum (floor)', shaFloor));
  for (const [label, , m, floor] of commands) console.log(row(label, m, label.includes('1/10') ? undefined : floor));

  // Start-up, on a cache of one function with 20 entries.
  const small = join(root, 'small-cache');
  const square = memorious((x: number) => x * x, { name: 'square', version: 'v1', cacheDir: small });
  for (let i = 0; i < 20; i++) square(i);
  const node = measured();
  const version = measured();
  const log = measured();
  started = performance.now();
  for (let run = 0; run < Math.max(runs, 10); run++) {
    once(process.execPath, ['--import', USAGE, '-e', '0'], node);
    once(process.execPath, ['--import', USAGE, BIN, '--version'], version);
    once(process.execPath, funes(['log'], small), log);
  }
  console.log(`\nstart-up (${node.seconds.length} runs each, alternating):`);
  console.log(row('node -e 0', node));
  console.log(row('funes --version', version, node));
  console.log(row('funes log (small)', log, node));
} finally {
  if (given === undefined) rmSync(root, { recursive: true, force: true });
  else {
    rmSync(join(root, 'small-cache'), { recursive: true, force: true });
  }
}
