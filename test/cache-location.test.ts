/**
 * One cache per project, wherever a script is run from: the default cache directory is
 * `cache` in the project root of the module that wraps the function. A cache directory
 * Funes makes is ignored by git; misspelt options are refused; wrapping an imported
 * function warns nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startNode } from './helpers/processes.js';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-location-');
after(() => project.remove());

project.write('src/lib.mjs', 'const SCALE = 3;\nexport function compute(x) { return x * SCALE; }\n');
project.write(
  'src/experiment.mjs',
  `
import { memorious } from '@funes/core';
import * as lib from './lib.mjs';
let computed = 0;
const compute = memorious(lib.compute, { onEvent: (e) => e.type === 'miss' && computed++ });
compute(Number(process.argv[2]));
console.log(JSON.stringify({ computed }));
`,
);

async function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { finished } = startNode(join(project.dir, cwd), args, env);
  const done = await finished;
  assert.equal(done.code, 0, done.stderr);
  return { ...JSON.parse(done.stdout), stderr: done.stderr };
}

test('a script run from a subdirectory uses the project root’s cache, made with a .gitignore', async () => {
  const fromRoot = await run('.', ['src/experiment.mjs', '1']);
  assert.equal(fromRoot.computed, 1);
  assert.equal(fromRoot.stderr, '', 'memorious(lib.compute) finds the code of compute: no EDEFINITION warning');
  const fromSrc = await run('src', ['experiment.mjs', '1']);
  assert.equal(fromSrc.computed, 0, 'the same cache: a hit');
  assert.equal(existsSync(join(project.dir, 'src', 'cache')), false, 'no second cache in src');
  assert.deepEqual(readdirSync(join(project.dir, 'cache')).sort(), ['.gitignore', 'compute']);
  assert.match(readFileSync(join(project.dir, 'cache', '.gitignore'), 'utf8'), /^\*$/m);

  const git = (...args: string[]) => spawnSync('git', args, { cwd: project.dir, encoding: 'utf8' });
  if (git('--version').status === 0) {
    git('init', '-q');
    git('add', '.');
    const staged = git('ls-files').stdout.split('\n');
    assert.ok(staged.includes('src/experiment.mjs'));
    assert.deepEqual(
      staged.filter((file) => file.startsWith('cache/')),
      [],
      '`git add .` leaves the results out',
    );
  }
});

test('FUNES_CACHE_DIR and cacheDir win; a cache directory that exists is never given a .gitignore', async () => {
  mkdirSync(join(project.dir, 'mine'));
  const env = await run('src', ['experiment.mjs', '2'], { FUNES_CACHE_DIR: '../mine' });
  assert.equal(env.computed, 1);
  assert.deepEqual(
    readdirSync(join(project.dir, 'mine')),
    ['compute'],
    'relative to the working directory, as given; nothing added',
  );
  project.write(
    'src/option.mjs',
    [
      `import { memorious } from '@funes/core';`,
      `memorious(function f(x) { return x; }, { cacheDir: 'here' })(1);`,
      `console.log('{}');`,
      ``,
    ].join('\n'),
  );
  await run('src', ['option.mjs'], { FUNES_CACHE_DIR: '../mine' });
  assert.ok(existsSync(join(project.dir, 'src', 'here', 'f')), 'the option wins over the environment');
  assert.ok(existsSync(join(project.dir, 'src', 'here', '.gitignore')));
});

test('a misspelt option is refused, naming the option it resembles', () => {
  project.write(
    'typo.mjs',
    `import { memorious } from '@funes/core';\nmemorious(function f(x) { return x; }, { cacheDirr: 'c' });\n`,
  );
  const typo = project.node(['typo.mjs']);
  assert.notEqual(typo.status, 0);
  assert.match(
    typo.stderr,
    /InvalidUsageError: memorious has no option 'cacheDirr'; did you mean 'cacheDir'\? Options: cacheDir, name,/,
  );
  project.write('unknown.mjs', `import { memorious } from '@funes/core';\nmemorious({ colour: 'red' });\n`);
  assert.match(project.node(['unknown.mjs']).stderr, /memorious has no option 'colour'\. Options:/);
});

test('the funes command finds the project’s cache from a subdirectory', async () => {
  const funes = join(project.dir, 'node_modules', '@funes', 'cli', 'dist', 'bin.js');
  const { finished } = startNode(join(project.dir, 'src'), [funes, 'log', '--json']);
  const done = await finished;
  assert.equal(done.code, 0, done.stderr);
  const log = JSON.parse(done.stdout);
  assert.equal(log.cache, join(project.dir, 'cache'));
  assert.deepEqual(
    log.versions.map((v: { function: string }) => v.function),
    ['compute'],
  );
});
