/**
 * `funes why` end to end: a real project whose function is stored, then changed one way
 * at a time — its body, a helper, a constant, a package's version, an environment
 * variable, a data file, a new argument — and each time `funes why` (running the module
 * as its own process would) names the cause, in text and in JSON.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { joinedPattern } from './helpers/patterns.js';
import { REPO_ROOT, tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-why-');
after(() => project.remove());
const FUNES = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');

const EXPERIMENT = `import { readFileSync } from 'node:fs';
import { memorious } from '@funes/core';
import { scale } from 'mylib';
import { helper } from './lib.mjs';

const FACTOR = 2;

export const train = memorious(function train(lr, epochs = 3) {
  const points = readFileSync('data/points.txt', 'utf8').length;
  return helper(scale(lr * FACTOR * epochs)) + points + Number(process.env.NOISE ?? 0);
});

if (process.argv[2] === 'run') for (const lr of process.argv.slice(3)) train(Number(lr));
`;
const LIB = 'const OFFSET = 1;\nexport function helper(x) {\n  return x + OFFSET;\n}\n';

function funes(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.FUNES_CACHE_DIR;
  delete base.NODE_OPTIONS;
  delete base.NOISE;
  const run = spawnSync(process.execPath, [FUNES, ...args], {
    cwd: project.dir,
    env: { ...base, ...env },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
  return run.stdout;
}
const why = (args: string[], env?: NodeJS.ProcessEnv) =>
  JSON.parse(funes(['why', 'src/experiment.mjs:train', ...args, '--json'], env));
const whyText = (args: string[], env?: NodeJS.ProcessEnv) => funes(['why', 'src/experiment.mjs:train', ...args], env);

/** Edits a file for the length of `check`, then restores it. */
function edited(path: string, from: string, to: string, check: () => void): void {
  const file = join(project.dir, path);
  const original = readFileSync(file, 'utf8');
  assert.ok(original.includes(from), `${path} has ${from}`);
  writeFileSync(file, original.replace(from, to));
  try {
    check();
  } finally {
    writeFileSync(file, original);
  }
}

before(() => {
  project.write(
    'node_modules/mylib/package.json',
    JSON.stringify({ name: 'mylib', version: '1.0.0', type: 'module', exports: './index.js' }),
  );
  project.write('node_modules/mylib/index.js', 'export function scale(x) { return x * 10; }\n');
  project.write('src/lib.mjs', LIB);
  project.write('src/experiment.mjs', EXPERIMENT);
  project.write('data/points.txt', 'a,b,c\n');
  const run = project.node(['src/experiment.mjs', 'run', '0.1', '0.2']);
  assert.equal(run.status, 0, run.stderr);
});

test('a stored call, and the nearest stored inputs for a new point of the sweep', () => {
  assert.equal(why(['--args', '[0.1]']).cause, 'stored');
  assert.match(
    whyText(['--args', '[0.1]']),
    joinedPattern(
      /^train\(lr=0\.1, epochs=3\) is stored in train@[0-9a-f]{12} \([0-9a-f]{12}\): a call returns it without/,
      / computing\.\n$/,
    ),
  );
  const fresh = why(['--args', '[0.15]']);
  assert.equal(fresh.cause, 'arguments');
  assert.equal(fresh.entries, 2);
  assert.deepEqual(
    fresh.nearest.map((n: { differences: unknown[] }) => n.differences),
    [[{ name: 'lr', stored: 0.1, now: 0.15 }], [{ name: 'lr', stored: 0.2, now: 0.15 }]],
  );
  const text = whyText(['--args', '[0.15]']);
  assert.match(
    text,
    joinedPattern(
      /^train\(lr=0\.15, epochs=3\) has no entry in train@[0-9a-f]{12} \(2 stored; its argument hash is/,
      / [0-9a-f]{12}\)\. The definition is unchanged\.\nNearest stored inputs \(what differs\):\n/,
      /  [0-9a-f]{12}  lr=0\.1 \(now 0\.15\)\n  [0-9a-f]{12}  lr=0\.2 \(now 0\.15\)\n$/,
    ),
  );
  assert.equal(why([]).cause, 'version-stored', 'without arguments: the definition alone');
});

