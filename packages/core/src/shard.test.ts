import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shard, shardPosition } from './shard.js';

const grid = Array.from({ length: 100 }, (_, i) => i);

test('shares are disjoint, cover the grid exactly once and are balanced', () => {
  for (const count of [1, 2, 3, 7, 100, 150]) {
    const shares = Array.from({ length: count }, (_, index) => shard(grid, { index, count }));
    const all = shares.flat().sort((a, b) => a - b);
    assert.deepEqual(all, grid, `count ${count}`);
    const sizes = shares.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `count ${count}: ${sizes}`);
  }
});

test('every machine shuffles the same way, and neighbours go to different machines', () => {
  assert.deepEqual(shard(grid, { index: 1, count: 4 }), shard(grid, { index: 1, count: 4 }));
  const share = shard(grid, { index: 0, count: 4 });
  assert.notDeepEqual(share, [...share].sort((a, b) => a - b), 'the share is shuffled');
  const contiguous = grid.slice(0, 25);
  assert.ok(
    contiguous.filter((p) => share.includes(p)).length < 20,
    'the first quarter of the grid is spread over machines',
  );
});

test('thenRest lists the own share first, then every other point once', () => {
  const mine = shard(grid, { index: 2, count: 3 });
  const ordered = shard(grid, { index: 2, count: 3, thenRest: true });
  assert.deepEqual(ordered.slice(0, mine.length), mine);
  assert.deepEqual([...ordered].sort((a, b) => a - b), grid);
  const next = shard(grid, { index: 0, count: 3 });
  assert.deepEqual(
    ordered.slice(mine.length, mine.length + next.length),
    next,
    'the next machine’s share comes first',
  );
});

test('a process outside any job array gets the whole grid in its own order', () => {
  assert.deepEqual(shard(grid, { env: {} }), grid);
  assert.equal(shardPosition({ env: {} }), undefined);
});

test('the position is read from FUNES_SHARD, SLURM, Kubernetes and AWS Batch', () => {
  assert.deepEqual(shardPosition({ env: { FUNES_SHARD: '2/5' } }), { index: 2, count: 5, source: 'FUNES_SHARD' });
  assert.deepEqual(shardPosition({ env: { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' } }), {
    index: 3,
    count: 4,
    source: 'SLURM_ARRAY_TASK_ID',
  });
  // sbatch --array=1-7:2 gives task ids 1, 3, 5, 7
  assert.deepEqual(
    shardPosition({
      env: {
        SLURM_ARRAY_TASK_ID: '5',
        SLURM_ARRAY_TASK_COUNT: '4',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_STEP: '2',
      },
    }),
    { index: 2, count: 4, source: 'SLURM_ARRAY_TASK_ID' },
  );
  assert.deepEqual(shardPosition({ env: { JOB_COMPLETION_INDEX: '0', FUNES_SHARD_COUNT: '8' } }), {
    index: 0,
    count: 8,
    source: 'JOB_COMPLETION_INDEX',
  });
  assert.deepEqual(shardPosition({ env: { AWS_BATCH_JOB_ARRAY_INDEX: '7', FUNES_SHARD_COUNT: '8' } }), {
    index: 7,
    count: 8,
    source: 'AWS_BATCH_JOB_ARRAY_INDEX',
  });
  assert.equal(
    shardPosition({ env: { FUNES_SHARD: '1/2', SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' } })?.source,
    'FUNES_SHARD',
    'FUNES_SHARD wins',
  );
});

test('a position that cannot be right is refused with a message that says what to set', () => {
  const refuses = (env: Record<string, string>, message: RegExp) =>
    assert.throws(
      () => shardPosition({ env }),
      (e: any) => e.code === 'EINVALID' && message.test(e.message),
    );
  refuses({ FUNES_SHARD: '3' }, /index\/count/);
  refuses({ FUNES_SHARD: '4/4' }, /outside 0…3/);
  refuses({ FUNES_SHARD: '0/0' }, /at least 1/);
  refuses({ JOB_COMPLETION_INDEX: '2' }, /FUNES_SHARD_COUNT/);
  refuses({ SLURM_ARRAY_TASK_ID: '2' }, /SLURM_ARRAY_TASK_COUNT/);
  refuses(
    { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_STEP: '2' },
    /not on the array's steps/,
  );
  refuses({ AWS_BATCH_JOB_ARRAY_INDEX: 'x', FUNES_SHARD_COUNT: '2' }, /whole number/);
  assert.throws(() => shard(grid, { index: 1 }), /both `index` and `count`/);
});
