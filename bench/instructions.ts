/**
 * Instructions per call under callgrind, which a loaded machine does not change: for
 * Funes and the disk's floor, a miss in a fresh process (its first 2,000) and in steady
 * state (misses 4,000 to 8,000), a hit in a fresh process (its first 2,000), a warm hit
 * (the next 4,000) and a W4 hit with the 10,000-leaf argument. Each figure is the
 * difference between two runs of bench/store-calls.mjs with different call counts, so
 * process start-up and the definition's hashing cancel out. Needs valgrind; takes
 * minutes.
 *
 *   node --import tsx bench/instructions.ts
 *   FUNES_CORE=/elsewhere/packages/core/dist/index.js node --import tsx bench/instructions.ts   # another build
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Instructions of one run of store-calls.mjs. */
function instructions(system: string, workload: string, cacheDir: string, calls: number): number {
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--smc-check=all-non-file',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      join(here, 'store-calls.mjs'),
      system,
      workload,
      cacheDir,
      String(calls),
    ],
    { cwd: here, encoding: 'utf8' },
  );
  const collected = /Collected : (\d+)/.exec(run.stderr);
  if (run.status !== 0 || !collected) throw new Error(`${system} ${workload} failed:\n${run.stderr}`);
  return Number(collected[1]);
}

const rows: string[] = [];
for (const system of ['funes', 'floor']) {
  const root = mkdtempSync(join(tmpdir(), `funes-instructions-${system}-`));
  try {
    const cache = join(root, 'cache');
    // Each figure is a difference of two runs that both made a first call, which hashes the definition.
    const miss =
      (instructions(system, 'miss', cache, 2000) - instructions(system, 'miss', join(root, 'one'), 1)) / 1999;
    const steady =
      (instructions(system, 'miss', join(root, 'long'), 8000) -
        instructions(system, 'miss', join(root, 'half'), 4000)) /
      4000;
    const cold = (instructions(system, 'hit', cache, 2000) - instructions(system, 'hit', cache, 1)) / 1999;
    const warm = (instructions(system, 'hit', cache, 6000) - instructions(system, 'hit', cache, 2000)) / 4000;
    const big = join(root, 'big');
    instructions(system, 'big-argument', big, 0);
    const w4 = (instructions(system, 'big-argument', big, 120) - instructions(system, 'big-argument', big, 20)) / 100;
    rows.push(
      `| ${system} | ${Math.round(miss / 1000)}k | ${Math.round(steady / 1000)}k | ${Math.round(cold / 1000)}k | ` +
          `${Math.round(warm / 1000)}k | ${Math.round(w4 / 1000)}k |`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
console.log('Instructions per call (callgrind; fresh processes; start-up subtracted)\n');
console.log('| system | W1 miss, first 2,000 | W1 miss, steady | W2 hit, first 2,000 | W2 hit, warm | W4 hit |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
