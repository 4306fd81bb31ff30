// A hyperparameter search that can be stopped, resumed and extended without redoing
// finished work: every grid point is a call to the memorious `crossValidate`, so a
// point computed once — in this run or an earlier one — comes back from the cache.
//
//   node search.mjs                  the full grid
//   node search.mjs --quick          a small grid (a subset of the full one)
//   node search.mjs --trees 25,400   choose an axis; points already computed are reused
//
// Press Ctrl-C half-way and run the same command again: it carries on where it stopped.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadCachedResults } from '@funes/core';
import { crossValidate } from './experiment.mjs';

const GRIDS = {
  full: { trees: [25, 50, 100, 200], depth: [2, 4, 8], seeds: [0, 1, 2] },
  quick: { trees: [25, 50], depth: [2, 4], seeds: [0, 1] },
};

const USAGE = `Usage: search.mjs [--quick] [--trees 25,50] [--depth 2,4] [--seeds 0,1,2]

Random forests on the iris flowers, scored by repeated 5-fold cross-validation,
over a grid of trees × max depth × seed. Finished points are read from the
cache ($FUNES_CACHE_DIR, else ./cache); Ctrl-C stops after the current point.`;

function parseGrid(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        trees: { type: 'string' },
        depth: { type: 'string' },
        seeds: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    usageError(error.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const base = values.quick ? GRIDS.quick : GRIDS.full;
  return {
    trees: values.trees ? integers('--trees', values.trees, 1) : base.trees,
    depth: values.depth ? integers('--depth', values.depth, 1) : base.depth,
    seeds: values.seeds ? integers('--seeds', values.seeds, 0) : base.seeds,
  };
}

/** "25,50" → [25, 50], each a whole number no less than `least`. */
function integers(flag, list, least) {
  const numbers = list.split(',').map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < least)) {
    usageError(
      `${flag} takes a comma-separated list of whole numbers from ${least} up, like ${flag} 2,4,8; got "${list}"`,
    );
  }
  return numbers;
}

function usageError(message) {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** A grid point as text: `trees=50 depth=4 seed=1`. */
function pointId({ trees, maxDepth, seed }) {
  return `trees=${trees} depth=${maxDepth} seed=${seed}`;
}

/** The grid point a stored record holds the result of: withSeed's seed is stored as `global_seed`. */
function pointOf(input) {
  return { trees: input.trees, maxDepth: input.maxDepth, seed: input.global_seed };
}

const grid = parseGrid(process.argv.slice(2));
const points = grid.trees.flatMap((trees) =>
  grid.depth.flatMap((maxDepth) => grid.seeds.map((seed) => ({ trees, maxDepth, seed }))),
);

// Only to tell computed points from cached ones in the output: the sweep below calls
// crossValidate for every point either way, and Funes decides what really runs.
const storedBefore = new Set(Array.from(loadCachedResults(crossValidate), ({ input }) => pointId(pointOf(input))));
const toCompute = points.filter((point) => !storedBefore.has(pointId(point))).length;
console.log(`${points.length} points: trees ${grid.trees} × depth ${grid.depth} × seeds ${grid.seeds}`);
console.log(`${points.length - toCompute} already in the cache, ${toCompute} to compute`);

// Ctrl-C asks the sweep to stop between points: the point in progress finishes and is
// stored, so no work is lost, and the next run starts with the next point.
let stopRequested = false;
process.on('SIGINT', () => {
  stopRequested = true;
});

let done = 0;
let computed = 0;
for (const point of points) {
  // crossValidate runs synchronously: yield to the event loop so a pending Ctrl-C is seen.
  await nextTurn();
  if (stopRequested) break;
  const started = performance.now();
  const { accuracy, std } = crossValidate.withSeed(point.seed)(point.trees, point.maxDepth);
  done++;
  if (!storedBefore.has(pointId(point))) {
    computed++;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(
      `computed ${pointId(point).padEnd(28)} accuracy ${percent(accuracy)} ± ` +
          `${percent(std)}  ${seconds} s  [${computed}/${toCompute}]`,
    );
  }
}

if (done < points.length) {
  console.log(
    [
      ``,
      `Stopped: ${done} of ${points.length} points done, ${computed} computed in this run. ` +
          `Run the same command again to resume.`,
    ].join('\n'),
  );
  process.exit(130);
}

printTable(points);
console.log(
  [
    ``,
    `${points.length === 1 ? 'The only point is' : `All ${points.length} points are`} done, ` +
        `${computed} computed in this run.`,
  ].join('\n'),
);
console.log('Export every stored result as a table: npx funes export crossValidate --format csv -o results.csv');

/** One row per (trees, depth), best first: accuracy averaged over the seeds, and the compute time stored. */
function printTable(points) {
  const wanted = new Set(points.map(pointId));
  const rows = new Map();
  for (const { input, output, time } of loadCachedResults(crossValidate)) {
    if (!wanted.has(pointId(pointOf(input)))) continue;
    const config = `${input.trees}/${input.maxDepth}`;
    const row = rows.get(config) ?? { trees: input.trees, maxDepth: input.maxDepth, accuracies: [], time: 0 };
    row.accuracies.push(output.accuracy);
    row.time += time;
    rows.set(config, row);
  }
  const ranked = [...rows.values()]
    .map((row) => ({ ...row, accuracy: row.accuracies.reduce((a, b) => a + b, 0) / row.accuracies.length }))
    .sort((a, b) => b.accuracy - a.accuracy || a.trees - b.trees || a.maxDepth - b.maxDepth);
  const columns = [
    ['trees', (row) => row.trees],
    ['max depth', (row) => row.maxDepth],
    ['seeds', (row) => row.accuracies.length],
    ['accuracy', (row) => percent(row.accuracy)],
    ['worst seed', (row) => percent(Math.min(...row.accuracies))],
    ['compute time', (row) => `${row.time.toFixed(2)} s`],
  ];
  const line = (cells) => cells.map((cell, i) => String(cell).padStart(columns[i][0].length + 2)).join('');
  console.log(`\n${line(columns.map(([title]) => title))}`);
  for (const row of ranked) console.log(line(columns.map(([, cell]) => cell(row))));
  const best = ranked[0];
  console.log(
    [
      ``,
      `Best: ${best.trees} trees, max depth ${best.maxDepth} — ${percent(best.accuracy)} mean ` +
          `accuracy over ${best.accuracies.length} seeds`,
    ].join('\n'),
  );
}

function percent(fraction) {
  return `${(fraction * 100).toFixed(1)}%`;
}