test('an edit of the function body is named first, with its unified diff', () => {
  edited('src/experiment.mjs', 'lr * FACTOR * epochs', 'lr * epochs * FACTOR', () => {
    const result = why(['--args', '[0.1]']);
    assert.equal(result.cause, 'definition');
    assert.deepEqual(
      result.changes.map((c: { change: string; kind: string; name: string }) => `${c.change} ${c.kind} ${c.name}`),
      ['changed function train'],
    );
    assert.match(result.changes[0].diff, /^-  return helper\(scale\(lr \* FACTOR \* epochs\)\)/m);
    assert.match(result.changes[0].diff, /^\+  return helper\(scale\(lr \* epochs \* FACTOR\)\)/m);
    const text = whyText(['--args', '[0.1]']);
    assert.match(
      text,
      /^train@[0-9a-f]{12} is a new version of train: its definition differs from train@[0-9a-f]{12} \(stored /,
    );
    assert.match(text, /^  changed +function +train/m);
  });
});

test('a helper in another file and a constant are named with where they are', () => {
  edited('src/lib.mjs', 'x + OFFSET', 'OFFSET + x', () => {
    const [change] = why(['--args', '[0.1]']).changes;
    assert.deepEqual(
      { change: change.change, kind: change.kind, name: change.name, file: change.file },
      { change: 'changed', kind: 'local', name: 'helper', file: 'src/lib.mjs' },
    );
    assert.match(change.diff, /^-  return x \+ OFFSET;$/m);
  });
  edited('src/experiment.mjs', 'const FACTOR = 2;', 'const FACTOR = 3;', () => {
    const result = why(['--args', '[0.1]']);
    assert.deepEqual(
      result.changes.map((c: { kind: string; name: string }) => `${c.kind} ${c.name}`),
      ['local FACTOR'],
    );
    assert.match(whyText(['--args', '[0.1]']), /^-const FACTOR = 2$\n^\+const FACTOR = 3$/m);
  });
});

test('a package version bump is named with both versions', () => {
  edited('node_modules/mylib/package.json', '"version":"1.0.0"', '"version":"1.1.0"', () => {
    const result = why(['--args', '[0.1]']);
    assert.equal(result.cause, 'definition');
    assert.deepEqual(
      result.changes.map(
        (c: { kind: string; name: string; before?: string; after?: string }) =>
          `${c.kind} ${c.name} ${c.before} → ${c.after}`,
      ),
      ['package mylib 1.0.0 → 1.1.0'],
    );
    assert.match(whyText(['--args', '[0.1]']), /^  changed +package +mylib +1\.0\.0 → 1\.1\.0/m);
  });
});

test('an environment variable or a data file the code reads: same arguments, another configuration', () => {
  const env = why(['--args', '[0.1]'], { NOISE: '1' });
  assert.equal(env.cause, 'configuration');
  assert.deepEqual(
    env.changed.map((r: { kind: string; name: string }) => `${r.kind} ${r.name}`),
    ['environment NOISE'],
  );
  assert.match(
    whyText(['--args', '[0.1]'], { NOISE: '1' }),
    /\nChanged since it was stored: environment variable NOISE\.\n$/,
  );
  edited('data/points.txt', 'a,b,c', 'a,b,c,d', () => {
    const file = why(['--args', '[0.1]']);
    assert.equal(file.cause, 'configuration');
    assert.deepEqual(
      file.changed.map((r: { kind: string; name: string }) => `${r.kind} ${r.name}`),
      ['file data/points.txt'],
    );
  });
});

test('from the cache alone: the newest version against the one before', () => {
  edited('src/experiment.mjs', 'const FACTOR = 2;', 'const FACTOR = 4;', () => {
    assert.equal(project.node(['src/experiment.mjs', 'run', '0.1']).status, 0);
    const result = JSON.parse(funes(['why', 'train', '--json']));
    assert.equal(result.from, 'cache');
    assert.equal(result.cause, 'definition');
    assert.deepEqual(
      result.changes.map((c: { kind: string; name: string }) => `${c.kind} ${c.name}`),
      ['local FACTOR'],
    );
    const named = JSON.parse(funes(['why', 'train', '--args', '{"lr": 0.1}', '--json']));
    assert.equal(named.cause, 'stored');
  });
});

test('malformed --args is a usage error (exit 2), like any other malformed option', () => {
  for (const args of [
    ['why', 'src/experiment.mjs:train', '--args', '[0.1'],
    ['why', 'src/experiment.mjs:train', '--args', '{"lr": 0.1}'],
    ['why', 'train', '--args', '[0.1]'],
    ['why', 'src/experiment.mjs:'],
  ]) {
    const run = spawnSync(process.execPath, [FUNES, ...args, '--json'], { cwd: project.dir, encoding: 'utf8' });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(JSON.parse(run.stderr).error.code, 'EUSAGE');
  }
});

test('a module given without a function is a usage error whose hint names the functions it holds', () => {
  for (const [module, hint] of [
    ['src/experiment.mjs', 'funes why src/experiment.mjs:train'],
    ['./src/experiment.mjs', 'funes why ./src/experiment.mjs:train'],
    ['src/lib.mjs', 'funes why src/lib.mjs:<function>'],
  ]) {
    const run = spawnSync(process.execPath, [FUNES, 'why', module, '--json'], { cwd: project.dir, encoding: 'utf8' });
    assert.equal(run.status, 2, `${module}: ${run.stderr}`);
    const { error } = JSON.parse(run.stderr);
    assert.equal(error.code, 'EUSAGE');
    assert.equal(
      error.message,
      `'${module}' is a module: funes why takes a function, or a module and one of its functions`,
    );
    assert.equal(error.hint, `name the function after a colon: ${hint}`);
  }
});

test('a module that is no file is named as such, before anything runs: a directory, a FIFO, a missing path', () => {
  mkdirSync(join(project.dir, 'src/models.mjs'), { recursive: true });
  spawnSync('mkfifo', [join(project.dir, 'src/pipe.mjs')]);
  try {
    for (const [module, message] of [
      ['src/models.mjs', /models\.mjs is a directory, not a module$/],
      ['src/pipe.mjs', /pipe\.mjs is not a regular file \(a FIFO, a device or a socket\)$/],
      ['src/absent.mjs', /^no module .*absent\.mjs$/],
    ] as const) {
      // The timeout only ends a run that would wait on the FIFO forever.
      const run = spawnSync(process.execPath, [FUNES, 'why', `${module}:train`, '--json'], {
        cwd: project.dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(run.status, 1, `${module}: ${run.stderr}`);
      const { error } = JSON.parse(run.stderr);
      assert.equal(error.code, 'ENOMODULE');
      assert.match(error.message, message);
      assert.match(error.hint, /^name the file that defines or calls the function/);
    }
  } finally {
    rmSync(join(project.dir, 'src/models.mjs'), { recursive: true });
    rmSync(join(project.dir, 'src/pipe.mjs'));
  }
});

test('a function the module neither calls nor exports: an error with a hint, in text and in --json', () => {
  const run = spawnSync(process.execPath, [FUNES, 'why', 'src/experiment.mjs:trian'], {
    cwd: project.dir,
    encoding: 'utf8',
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /^error: .*experiment\.mjs neither called trian while it loaded nor exports it\nhint: /m);
  const json = spawnSync(process.execPath, [FUNES, 'why', 'src/experiment.mjs:trian', '--json'], {
    cwd: project.dir,
    encoding: 'utf8',
  });
  const { error } = JSON.parse(json.stderr.trim().split('\n').pop()!);
  assert.equal(error.code, 'ENOFUNCTION');
  assert.match(error.hint, /funes why .*experiment\.mjs:<function>/);
});

test('a script that calls the function as it loads: its first call is explained, not computed', () => {
  project.write(
    'src/sweep.mjs',
    [
      `import { train } from './experiment.mjs';`,
      `import { writeFileSync } from 'node:fs';`,
      `console.log('sweeping');`,
      `for (const lr of [0.7, 0.1]) { train(lr); writeFileSync('after-first-call', ''); }`,
      ``,
    ].join('\n'),
  );
  const result = JSON.parse(funes(['why', 'src/sweep.mjs:train', '--json']));
  assert.equal(result.from, 'module');
  assert.equal(result.cause, 'arguments');
  assert.deepEqual(result.input, { lr: 0.7, epochs: 3 });
  assert.equal(existsSync(join(project.dir, 'after-first-call')), false, 'the process ended at the call');
  assert.equal(why(['--args', '[0.7]']).cause, 'arguments', 'nothing was computed nor stored');
});

test('a script that configures the module it imports before calling its function: its stored call is found', () => {
  project.write('src/settings.mjs', 'export const settings = { scale: 1 };\n');
  project.write(
    'src/scaled.mjs',
    [
      `import { memorious } from '@funes/core';`,
      `import { settings } from './settings.mjs';`,
      `export const scaled = memorious(function scaled(x) {`,
      `  return x * settings.scale;`,
      `});`,
      ``,
    ].join('\n'),
  );
  project.write(
    'src/configured.mjs',
    [
      `import { scaled } from './scaled.mjs';`,
      `import { settings } from './settings.mjs';`,
      `settings.scale = 3;`,
      `console.log(scaled(2));`,
      ``,
    ].join('\n'),
  );
  const run = project.node(['src/configured.mjs']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '6\n');
  const result = JSON.parse(funes(['why', 'src/configured.mjs:scaled', '--args', '[2]', '--json']));
  assert.equal(result.cause, 'stored', 'the script run by why configures the module as its own run did');
});

test('the calls a module makes before the one explained are neither stored nor marked used: gc keeps what the ' +
    'code uses once an edit tried with why is undone', () => {
  const pipeline = (step: string) =>
    [
      `import { memorious } from '@funes/core';`,
      `const prep = memorious(function prep(x) { return x + ${step}; });`,
      `export const fit = memorious(function fit(x) { return x * 2; });`,
      `console.log(fit(prep(3)));`,
      ``,
    ].join('\n');
  // An older prep is stored, then the code moves on to the one it uses.
  for (const step of ['2', '1']) {
    project.write('src/pipeline.mjs', pipeline(step));
    const run = project.node(['src/pipeline.mjs']);
    assert.equal(run.status, 0, run.stderr);
  }
  const prepVersions = () => readdirSync(join(project.dir, 'cache', 'prep')).sort();
  const stored = prepVersions();
  assert.equal(stored.length, 2);
  const currentPrep = () =>
    JSON.parse(funes(['log', 'prep', '--json'])).versions.find((v: { current: boolean }) => v.current).hash;
  const used = currentPrep();
  // Tried with why: back to the older prep (a hit), and a new one (computed), each then undone.
  for (const [step, cause] of [['2', 'stored'], ['3', 'arguments']]) {
    edited('src/pipeline.mjs', 'x + 1', `x + ${step}`, () => {
      assert.equal(JSON.parse(funes(['why', 'src/pipeline.mjs:fit', '--json'])).cause, cause, `prep: x + ${step}`);
    });
  }
  assert.deepEqual(prepVersions(), stored, "the new prep's result is not stored");
  const plan = JSON.parse(funes(['gc', '--now', '--dry-run', '--json']));
  const removed = plan.removedVersions.filter((v: { function: string }) => v.function === 'prep');
  assert.equal(removed.length, 1, JSON.stringify(removed));
  assert.equal(currentPrep(), used, 'the version the code uses stays current');
  assert.notEqual(removed[0].hash, used);
  assert.equal(JSON.parse(funes(['why', 'src/pipeline.mjs:fit', '--json'])).cause, 'stored');
});

test('a seeded call is explained under its seed: stored, and the nearest stored seed for another', () => {
  project.write(
    'src/seeded.mjs',
    [
      `import { memorious } from '@funes/core';`,
      `export const noisy = memorious(function noisy(x) { return x + Math.random(); });`,
      `console.log(noisy.withSeed(Number(process.env.SEED))(2));`,
      ``,
    ].join('\n'),
  );
  const run = project.node(['src/seeded.mjs'], { SEED: '3' });
  assert.equal(run.status, 0, run.stderr);
  const stored = JSON.parse(funes(['why', 'src/seeded.mjs:noisy', '--json'], { SEED: '3' }));
  assert.equal(stored.cause, 'stored');
  assert.deepEqual(stored.input, { x: 2, global_seed: 3 });
  const asked = funes(['why', 'src/seeded.mjs:noisy', '--args', '[2]', '--json'], { SEED: '3' });
  assert.equal(JSON.parse(asked).cause, 'stored');
  const other = JSON.parse(funes(['why', 'src/seeded.mjs:noisy', '--json'], { SEED: '4' }));
  assert.equal(other.cause, 'arguments');
  assert.deepEqual(other.nearest[0].differences, [{ name: 'global_seed', stored: 3, now: 4 }]);
});
