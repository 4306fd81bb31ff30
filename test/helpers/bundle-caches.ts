/**
 * Real caches for the bundle tests: a small script calls `memorious` functions in a
 * child process (so objects, definition.json files and hashes are exactly what users
 * get), and the same script reads a cache back with `loadCachedResults`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempProject } from './temp-project.js';

// `square` is sync with a small (stored raw) result; `train` is async with a 16 KB
// result that the store deflates. FUNES_TEST_VERSION pins another version of square.
const SCRIPT = `
import { memorious, loadCachedResults } from '@funes/core';
const [mode, cacheDir, ...xs] = process.argv.slice(2);
const version = process.env.FUNES_TEST_VERSION;
const square = memorious(function square(x) {
  return { x, sq: x * x, list: Array(10).fill(x) };
}, { cacheDir, ...(version ? { version } : {}) });
const train = memorious(async function train(lr, epochs) {
  return { loss: lr / epochs, weights: new Float64Array(2000).fill(lr) };
}, { cacheDir });
if (mode === 'compute') {
  for (const x of xs) {
    square(Number(x));
    await train(Number(x) / 10, 3);
  }
} else {
  const rows = (fn) => [...loadCachedResults(fn)]
    .map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), output: { ...r.output, ` +
        `weights: r.output.weights ? [...r.output.weights.subarray(0, 3)] : undefined } }))
    .sort((a, b) => (a.argumentHash < b.argumentHash ? -1 : 1));
  process.stdout.write(JSON.stringify({ square: rows(square), train: rows(train) }));
}
`;

/** A scratch directory with the script and `@funes/core` resolvable from it. */
export interface Workspace {
  readonly root: string;
  /** A fresh cache directory path inside the workspace (not created). */
  cacheDir(name: string): string;
  /** Calls square(x) and train(x / 10, 3) for each x, in a child process. */
  compute(cacheDir: string, xs: readonly number[], options?: { version?: string }): void;
  /** What `loadCachedResults` returns for both functions, as JSON-ready rows sorted by argument hash. */
  load(cacheDir: string, options?: { version?: string }): unknown;
  remove(): void;
}

export function makeWorkspace(): Workspace {
  const project = tempProject('funes-bundle-');
  const root = project.dir;
  const script = project.write('functions.mjs', SCRIPT);
  const run = (args: string[], version: string | undefined) =>
    execFileSync(process.execPath, [script, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FUNES_TEST_VERSION: version ?? '' },
    });
  return {
    root,
    cacheDir: (name) => join(root, name),
    compute(cacheDir, xs, options = {}) {
      run(['compute', cacheDir, ...xs.map(String)], options.version);
    },
    load(cacheDir, options = {}) {
      return JSON.parse(run(['load', cacheDir], options.version));
    },
    remove: project.remove,
  };
}

/** Every file and directory below `dir` (links not followed), as sorted relative paths; [] when `dir` is missing. */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
