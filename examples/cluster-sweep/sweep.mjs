// One machine of a cluster sweep. Every machine runs this same file, on the whole grid,
// with its own cache directory and FUNES_REMOTE naming the remote they all share:
//
//   FUNES_REMOTE=s3://bucket/sweep node sweep.mjs
//
// No machine is told its share. `lock: 'skip'` makes each call take a lease on the remote
// first: a point another machine is computing fails at once with ELEASEHELD, so this
// machine moves on to the next point and comes back to the skipped ones at the end, when
// their results are there to read. Each point is computed once, by whichever machine
// reached it first; a machine killed mid-point loses its lease, and another computes it.
// Leases need conditional writes on the server (AWS S3, MinIO, Ceph RGW, R2), or Redis:
// FUNES_LOCK_URL=redis://host:port (docs/remote.md).
//
// `shard(grid, { thenRest: true })` starts each machine at its own share (from SLURM,
// Kubernetes, AWS Batch or FUNES_SHARD) and then goes on with the rest, so machines
// rarely meet; without a job array every machine takes the grid in the same order and
// the leases alone keep them apart.
import { setTimeout as sleep } from 'node:timers/promises';
import { memorious, shard } from '@funes/core';

// The function reads no environment variable: one it read would join each call's key.
const simulate = memorious(
  async function simulate(alpha, beta) {
    console.log(`computing alpha=${alpha} beta=${beta}`);
    // Stands for an expensive simulation: a damped oscillator integrated for 200k steps.
    let x = 1;
    let v = 0;
    for (let step = 0; step < 200_000; step++) {
      v += (-alpha * x - beta * v) * 0.0001;
      x += v * 0.0001;
    }
    return { alpha, beta, x, energy: 0.5 * v * v + 0.5 * alpha * x * x };
  },
  { lock: 'skip' },
);

const grid = [];
for (const alpha of [0.5, 1, 2, 4]) for (const beta of [0, 0.1, 0.5]) grid.push([alpha, beta]);

const results = new Map();
let todo = shard(grid, { thenRest: true });
while (todo.length > 0) {
  const skipped = [];
  for (const point of todo) {
    try {
      results.set(point, await simulate(...point));
    } catch (error) {
      if (error.code !== 'ELEASEHELD') throw error;
      skipped.push(point);
    }
  }
  // Everything left is being computed elsewhere: give those machines a moment.
  if (skipped.length === todo.length) await sleep(200);
  todo = skipped;
}
for (const point of grid) {
  const r = results.get(point);
  console.log(`alpha=${r.alpha} beta=${r.beta} energy=${r.energy.toFixed(6)}`);
}
