/**
 * The speed benchmark: workloads W1–W4 of shared/notes/peers.md for Funes, its peers
 * (memoize-fs, cacache and Python's diskcache) and the disk's floors, each run in fresh
 * processes, in one run on one machine. Prints medians, then every figure as a ratio
 * against the floor and diskcache measured in the same runs, and the targets.
 *
 *   npm run bench                 # 5 runs (installs python3-diskcache first when missing)
 *   npm run bench -- --runs 3     # fewer runs
 *   npm run bench -- --only funes,floor
 *   FUNES_CORE=/elsewhere/packages/core/dist/index.js npm run bench -- --only funes   # another build
 *
 * A bench started within six minutes of another's end first waits for that one's deleted
 * files to age (see waitForRecentDeletions).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { digest, DigestAlgorithm } from '../packages/core/src/payload-digest.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'funes,floor,diskcache,memoize-fs,cacache' },
  },
});
const runs = Number(flags.runs);
const systems = flags.only!.split(',');

interface Sample {
  missUs: number;
  hitUs: number;
  hitProcessSeconds: number;
  writeMBs: number;
  readMBs: number;
  bigArgumentUs: number;
  /** Funes only: W3 from a sync function (NaN for the others). */
  syncWriteMBs: number;
  syncReadMBs: number;
  /** Funes only: W1 in steady state, alternating with the floor in one process (µs; the difference per pair). */
  steadyMissUs: number;
  steadyFloorUs: number;
  steadyDifferenceUs: number;
  /** Funes only: W2 in steady state, alternating with the floor's read + decode in one process (µs). */
  steadyHitUs: number;
  steadyHitFloorUs: number;
  steadyHitDifferenceUs: number;
  /** Funes only: W4's argument key alone, and the key rule's floor for it, in the process of its hits (µs). */
  keyUs: number;
  keyRuleFloorUs: number;
  /** W4's hits once warm: the median of the process's last 100 (µs), and its first 5 hits in all (ms). */
  bigArgumentWarmUs: number;
  bigArgumentFirstMs: number;
  /** The floor only: W4 with the key rule's floor run at each call, measured as Funes' W4 is (µs per hit). */
  keyedBigArgumentUs: number;
  keyedBigArgumentWarmUs: number;
  keyedBigArgumentFirstMs: number;
}

