/**
 * Bundles against tar: pack and unpack a cache of N objects with `@funes/sync`, and
 * the same directory with `tar czf` / `tar xzf`; prints times, sizes and ratios
 * (below 1 means Funes is faster). Runs alternate between Funes and tar and the ratio
 * is the median of per-pair ratios, so load drifting on a shared machine cancels out.
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

async function seconds(fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/**
 * Times two ways of doing the same job in alternation, `runs` times, each after
 * `before`; returns their median times and the median of the per-pair ratios, which
 * holds up on a shared machine whose load drifts between runs.
 */
async function pair(funes: () => Promise<void>, tar: () => void, before: () => void = () => {}) {
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < runs; r++) {
    before();
    ours.push(await seconds(funes));
    before();
    theirs.push(await seconds(tar));
    ratios.push(ours[r] / theirs[r]);
  }
  return { funes: median(ours), tar: median(theirs), ratio: median(ratios) };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const line = (what: string, s: number, extra = '') => console.log(`  ${what.padEnd(30)} ${s.toFixed(2).padStart(7)} s  ${extra}`);

async function main(): Promise<void> {
  console.log(`filling a cache with ${objects} objects of ${floatsPerObject * 8} bytes of results …`);
  const filled = await seconds(fill);
  const cacheBytes = Number(execFileSync('du', ['-sb', cacheDir], { encoding: 'utf8' }).split('\t')[0]);
  console.log(`  ${mb(cacheBytes)} on disk in ${filled.toFixed(1)} s`);
  execFileSync('tar', ['cf', '/dev/null', '-C', cacheDir, '.']); // warm the page cache

  const bundle = join(root, 'bundle.tar.gz');
  const tarball = join(root, 'tar.tar.gz');
  const into = join(root, 'into');
  const packAt = (level?: number) => async () => {
    await pipeline(pack({ cacheDir, level }), createWriteStream(bundle));
  };
  const tarPack = () => void execFileSync('tar', ['czf', tarball, '-C', cacheDir, '.']);

  const level6 = await pair(packAt(6), tarPack);
  const level6Size = statSync(bundle).size;
  const packed = await pair(packAt(), tarPack);
  const unpacked = await pair(
    async () => void (await unpack(createReadStream(bundle), { cacheDir: into })),
    () => void execFileSync('tar', ['xzf', tarball, '-C', into]),
    () => {
      rmSync(into, { recursive: true, force: true });
      mkdirSync(into);
    },
  );
  const verify = await seconds(async () => void (await unpack(createReadStream(bundle), { mode: 'verify' })));

  console.log(`\n${objects} objects, ${mb(cacheBytes)}; medians of ${runs} alternating run(s):`);
  line('funes pack (gzip level 1)', packed.funes, mb(statSync(bundle).size));
  line('funes pack --level 6', level6.funes, mb(level6Size));
  line('tar czf', packed.tar, mb(statSync(tarball).size));
  line('funes unpack (verified merge)', unpacked.funes);
  line('tar xzf', unpacked.tar);
  line('funes unpack --verify', verify);
  console.log('\nratios, funes / tar (below 1: faster than tar):');
  console.log(`  pack   ${packed.ratio.toFixed(2)}   (level 6: ${level6.ratio.toFixed(2)})`);
  console.log(`  unpack ${unpacked.ratio.toFixed(2)}`);
  rmSync(root, { recursive: true, force: true });
}

await main();
