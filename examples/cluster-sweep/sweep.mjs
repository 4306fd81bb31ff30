// One worker of a cluster sweep. Every worker runs this same file, on its own machine
// (its own cache directory), with FUNES_REMOTE naming the one remote they share:
//
//   FUNES_SHARD=0/3 FUNES_REMOTE=s3://bucket/sweep node sweep.mjs
//
// `shard` gives each worker its own share of the grid, read from FUNES_SHARD or from the
// job array's variables (SLURM, Kubernetes indexed jobs, AWS Batch), so no point is
// computed twice; live sharing writes each result to the remote as it is stored.
// With --collect, a process reads the whole grid: every point is read through from
// the remote, none is computed.
import { memorious, shard } from '@funes/core';

// The function reads no environment variable: one it read (FUNES_SHARD, say) would join
// each call's key, and machines with different values would never share a result.
const simulate = memorious(async function simulate(alpha, beta) {
  console.log(`computing alpha=${alpha} beta=${beta}`);
  // Stands for an expensive simulation: a damped oscillator integrated for 20k steps.
  let x = 1;
  let v = 0;
  for (let step = 0; step < 20_000; step++) {
    v += (-alpha * x - beta * v) * 0.001;
    x += v * 0.001;
  }
  return { alpha, beta, x, energy: 0.5 * v * v + 0.5 * alpha * x * x };
});

const grid = [];
for (const alpha of [0.5, 1, 2, 4]) for (const beta of [0, 0.1, 0.5]) grid.push([alpha, beta]);

if (process.argv.includes('--collect')) {
  const results = await Promise.all(grid.map(([alpha, beta]) => simulate(alpha, beta)));
  for (const r of results) console.log(`alpha=${r.alpha} beta=${r.beta} energy=${r.energy.toFixed(6)}`);
} else {
  for (const [alpha, beta] of shard(grid)) await simulate(alpha, beta);
}
