/**
 * The hyperparameter-search example end to end: a sweep interrupted by a real
 * SIGINT, resumed, then extended — counting what each run really computed — and
 * its results exported as CSV with the command it prints.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, tempProject } from './helpers/temp-project.js';

const SEARCH = join(REPO_ROOT, 'examples', 'hyperparameter-search', 'search.mjs');
const FUNES = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
// Six points of a third of a second or more each: the example stops between points,
// so a SIGINT sent after the second leaves at least the last three undone.
const GRID = ['--trees', '25', '--depth', '2,4,8', '--seeds', '0,1'];
const EXTENDED = ['--trees', '25,50', '--depth', '2,4,8', '--seeds', '0,1'];

const project = tempProject('funes-search-');
after(() => project.remove());
const cacheDir = join(project.dir, 'cache');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The points this run computed, as the example prints them (`trees=50 depth=2 seed=0`). */
  readonly computed: readonly string[];
}

/** Runs the example; with `interruptAfter`, sends SIGINT once that many points are computed. */
function search(args: readonly string[], interruptAfter?: number): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, FUNES_CACHE_DIR: cacheDir };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [SEARCH, ...args], { cwd: project.dir, env });
  let stdout = '';
  let stderr = '';
  const computedSoFar = () =>
    [...stdout.matchAll(/^computed (trees=\d+ depth=\d+ seed=\d+)/gm)].map((match) => match[1]);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (
      interruptAfter !== undefined &&
      computedSoFar().length >= interruptAfter &&
      child.signalCode === null &&
      !child.killed
    ) {
      child.kill('SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timeout);
      resolve({ code, stdout, stderr, computed: computedSoFar() });
    });
  });
}

/** Each stored object's identity and modification time: rewriting one would change them. */
function storedObjects(): Map<string, string> {
  const functionDir = join(cacheDir, 'crossValidate');
  const versions = readdirSync(functionDir);
  assert.equal(versions.length, 1, 'one definition of crossValidate');
  const versionDir = join(functionDir, versions[0]);
  const objects = new Map<string, string>();
  for (const name of readdirSync(versionDir).filter((file) => /^[0-9a-f]{64}$/.test(file))) {
    const stat = statSync(join(versionDir, name));
    objects.set(name, `${stat.ino}:${stat.mtimeMs}`);
  }
  return objects;
}

test('an interrupted sweep resumes, and an extended one computes only the new points', async () => {
  const interrupted = await search(GRID, 2);
  assert.equal(interrupted.code, 130, interrupted.stderr);
  const done = interrupted.computed.length;
  assert.ok(done >= 2 && done < 6, `stopped part-way, after the point in progress (${done} of 6 computed)`);
  assert.match(interrupted.stdout, new RegExp(`Stopped: ${done} of 6 points done, ${done} computed in this run`));
  const afterInterrupt = storedObjects();
  assert.equal(afterInterrupt.size, done, 'every point reported as computed was stored');

  const resumed = await search(GRID);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`${done} already in the cache, ${6 - done} to compute`));
  assert.equal(resumed.computed.length, 6 - done, 'only the unfinished points computed');
  assert.deepEqual(new Set([...interrupted.computed, ...resumed.computed]).size, 6, 'no point computed twice');
  const afterResume = storedObjects();
  assert.equal(afterResume.size, 6);
  for (const [name, identity] of afterInterrupt) {
    assert.equal(afterResume.get(name), identity, `finished point ${name} left untouched`);
  }
  assert.match(resumed.stdout, /All 6 points are done/);
  assert.match(resumed.stdout, /Best: 25 trees, max depth \d —/);

  const extended = await search(EXTENDED);
  assert.equal(extended.code, 0, extended.stderr);
  assert.match(extended.stdout, /6 already in the cache, 6 to compute/);
  assert.equal(extended.computed.length, 6);
  assert.ok(
    extended.computed.every((point) => point.startsWith('trees=50 ')),
    `only the new trees computed: ${extended.computed}`,
  );
  assert.equal(storedObjects().size, 12);

  const again = await search(EXTENDED);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(again.computed, []);
  assert.match(again.stdout, /All 12 points are done, 0 computed in this run/);
  assert.match(again.stdout, /Best: (25|50) trees, max depth \d —/);
  assert.equal(again.stderr, '', 'no warnings');

  // The command the example prints, run against this cache.
  assert.match(again.stdout, /npx funes export crossValidate --format csv/);
  const csv = spawnSync(process.execPath, [FUNES, 'export', 'crossValidate', '--format', 'csv', '--cache', cacheDir], {
    encoding: 'utf8',
  });
  assert.equal(csv.status, 0, csv.stderr);
  const [header, ...rows] = csv.stdout.trim().split('\n');
  assert.match(header, /^trees,maxDepth,folds,repeats,global_seed,accuracy,std,time,/);
  assert.equal(rows.length, 12);
});
