/**
 * `shard`: this machine's share of a sweep, found from the job array's environment, so the
 * same script runs unchanged on every machine of a cluster.
 */
import seedrandom from 'seedrandom';
import { InvalidUsageError } from './errors.js';

/** Which share of a grid this process takes: `index` of `count`, both counted from 0. */
export interface ShardPosition {
  readonly index: number;
  readonly count: number;
  /** Where the position came from: an environment variable's name, or `'options'`. */
  readonly source: string;
}

/** Options of {@link shard}. */
export interface ShardOptions {
  /** This machine's share, counted from 0. @default read from the environment */
  readonly index?: number;
  /** How many machines share the grid. @default read from the environment */
  readonly count?: number;
  /**
   * After this machine's own share, list the other shares' points too, so a machine that
   * finishes early goes on to help with the rest: a point already stored (locally or on a
   * shared remote) is a hit; one still being computed on another machine is computed twice,
   * unless the function has the `lock` option and a remote (then it is waited for, or skipped).
   * @default false
   */
  readonly thenRest?: boolean;
  /** The environment to read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The shuffle's fixed seed: every machine must shuffle a grid the same way. */
const SHUFFLE_SEED = 'funes.shard';

/**
 * This machine's share of `grid`, in a shuffled order that is the same on every machine, so
 * that points of similar cost (neighbours in the grid) are spread over all machines and a
 * slow region does not fall to one straggler. Shares are disjoint and together hold every
 * point exactly once.
 *
 * The position is read, in this order, from `FUNES_SHARD=i/n` (i from 0); SLURM job arrays
 * (`SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`, `SLURM_ARRAY_TASK_MIN`,
 * `SLURM_ARRAY_TASK_STEP`); Kubernetes indexed jobs (`JOB_COMPLETION_INDEX`); AWS Batch array
 * jobs (`AWS_BATCH_JOB_ARRAY_INDEX`). Kubernetes and AWS Batch do not tell a job how many
 * indices there are: set `FUNES_SHARD_COUNT` (or the `count` option) there. Without any of
 * these, the process is alone and gets the whole grid in its own order.
 *
 * @example
 * for (const lr of shard([0.1, 0.01, 0.001, 0.0001])) await train(lr);
 */
export function shard<T>(grid: Iterable<T>, options: ShardOptions = {}): T[] {
  const points = Array.from(grid);
  const position = shardPosition(options);
  if (!position) return points;
  const order = shuffledIndices(points.length);
  const mine: T[] = [];
  const rest: T[][] = Array.from({ length: position.count }, () => []);
  order.forEach((pointIndex, rank) =>
    (rank % position.count === position.index ? mine : rest[rank % position.count]).push(points[pointIndex]),
  );
  if (!options.thenRest) return mine;
  // The other shares follow in the order of the machines after this one, so machines that
  // finish early spread over different stragglers instead of all helping the same one.
  for (let step = 1; step < position.count; step++) mine.push(...rest[(position.index + step) % position.count]);
  return mine;
}

/**
 * Where this process stands in its job array, or `undefined` when it is not in one.
 * Throws `EINVALID` when the environment names a position that cannot be right.
 */
export function shardPosition(options: Omit<ShardOptions, 'thenRest'> = {}): ShardPosition | undefined {
  const env = options.env ?? process.env;
  if (options.index !== undefined || options.count !== undefined) {
    if (options.index === undefined || options.count === undefined) {
      throw new InvalidUsageError(
        'shard(): give both `index` and `count`, or neither (then they are read from the environment)',
      );
    }
    return checked(options.index, options.count, 'options');
  }
  const explicit = env.FUNES_SHARD;
  if (explicit !== undefined && explicit !== '') {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(explicit);
    if (!match) {
      throw new InvalidUsageError(
        `FUNES_SHARD is '${explicit}': write it as index/count with the index from 0, e.g. FUNES_SHARD=0/4`,
      );
    }
    return checked(Number(match[1]), Number(match[2]), 'FUNES_SHARD');
  }
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== '') {
    const count = env.SLURM_ARRAY_TASK_COUNT;
    if (count === undefined || count === '') {
      throw new InvalidUsageError(
        'SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: run under a job array (sbatch ' +
            '--array), or set FUNES_SHARD=index/count',
      );
    }
    const min = integer(env.SLURM_ARRAY_TASK_MIN ?? '0', 'SLURM_ARRAY_TASK_MIN');
    const step = integer(env.SLURM_ARRAY_TASK_STEP ?? '1', 'SLURM_ARRAY_TASK_STEP');
    const offset = integer(slurmId, 'SLURM_ARRAY_TASK_ID') - min;
    if (step < 1 || offset % step !== 0) {
      throw new InvalidUsageError(
        `SLURM_ARRAY_TASK_ID ${slurmId} is not on the array's steps (min ${min}, ` +
            `step ${step}): set FUNES_SHARD=index/count instead`,
      );
    }
    return checked(offset / step, integer(count, 'SLURM_ARRAY_TASK_COUNT'), 'SLURM_ARRAY_TASK_ID');
  }
  for (const name of ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const count = env.FUNES_SHARD_COUNT;
    if (count === undefined || count === '') {
      throw new InvalidUsageError(
        `${name} is set but the number of machines is not known: set FUNES_SHARD_COUNT ` +
            `to the job's completions or array size`,
      );
    }
    return checked(integer(value, name), integer(count, 'FUNES_SHARD_COUNT'), name);
  }
  return undefined;
}

function integer(text: string, name: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new InvalidUsageError(`${name} is '${text}': it must be a whole number`);
  return Number(text);
}

function checked(index: number, count: number, source: string): ShardPosition {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidUsageError(`shard count from ${source} is ${count}: it must be a whole number of at least 1`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new InvalidUsageError(
      `shard index from ${source} is ${index}, outside 0…${count - 1}: indices count from 0 and stay below the count`,
    );
  }
  return { index, count, source };
}

/** A permutation of `0…length-1` that depends only on `length` (Fisher–Yates with a fixed seed). */
function shuffledIndices(length: number): number[] {
  const random = seedrandom(`${SHUFFLE_SEED}:${length}`);
  const order = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
