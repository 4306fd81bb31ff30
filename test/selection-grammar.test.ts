/**
 * One selection grammar: every `funes` command and `pack` give the same answer for the
 * same spec — the same versions, or the same error code and exit status. Table-driven
 * over the grammar (docs/cli.md#naming-functions-and-versions), on a cache written by
 * real memorious runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pack } from '@funes/sync';
import { cliProject, type CliProject, type FunesRun } from './helpers/cli-cache.js';

let project: CliProject;
/**
 * Hashes of the versions: train v1 then v2 (train.mjs), train in lab/, `user@host`, and `a/b` and
 * `a%2Fb` (the first one's directory is named as the second function).
 */
let v1: string;
let v2: string;
let lab: string;
let mail: string;
let slash: string;
let escaped: string;

function ok(run: FunesRun): any {
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

before(() => {
  project = cliProject();
  project.compute('train.mjs', 'function train(x) { return x + 1; }', [[1]]);
  project.compute('train.mjs', 'function train(x) { return x + 2; }', [[1], [2]]);
  project.compute('lab/train.mjs', 'function train(x) { return x + 3; }', [[1]]);
  project.write(
    'mail.mjs',
    "import { memorious } from '@funes/core';\nconst send = memorious(function send(x) { return x; " +
        "}, { name: 'user@host' });\nsend(1);\n",
  );
  assert.equal(project.node(['mail.mjs'], { FUNES_CACHE_DIR: `${project.dir}/cache` }).status, 0);
  project.write(
    'paths.mjs',
    "import { memorious } from '@funes/core';\n" +
      "memorious(function (x) { return x * 2; }, { name: 'a/b' })(1);\n" +
      "memorious(function (x) { return x * 3; }, { name: 'a%2Fb' })(1);\n",
  );
  assert.equal(project.node(['paths.mjs'], { FUNES_CACHE_DIR: `${project.dir}/cache` }).status, 0);
  const versions = ok(project.funes(['log', '--json'])).versions as any[];
  const hashOf = (fn: string, module: string, entries: number) =>
    versions.find((v) => v.function === fn && v.module === module && v.entries === entries).hash;
  v1 = hashOf('train', 'train.mjs', 1);
  v2 = hashOf('train', 'train.mjs', 2);
  lab = hashOf('train', 'lab/train.mjs', 1);
  mail = hashOf('user@host', 'mail.mjs', 1);
  slash = hashOf('a/b', 'paths.mjs', 1);
  escaped = hashOf('a%2Fb', 'paths.mjs', 1);
});
after(() => project.remove());

/** What each operation answers for one spec: the set of versions it takes, or `error:<code>:<exit status>`. */
type Answer = readonly string[] | string;

function answer(run: FunesRun, versions: (result: any) => string[]): Answer {
  if (run.status !== 0) return `error:${JSON.parse(run.stderr).error.code}:${run.status}`;
  return versions(JSON.parse(run.stdout)).sort();
}

/** Operations that take every version a spec names. */
const everyVersion: Record<string, (spec: string) => Answer> = {
  log: (spec) => answer(project.funes(['log', spec, '--json']), (r) => r.versions.map((v: any) => v.hash)),
  du: (spec) =>
    answer(project.funes(['du', spec, '--json']), (r) =>
      r.functions.flatMap((f: any) => f.versions.map((v: any) => v.hash)),
    ),
  verify: (spec) =>
    answer(project.funes(['verify', spec, '--json']), (r) => (r.versions > 0 ? selectedBy('log', spec) : [])),
  rm: (spec) => answer(project.funes(['rm', spec, '--dry-run', '--json']), (r) => r.removed.map((v: any) => v.hash)),
  'pack --all-versions': (spec) => packed(spec, true),
};

/**
 * Operations that take one version: the one a hash names, else the
 * function's current one (the most recently used of the name's).
 */
const oneVersion: Record<string, (spec: string) => Answer> = {
  show: (spec) => answer(project.funes(['show', spec, '--json']), (r) => [r.hash]),
  // The rows of the version exported, told by exporting each candidate by its full hash.
  export: (spec) => {
    const exported = (what: string) => project.funes(['export', what, '-f', 'jsonl', '--json']);
    const run = exported(spec);
    const all = [v1, v2, lab, mail, slash, escaped];
    return answer(run, () => all.filter((hash) => exported(`@${hash}`).stdout === run.stdout));
  },
};

function selectedBy(operation: string, spec: string): string[] {
  return everyVersion[operation](spec) as string[];
}

function packed(spec: string, allVersions: boolean): Answer {
  try {
    const bundle = pack({ cacheDir: `${project.dir}/cache`, functions: [spec], allVersions });
    bundle.destroy();
    return bundle.manifest.versions.map((v) => v.definitionHash).sort();
  } catch (error) {
    const code = (error as { code: string }).code;
    return `error:${code}:${code === 'EBADSPEC' ? 2 : 1}`;
  }
}

describe('every command and pack read a spec alike', () => {
  // every: what log, du, verify, rm and pack --all-versions take; current: what pack takes (the
  // current version of each function named); one: what show and export take.
  const E = (code: string, status: number) => () => `error:${code}:${status}`;
  const table: [spec: () => string, every: () => Answer, current: () => Answer, one: () => Answer][] = [
    [() => 'train', () => [v1, v2, lab].sort(), () => [v2, lab].sort(), () => [lab]],
    [() => `train@${v1.slice(0, 6)}`, () => [v1], () => [v1], () => [v1]],
    [() => `train@${v1.slice(0, 6).toUpperCase()}`, () => [v1], () => [v1], () => [v1]],
    [() => v1.slice(0, 8), () => [v1], () => [v1], () => [v1]],
    [() => `@${lab.slice(0, 8)}`, () => [lab], () => [lab], () => [lab]],
    [() => 'user@host@', () => [mail], () => [mail], () => [mail]],
    [() => `user@host@${mail.slice(0, 5)}`, () => [mail], () => [mail], () => [mail]],
    [() => 'a/b', () => [slash], () => [slash], () => [slash]],
    // A function's name, not another's directory: `a/b` lives in the directory `a%2Fb`.
    [() => 'a%2Fb', () => [escaped], () => [escaped], () => [escaped]],
    [() => 'trian', E('ENOFUNCTION', 1), E('ENOFUNCTION', 1), E('ENOFUNCTION', 1)],
    [() => 'train@0000000', E('ENOVERSION', 1), E('ENOVERSION', 1), E('ENOVERSION', 1)],
    [() => 'train@zz', E('EBADSPEC', 2), E('EBADSPEC', 2), E('EBADSPEC', 2)],
    [() => `train@${v1.slice(0, 2)}`, E('EBADSPEC', 2), E('EBADSPEC', 2), E('EBADSPEC', 2)],
    [() => 'user@host', E('EBADSPEC', 2), E('EBADSPEC', 2), E('EBADSPEC', 2)],
    // A lone `-` names a function of that name, never every function (`funes rm - --force` emptied the cache).
    [() => '-', E('ENOFUNCTION', 1), E('ENOFUNCTION', 1), E('ENOFUNCTION', 1)],
  ];
  for (const [spec, every, current, one] of table) {
    it(`${spec()}`, () => {
      const text = spec();
      for (const [name, run] of Object.entries(everyVersion)) assert.deepEqual(run(text), every(), `${name} ${text}`);
      assert.deepEqual(packed(text, false), current(), `pack ${text}`);
      for (const [name, run] of Object.entries(oneVersion)) assert.deepEqual(run(text), one(), `${name} ${text}`);
    });
  }
});

describe('a name two modules define', () => {
  const short = (hash: string) => hash.slice(0, 12);

  it('takes the one used last for show, export, diff and why, and says so and how to name the other', () => {
    for (const command of ['show', 'export', 'diff', 'why']) {
      const run = project.funes([command, 'train']);
      assert.equal(run.status, 0, `${command}: ${run.stderr}`);
      assert.equal(
        run.stderr,
        `warning: 'train' names functions of 2 modules: this is train@${short(lab)} of lab/train.mjs, the one ` +
            `used last; name another by its hash: funes ${command} train@${short(v2)} (train.mjs)\n`,
        command,
      );
      // Named by its hash, a version leaves no doubt.
      assert.equal(project.funes([command, `train@${v2.slice(0, 8)}`]).stderr, '', `${command} by hash`);
    }
  });

  it('diffs a version named by its hash with the current version of its own module, never the other\'s', () => {
    for (const args of [['train', v1.slice(0, 8)], [`train@${v1.slice(0, 8)}`]]) {
      const diff = ok(project.funes(['diff', ...args, '--json']));
      assert.deepEqual([diff.from.hash, diff.to.hash], [v1, v2], args.join(' '));
    }
  });

  it('exports with --all-versions the versions of one of them, the one a hash names or the one used last', () => {
    const rows = (run: FunesRun) => (ok(run) as any[]).map((row) => row.version ?? 'one version');
    const named = project.funes(['export', 'train', '-a', '-f', 'json']);
    assert.deepEqual(rows(named), ['one version'], "lab's one version, never train.mjs's rows beside it");
    assert.equal(
      named.stderr,
      `warning: 'train' names functions of 2 modules: this is train@${short(lab)} of lab/train.mjs, the one ` +
          `used last; name another by its hash: funes export -a train@${short(v2)} (train.mjs)\n`,
    );
    const pinned = project.funes(['export', `train@${v1.slice(0, 8)}`, '--all-versions', '-f', 'json']);
    assert.deepEqual(new Set(rows(pinned)), new Set([v1, v2]), "every version of v1's function");
    assert.equal(pinned.stderr, '');
  });

  it('exports only the current version of a name ending in @, as of any name', () => {
    const cache = `${project.dir}/mail-versions`;
    for (const body of ['x', 'x + 1']) {
      project.write(
        'mail2.mjs',
        `import { memorious } from '@funes/core';\nmemorious(function send(x) { return ${body}; }, ` +
            `{ name: 'user@host' })(${body === 'x' ? 1 : 2});\n`,
      );
      assert.equal(project.node(['mail2.mjs'], { FUNES_CACHE_DIR: cache }).status, 0);
    }
    const rows = ok(project.funes(['export', 'user@host@', '--cache', cache, '-f', 'json'])) as any[];
    assert.deepEqual(rows.map((row) => row.output), [3], 'the version used last, alone');
  });
});

describe('a lone - among the functions named', () => {
  it('names a function called -, so rm - --force removes nothing else; after a short option, it is its value', () => {
    const cache = `${project.dir}/dash`;
    project.write(
      'dash.mjs',
      "import { memorious } from '@funes/core';\n" +
        "memorious(function (x) { return x; }, { name: '-' })(1);\n" +
        'memorious(function keep(x) { return x; })(1);\n',
    );
    const env = { FUNES_CACHE_DIR: cache };
    assert.equal(project.node(['dash.mjs'], env).status, 0);
    const names = () => (ok(project.funes(['log', '--json'], { env })).versions as any[]).map((v) => v.function).sort();
    assert.deepEqual(ok(project.funes(['log', '-', '--json'], { env })).versions.map((v: any) => v.function), ['-']);
    const count = project.funes(['log', '-n', '-', '--json'], { env });
    assert.equal(JSON.parse(count.stderr).error.code, 'EUSAGE', 'the value of -n');
    assert.equal(project.funes(['rm', '-f', '-', '--json'], { env }).status, 0);
    assert.deepEqual(names(), ['keep']);
    const none = project.funes(['rm', '-', '--force', '--json'], { env });
    assert.equal(JSON.parse(none.stderr).error.code, 'ENOFUNCTION');
    assert.deepEqual(names(), ['keep']);
  });
});