function child(system: string, workload: string, cacheDir: string): { value: Record<string, number>; seconds: number } {
  // Every measurement starts on a quiet disk: what an earlier one left to write back (a
  // peer's thousands of files, an 80 MB result) slowed whichever came next, up to 3×.
  spawnSync('sync');
  const started = performance.now();
  const [command, ...args] =
    system === 'diskcache'
      ? // Debian's interpreter, which sees Debian's python3-diskcache (bench/setup/diskcache.sh).
        ['/usr/bin/python3', join(here, 'diskcache_workloads.py'), workload, cacheDir]
      : [process.execPath, join(here, 'workloads.mjs'), system, workload, cacheDir];
  const run = spawnSync(command, args, { cwd: here, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${system} ${workload} failed:\n${run.stderr}`);
  // A wrong result is reported as null (JSON has no NaN).
  const value = JSON.parse(run.stdout.trim().split('\n').pop()!, (_key, v) => (v === null ? NaN : v));
  return { value, seconds };
}

/** A run's workloads in order: the hit reads what the miss stored, the large read what the large write stored. */
const WORKLOADS = [
  { name: 'sweep', dir: 'cache' },
  { name: 'sweep', dir: 'cache' },
  { name: 'large-write', dir: 'large' },
  { name: 'large-read', dir: 'large' },
  { name: 'big-argument', dir: 'big' },
  // W4 for the floor keeping the key rule: its whole hit, warm-up included, as Funes' W4 is measured.
  { name: 'big-argument-keyed', dir: 'big-keyed', only: 'floor' },
  // W3 from a sync function, which Funes hashes and then writes or reads (an async one's it hashes while they move).
  { name: 'large-write-sync', dir: 'large-sync', only: 'funes' },
  { name: 'large-read-sync', dir: 'large-sync', only: 'funes' },
  // W1 once the JIT has warmed up: Funes' misses and the floor's in one process, alternating.
  { name: 'steady-miss', dir: 'steady', only: 'funes' },
  // W2 likewise: warm hits of Funes and of the floor (readFileSync + v8.deserialize), alternating.
  { name: 'steady-hit', dir: 'steady-hit', only: 'funes' },
] as const;

/**
 * One run: each workload for every system in turn, so that the measurements a ratio
 * compares met the disk within seconds of each other. A large write can slow the next
 * one, so odd runs take the systems in reverse order. A run's files stay until the bench
 * ends: deleting them would slow the next run's file creation (see {@link waitForRecentDeletions}).
 */
function measureRun(index: number): Map<string, Sample> {
  const order = index % 2 === 0 ? systems : [...systems].reverse();
  const dirs = new Map(systems.map((system) => [system, mkdtempSync(join(benchRoot, `run${index}-${system}-`))]));
  const measured = new Map(systems.map((system) => [system, new Map<string, ReturnType<typeof child>>()]));
  for (const workload of WORKLOADS) {
    for (const system of order) {
      if ('only' in workload && workload.only !== system) continue;
      const of = measured.get(system)!;
      // The first sweep misses (W1); the second, in a fresh process, hits what it stored (W2).
      const name = workload.name === 'sweep' ? (of.has('misses') ? 'hits' : 'misses') : workload.name;
      of.set(name, child(system, workload.name, join(dirs.get(system)!, workload.dir)));
    }
  }
  return new Map(
    systems.map((system) => {
      const of = measured.get(system)!;
      const value = (workload: string, field: string) => of.get(workload)?.value[field] ?? NaN;
      const big = of.get('big-argument')!;
      const sample: Sample = {
        missUs: value('misses', 'usPerCall'),
        hitUs: value('hits', 'usPerCall'),
        hitProcessSeconds: of.get('hits')!.seconds,
        writeMBs: value('large-write', 'mbPerSecond'),
        readMBs: value('large-read', 'mbPerSecond'),
        bigArgumentUs: big.value.usPerCall,
        syncWriteMBs: value('large-write-sync', 'mbPerSecond'),
        syncReadMBs: value('large-read-sync', 'mbPerSecond'),
        steadyMissUs: value('steady-miss', 'funesUs'),
        steadyFloorUs: value('steady-miss', 'floorUs'),
        steadyDifferenceUs: value('steady-miss', 'differenceUs'),
        steadyHitUs: value('steady-hit', 'funesUs'),
        steadyHitFloorUs: value('steady-hit', 'floorUs'),
        steadyHitDifferenceUs: value('steady-hit', 'differenceUs'),
        keyUs: big.value.keyUs ?? NaN,
        keyRuleFloorUs: big.value.keyRuleFloorUs ?? NaN,
        bigArgumentWarmUs: big.value.warmUs ?? NaN,
        bigArgumentFirstMs: big.value.firstHitsMs ?? NaN,
        keyedBigArgumentUs: value('big-argument-keyed', 'usPerCall'),
        keyedBigArgumentWarmUs: value('big-argument-keyed', 'warmUs'),
        keyedBigArgumentFirstMs: value('big-argument-keyed', 'firstHitsMs'),
      };
      return [system, sample];
    }),
  );
}

const median = (xs: number[]) => {
  if (xs.some(Number.isNaN)) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * How long ext4 without a journal treats a freed inode as recently deleted: a minute, and
 * five more while its inode table block has unwritten changes, which creating files beside
 * it makes (plus a margin).
 */
const RECENT_DELETION_S = 370;
/** When a bench last deleted its files (ms since the epoch), for the next one to wait for. */
const CLEANUP_MARK = join(tmpdir(), 'funes-bench-cleanup');

/**
 * Waits until the files an earlier bench deleted are no longer recent. On ext4 without a
 * journal the kernel passes over every recently freed inode when it allocates one (its
 * `recently_deleted` check), so after the thousands of files a bench deletes, each new
 * file costs far more kernel time: W1 would measure the deletions, for the floor and every
 * store of one file per result alike. Returns the seconds waited.
 */
function waitForRecentDeletions(): number {
  let cleanedAt: number;
  try {
    cleanedAt = Number(readFileSync(CLEANUP_MARK, 'utf8'));
  } catch {
    return 0;
  }
  const waitS = Math.ceil(RECENT_DELETION_S - (Date.now() - cleanedAt) / 1000);
  if (!(waitS > 0) || waitS > RECENT_DELETION_S) return 0;
  process.stderr.write(`waiting ${waitS} s: the files the last bench deleted are still recent to the disk\n`);
  spawnSync('sleep', [String(waitS)]);
  return waitS;
}

const waitedS = waitForRecentDeletions();
const benchRoot = mkdtempSync(join(tmpdir(), 'funes-bench-'));
const samples = new Map<string, Sample[]>(systems.map((system) => [system, []]));
try {
  for (let i = 0; i < runs; i++) {
    for (const [system, sample] of measureRun(i)) samples.get(system)!.push(sample);
    process.stderr.write(`run ${i + 1} of ${runs} measured\n`);
  }
} finally {
  rmSync(benchRoot, { recursive: true, force: true });
  writeFileSync(CLEANUP_MARK, String(Date.now()));
}
const deletionWait = waitedS > 0 ? `after waiting ${waitedS} s for the last bench's deletions to age` : '';
const results = new Map<string, Sample>();
for (const [system, runsOf] of samples) {
  const keys = Object.keys(runsOf[0]) as (keyof Sample)[];
  results.set(system, Object.fromEntries(keys.map((k) => [k, median(runsOf.map((s) => s[k]))])) as unknown as Sample);
}

const fixed = (n: number, digits = 0) => (Number.isNaN(n) ? 'wrong result' : n.toFixed(digits));
const funes = results.get('funes');
const floor = results.get('floor');
console.log(`\nMedians of ${runs} runs (fresh processes; MB = 10^6 bytes${deletionWait ? `; ${deletionWait}` : ''})\n`);
console.log('| system | W1 µs/miss | W2 µs/hit | W2 process s | W3 write MB/s | W3 read MB/s | W4 µs/hit |');
console.log('|---|---|---|---|---|---|---|');
for (const [system, r] of results) {
  console.log(
    `| ${system} | ${fixed(r.missUs)} | ${fixed(r.hitUs, 1)} | ${fixed(r.hitProcessSeconds, 2)} | ` +
        `${fixed(r.writeMBs)} | ${fixed(r.readMBs)} | ${fixed(r.bigArgumentUs, 1)} |`,
  );
}
console.log('\nW3 is an async function, as a researcher writes one.');
if (funes) {
  console.log(
    `Funes with a sync function in W3 instead: write ${fixed(funes.syncWriteMBs)} MB/s, ` +
        `read ${fixed(funes.syncReadMBs)} MB/s`,
  );
  console.log(
    `W1 in steady state (one process, misses alternating with the floor's after a warm-up): ` +
        `Funes ${fixed(funes.steadyMissUs)} µs, floor ${fixed(funes.steadyFloorUs)} µs per miss; ` +
        `Funes − floor ${fixed(funes.steadyDifferenceUs, 1)} µs (median per pair)`,
  );
  console.log(
    `W2 in steady state (one process, hits alternating with the floor's readFileSync + v8.deserialize after a ` +
        `warm-up): Funes ${fixed(funes.steadyHitUs, 1)} µs, floor ${fixed(funes.steadyHitFloorUs, 1)} µs per hit; ` +
        `Funes − floor ${fixed(funes.steadyHitDifferenceUs, 1)} µs (median per pair)`,
  );
  console.log(
    `W4's argument key alone: ${fixed(funes.keyUs)} µs; the key rule's floor (list every own key of the ` +
        `argument's 101 objects, read each value, SHA-256 of the key's bytes; both in the process of the hits, ` +
        `after them, in alternating rounds): ${fixed(funes.keyRuleFloorUs)} µs` +
        (floor ? `; with the floor's own W4 hit, no hit keeping the rule takes less than ` +
            `${fixed(funes.keyRuleFloorUs + floor.bigArgumentUs)} µs once warm, and the floor's whole hit keeping ` +
            `it, measured as Funes' W4 (a fresh process's 200 hits), takes ${fixed(floor.keyedBigArgumentUs)} µs` : ''),
  );
  if (floor) {
    console.log(
      `W4 once warm (median of the last 100 of the 200 hits): Funes ${fixed(funes.bigArgumentWarmUs)} µs, the ` +
          `floor keeping the key rule ${fixed(floor.keyedBigArgumentWarmUs)} µs per hit; the first 5 hits, while the ` +
          `JIT compiles the walk of the argument, take ${fixed(funes.bigArgumentFirstMs, 1)} ms and ` +
          `${fixed(floor.keyedBigArgumentFirstMs, 1)} ms in all`,
    );
  }
}


/** Workload columns; a throughput is turned into time (1 / MB/s) so that every ratio reads "below 1: faster". */
const COLUMNS: { key: keyof Sample; label: string; throughput?: true }[] = [
  { key: 'missUs', label: 'W1 miss' },
  { key: 'hitUs', label: 'W2 hit' },
  { key: 'hitProcessSeconds', label: 'W2 process' },
  { key: 'writeMBs', label: 'W3 write', throughput: true },
  { key: 'readMBs', label: 'W3 read', throughput: true },
  { key: 'bigArgumentUs', label: 'W4 hit' },
];
/**
 * A system's time over a baseline's for one workload: the median of the per-run ratios,
 * each taken between measurements made seconds apart, so that the disk's drift between
 * runs cancels out (a ratio of medians would mix runs).
 */
function ratio(system: string, baseline: string, key: keyof Sample): number {
  const ours = samples.get(system);
  const theirs = samples.get(baseline);
  if (!ours || !theirs) return NaN;
  const throughput = COLUMNS.find((column) => column.key === key)?.throughput;
  return median(ours.map((sample, i) => (throughput ? theirs[i][key] / sample[key] : sample[key] / theirs[i][key])));
}
const times = (n: number) => (Number.isNaN(n) ? 'wrong result' : `${n < 0.1 ? n.toPrecision(2) : n.toFixed(2)}×`);
for (const baseline of ['floor', 'diskcache'].filter((b) => samples.has(b))) {
  console.log(
    `\nTime relative to ${baseline} in the same run (median of per-run ratios; below 1: faster than ${baseline})\n`,
  );
  console.log(`| system | ${COLUMNS.map((c) => c.label).join(' | ')} |`);
  console.log(`|---|${COLUMNS.map(() => '---|').join('')}`);
  for (const system of systems.filter((s) => s !== baseline)) {
    console.log(`| ${system} | ${COLUMNS.map((c) => times(ratio(system, baseline, c.key))).join(' | ')} |`);
  }
}

if (funes && floor) {
  const check = (label: string, value: string, ok: boolean) =>
    console.log(`${ok ? 'met ' : 'MISS'}  ${label}: ${value}`);
  console.log('\nTargets (issue 7):');
  check('hit ≤ 1.5× read floor', `${(funes.hitUs / floor.hitUs).toFixed(2)}×`, funes.hitUs <= 1.5 * floor.hitUs);
  check('hit ≤ 20 µs', `${funes.hitUs.toFixed(1)} µs`, funes.hitUs <= 20);
  check(
    'miss ≤ 1.3× write floor',
    `${(funes.missUs / floor.missUs).toFixed(2)}×`,
    funes.missUs <= 1.3 * floor.missUs,
  );
  check('80 MB read ≥ 1500 MB/s', `${funes.readMBs.toFixed(0)} MB/s`, funes.readMBs >= 1500);
  check(
    '80 MB write within 1.5× of writeFileSync raw',
    `${(floor.writeMBs / funes.writeMBs).toFixed(2)}×`,
    floor.writeMBs / funes.writeMBs <= 1.5,
  );
  check(
    '2,000 hits, whole process ≤ 0.25 s',
    `${funes.hitProcessSeconds.toFixed(2)} s`,
    funes.hitProcessSeconds <= 0.25,
  );
  // What the seal a large object carries (BLAKE3, docs/format.md) costs on 80 MB here:
  // with it, no writer and no verifying reader can do better than these bounds.
  const large = new Uint8Array(80_000_000).map((_, i) => i);
  const sealMs = median(Array.from({ length: 5 }, () => {
    const started = performance.now();
    digest(DigestAlgorithm.blake3, large);
    return performance.now() - started;
  }));
  const floorReadMs = 80_000 / floor.readMBs;
  const floorWriteMs = 80_000 / floor.writeMBs;
  const bound = (readMs: number, writeMs: number) =>
    `a read ${(80_000 / readMs).toFixed(0)} MB/s and a write ${(writeMs / floorWriteMs).toFixed(2)}× the floor`;
  console.log(
    `BLAKE3 of 80 MB: ${sealMs.toFixed(0)} ms (${(80_000 / sealMs).toFixed(0)} MB/s). At best, ` +
        `with it: hashed while moved (async), ` +
      `${bound(Math.max(floorReadMs, sealMs), Math.max(floorWriteMs, sealMs))}; ` +
      `hashed, then moved (sync), ${bound(floorReadMs + sealMs, floorWriteMs + sealMs)}`,
  );
  console.log('\nTargets (issue 15):');
  check("W4's 10,000-leaf argument hashed in ≤ 1 ms", `${fixed(funes.keyUs)} µs`, funes.keyUs <= 1000);
  const diskcache = results.get('diskcache');
  if (diskcache) {
    // Issue 20: ahead of diskcache on every workload; each figure against one measured in the same runs.
    console.log('\nTargets (issue 20):');
    const sign = (us: number, digits = 0) => `${us < 0 ? '−' : '+'} ${Math.abs(us).toFixed(digits)} µs`;
    const missOverFloor = median(
      samples.get('funes')!.map((sample, i) => sample.missUs - samples.get('floor')![i].missUs),
    );
    check(
      "W1 miss ≤ diskcache's miss",
      times(ratio('funes', 'diskcache', 'missUs')),
      ratio('funes', 'diskcache', 'missUs') <= 1,
    );
    check(
      'W1 miss ≤ floor + 15 µs in steady state',
      `floor ${sign(funes.steadyDifferenceUs)} (in fresh processes: floor ${sign(missOverFloor)})`,
      funes.steadyDifferenceUs <= 15,
    );
    check(
      'W2 hit, warm ≤ floor + decode + 3 µs',
      `floor ${sign(funes.steadyHitDifferenceUs, 1)} (median per pair, in steady state)`,
      funes.steadyHitDifferenceUs <= 3,
    );
    check(
      "W2 hit, fresh process ≤ 0.75× diskcache's",
      times(ratio('funes', 'diskcache', 'hitUs')),
      ratio('funes', 'diskcache', 'hitUs') <= 0.75,
    );
    check(
      "W3 read ≥ 0.8× the floor's throughput",
      times(1 / ratio('funes', 'floor', 'readMBs')),
      1 / ratio('funes', 'floor', 'readMBs') >= 0.8,
    );
    check(
      'W3 read ahead of diskcache',
      `${times(1 / ratio('funes', 'diskcache', 'readMBs'))} its throughput`,
      ratio('funes', 'diskcache', 'readMBs') < 1,
    );
    check(
      "W3 write ≥ 0.7× the floor's throughput",
      times(1 / ratio('funes', 'floor', 'writeMBs')),
      1 / ratio('funes', 'floor', 'writeMBs') >= 0.7,
    );
    check(
      'W4 hit with the 10,000-leaf argument ≤ 1 ms',
      `${fixed(funes.bigArgumentUs)} µs (${times(ratio('funes', 'diskcache', 'bigArgumentUs'))} diskcache's; ` +
          `the floor's hit keeping the key rule, measured alike: ${fixed(floor.keyedBigArgumentUs)} µs)`,
      funes.bigArgumentUs <= 1000,
    );
  }
  for (const peer of ['diskcache', 'memoize-fs', 'cacache']) {
    const p = results.get(peer);
    if (p) {
      console.log(
        `vs ${peer}: miss ${(p.missUs / funes.missUs).toFixed(1)}× faster, ` +
            `hit ${(p.hitUs / funes.hitUs).toFixed(1)}× faster, ` +
            `W4 ${(p.bigArgumentUs / funes.bigArgumentUs).toFixed(1)}× faster`,
      );
    }
  }
}
