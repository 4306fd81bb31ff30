/**
 * Bundles against tar: pack and unpack a cache of N objects with `@funes/sync`, and
 * the same directory with `tar czf` / `tar xzf`; prints wall and CPU times, sizes,
 * ratios (below 1 means Funes is faster) and the targets. Runs alternate between Funes
 * and tar and each ratio is the median of per-pair ratios, so load drifting on a
 * shared machine cancels out; CPU time, which the load changes less, is shown beside
 * wall time (Funes' counts its thread pool's, tar's its gzip's).
 *
 * Usage: node --import tsx bench/pack.bench.ts [objects=100000] [resultBytes=2e9] [runs=3]
 *   quick: node --import tsx bench/pack.bench.ts 2000 20000000 1
 * resultBytes is the results' total size; half of them deflate well, so the default
 * makes a cache of ≈ 1 GB on disk (1,059 MB): the 1 GB, 100,000-object case.
 *
 * The cache is written by memorious itself: results alternate between 4 KiB+
 * structured arrays (stored deflated) and random floats (stored raw), so the bundle
 * mixes compressible and incompressible objects as real caches do. Both sides run
 * with a warm page cache; unpack goes into an empty directory each run.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { memorious } from '@funes/core';
import { pack, unpack } from '@funes/sync';

const objects = Number(process.argv[2] ?? 100_000);
const totalBytes = Number(process.argv[3] ?? 2e9);
const runs = Number(process.argv[4] ?? 3);
const floatsPerObject = Math.max(1, Math.round(totalBytes / objects / 8));

const root = mkdtempSync(join(tmpdir(), 'funes-pack-bench-'));
const cacheDir = join(root, 'cache');

function fill(): void {
  const blob = memorious(
    function blob(i: number, floats: number) {
      const values = new Float64Array(floats);
      // Even calls: a smooth series (deflates well); odd calls: noise (stored raw).
      for (let k = 0; k < floats; k++) values[k] = i % 2 === 0 ? Math.floor(k / 16) : Math.random();
      return values;
    },
    { cacheDir },
  );
  for (let i = 0; i < objects; i++) blob(i, floatsPerObject);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall and CPU seconds of one side of a pair. */
interface Timing {
  wall: number;
  cpu: number;
}

/** Funes in this process: its CPU time counts every thread, the thread pool's gzip included. */
async function inProcess(fn: () => Promise<void>): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** tar (and the gzip it runs) in a shell whose `times` reports its children's CPU time. */
function tarRun(args: readonly string[]): Timing {
  const start = performance.now();
  const out = execFileSync('bash', ['-c', 'tar "$@" && times', 'tar', ...args], { encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  const seconds = (text: string) => Number(text.match(/(\d+)m/)![1]) * 60 + Number(text.match(/([\d.]+)s/)![1]);
  const [user, system] = out.trim().split('\n').pop()!.split(' ');
  return { wall, cpu: seconds(user) + seconds(system) };
}

/**
 * Times two ways of doing the same job in alternation, `runs` times, each after
 * `before`; returns their median times and the median of the per-pair ratios, which
 * holds up on a shared machine whose load drifts between runs.
 */
async function pair(funes: () => Promise<void>, tar: () => Timing, before: () => void = () => {}) {
  const ours: Timing[] = [];
  const theirs: Timing[] = [];
  for (let r = 0; r < runs; r++) {
    before();
    ours.push(await inProcess(funes));
    before();
    theirs.push(tar());
  }
  const of = (timings: Timing[], key: keyof Timing) => median(timings.map((t) => t[key]));
  const ratio = (key: keyof Timing) => median(ours.map((t, r) => t[key] / theirs[r][key]));
  return {
    funes: of(ours, 'wall'),
    funesCpu: of(ours, 'cpu'),
    tar: of(theirs, 'wall'),
    tarCpu: of(theirs, 'cpu'),
    ratio: ratio('wall'),
    cpuRatio: ratio('cpu'),
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const line = (what: string, wall: number, cpu: number, extra = '') =>
  console.log(
    `  ${what.padEnd(30)} ${wall.toFixed(2).padStart(7)} s wall ${cpu.toFixed(2).padStart(7)} s CPU  ${extra}`,
  );
const check = (label: string, ratio: number, bound: number, extra = '') =>
  console.log(`${ratio <= bound ? 'met ' : 'MISS'}  ${label} ≤ ${bound}×: ${ratio.toFixed(2)}×${extra}`);

async function main(): Promise<void> {
  console.log(`filling a cache with ${objects} objects of ${floatsPerObject * 8} bytes of results …`);
  const filled = await inProcess(async () => fill());
  const cacheBytes = Number(execFileSync('du', ['-sb', cacheDir], { encoding: 'utf8' }).split('\t')[0]);
  console.log(`  ${mb(cacheBytes)} on disk in ${filled.wall.toFixed(1)} s`);
  execFileSync('tar', ['cf', '/dev/null', '-C', cacheDir, '.']); // warm the page cache

  const bundle = join(root, 'bundle.tar.gz');
  const tarball = join(root, 'tar.tar.gz');
  const into = join(root, 'into');
  const packed = await pair(
    async () => void (await pipeline(pack({ cacheDir }), createWriteStream(bundle))),
    () => tarRun(['czf', tarball, '-C', cacheDir, '.']),
  );
  const unpacked = await pair(
    async () => void (await unpack(createReadStream(bundle), { cacheDir: into })),
    () => tarRun(['xzf', tarball, '-C', into]),
    () => {
      rmSync(into, { recursive: true, force: true });
      mkdirSync(into);
    },
  );
  const verify = await inProcess(async () => void (await unpack(createReadStream(bundle), { mode: 'verify' })));
  const sizeRatio = statSync(bundle).size / statSync(tarball).size;

  console.log(`\n${objects} objects, ${mb(cacheBytes)}; medians of ${runs} alternating run(s):`);
  line('funes pack', packed.funes, packed.funesCpu, mb(statSync(bundle).size));
  line('tar czf', packed.tar, packed.tarCpu, mb(statSync(tarball).size));
  line('funes unpack (verified merge)', unpacked.funes, unpacked.funesCpu);
  line('tar xzf', unpacked.tar, unpacked.tarCpu);
  line('funes unpack --verify', verify.wall, verify.cpu);
  console.log('\nTargets (issue 20), funes / tar in the same run (median of per-pair ratios):');
  check('pack time', packed.ratio, 0.25, ` (CPU time ${packed.cpuRatio.toFixed(2)}×)`);
  check('unpack time', unpacked.ratio, 1.2, ` (CPU time ${unpacked.cpuRatio.toFixed(2)}×)`);
  check('bundle size', sizeRatio, 1.05);
  rmSync(root, { recursive: true, force: true });
}

await main();
