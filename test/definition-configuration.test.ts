/**
 * Configuration outside the code, end to end: environment variables and files a
 * function reads (by a path written in its code, or matched by the `files` option)
 * and modules it imports by a computed name. Each program runs in a fresh process;
 * a changed value computes again, the same value (even a file rewritten with the
 * same content) is a hit, and a value changed back finds the earlier result.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConfigurationRead } from '@funes/core';
import { tempProject } from './helpers/temp-project.js';

describe('definition keys: configuration the code reads', { concurrency: 2 }, () => {
  const projects: ReturnType<typeof tempProject>[] = [];
  after(() => projects.forEach((p) => p.remove()));

  /**
   * A project whose `main` file (ESM unless it ends in .cjs) is run; returns a runner giving the computations so far.
   */
  function program(files: Record<string, string>, main = 'main.mjs') {
    const project = tempProject('funes-configuration-');
    projects.push(project);
    for (const [path, text] of Object.entries(files)) project.write(path, text);
    return {
      project,
      run(env: NodeJS.ProcessEnv = {}): number {
        const result = project.node([main], env);
        assert.equal(result.status, 0, result.stderr);
        assert.doesNotMatch(result.stderr, /FunesWarning/);
        const log = join(project.dir, 'calls.log');
        return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
      },
    };
  }

  const HEAD = [
    `import { memorious, describeDefinition } from '@funes/core';`,
    `import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';`,
    `const count = () => appendFileSync('calls.log', 'x\\n');`,
    ``,
  ].join('\n');

  it('an environment variable read by the function or a helper joins the key at the call', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}function scale() { return Number(process.env.SCALE ?? 1); }`,
        `const f = memorious(function scaled(x) {`,
        `  count();`,
        `  const { OFFSET } = process.env;`,
        `  return x * scale() + Number(OFFSET ?? 0);`,
        `});`,
        `f(3);`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(f).configuration));`,
        ``,
      ].join('\n'),
    });
    assert.equal(p.run({ SCALE: '2' }), 1);
    assert.equal(p.run({ SCALE: '2' }), 1);
    assert.equal(p.run({ SCALE: '3' }), 2);
    assert.equal(p.run({ SCALE: '3', OFFSET: '1' }), 3);
    assert.equal(p.run({ SCALE: '2' }), 3, 'the earlier value finds its earlier result');
    assert.deepEqual(JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')), [
      { kind: 'environment', name: 'OFFSET' },
      { kind: 'environment', name: 'SCALE' },
    ]);
  });

  it('files read by a path written in the code: a literal, a URL beside the module, ' +
      'a constant joined to __dirname', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const CONFIG = new URL('./config/settings.json', import.meta.url);`,
        `const f = memorious(function fit(x) {`,
        `  count();`,
        `  const rows = readFileSync('data.csv', 'utf8').trim().split('\\n').length;`,
        `  return x * rows + JSON.parse(readFileSync(CONFIG, 'utf8')).bias;`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'data.csv': 'a\nb\n',
      'config/settings.json': '{"bias":1}',
      'cjs/main.cjs': [
        `const { memorious } = require('@funes/core');`,
        `const { appendFileSync, readFileSync } = require('node:fs');`,
        `const { join } = require('node:path');`,
        `const TABLE = join(__dirname, 'table.txt');`,
        `const f = memorious(function lookup(x) {`,
        `  appendFileSync('calls.log', 'x\\n');`,
        `  return readFileSync(TABLE, 'utf8').length + x;`,
        `});`,
        `f(1);`,
        ``,
      ].join('\n'),
      'cjs/table.txt': 'abc',
    });
    assert.equal(p.run(), 1);
    p.project.write('data.csv', 'a\nb\n');
    utimesSync(join(p.project.dir, 'data.csv'), new Date(), new Date(Date.now() + 5000));
    assert.equal(p.run(), 1, 'the same content rewritten is a hit');
    p.project.write('data.csv', 'a\nb\nc\n');
    assert.equal(p.run(), 2);
    p.project.write('config/settings.json', '{"bias":2}');
    assert.equal(p.run(), 3);

    const cjs = program(
      { 'main.cjs': readFileSync(join(p.project.dir, 'cjs/main.cjs'), 'utf8'), 'table.txt': 'abc' },
      'main.cjs',
    );
    assert.equal(cjs.run(), 1);
    assert.equal(cjs.run(), 1);
    cjs.project.write('table.txt', 'abcd');
    assert.equal(cjs.run(), 2);
  });

  it('a file beside the module, found through dirname(fileURLToPath(import.meta.url)) kept in a constant', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { dirname, join } from 'node:path';`,
        `import { fileURLToPath } from 'node:url';`,
        `const here = dirname(fileURLToPath(import.meta.url));`,
        `const params = JSON.parse(readFileSync(join(here, 'params.json'), 'utf8'));`,
        `const f = memorious(function fit(x) {`,
        `  count();`,
        `  return x * params.lr;`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'params.json': '{"lr":1}',
    });
    assert.equal(p.run(), 1);
    assert.equal(p.run(), 1);
    p.project.write('params.json', '{"lr":2}');
    assert.equal(p.run(), 2);
  });

  it('a file or a worker script beside the module, named by fileURLToPath(new URL(…, import.meta.url))', () => {
    const worker = (factor: number) =>
      `import { parentPort, workerData } from 'node:worker_threads';\n` +
      `parentPort.postMessage(workerData * ${factor});\n`;
    const p = program({
      'main.mjs': [
        `${HEAD}import { fileURLToPath } from 'node:url';`,
        `import { Worker } from 'node:worker_threads';`,
        `const PARAMS = fileURLToPath(new URL('./params.json', import.meta.url));`,
        `const f = memorious(async function fit(x) {`,
        `  count();`,
        `  const script = fileURLToPath(new URL('./scale.mjs', import.meta.url));`,
        `  const scaled = await new Promise((done) => new Worker(script, { workerData: x }).once('message', done));`,
        `  return scaled * JSON.parse(readFileSync(PARAMS, 'utf8')).lr;`,
        `});`,
        `await f(3);`,
        ``,
      ].join('\n'),
      'params.json': '{"lr":1}',
      'scale.mjs': worker(2),
    });
    assert.equal(p.run(), 1);
    assert.equal(p.run(), 1);
    p.project.write('params.json', '{"lr":2}');
    assert.equal(p.run(), 2);
    p.project.write('scale.mjs', worker(3));
    assert.equal(p.run(), 3);
  });

  it('a file read by a file function imported under another name counts', () => {
    const p = program({
      'main.mjs': [
        `import { memorious } from '@funes/core';`,
        `import { appendFileSync, readFileSync as read } from 'node:fs';`,
        `import { readFile as readFileAsync } from 'node:fs/promises';`,
        `const count = () => appendFileSync('calls.log', 'x\\n');`,
        `const f = memorious(async function fit(x) {`,
        `  count();`,
        `  return x * Number(read('scale.txt', 'utf8')) + Number(await readFileAsync('offset.txt', 'utf8'));`,
        `});`,
        `await f(3);`,
        ``,
      ].join('\n'),
      'scale.txt': '2',
      'offset.txt': '1',
    });
    assert.equal(p.run(), 1);
    assert.equal(p.run(), 1);
    p.project.write('scale.txt', '3');
    assert.equal(p.run(), 2);
    p.project.write('offset.txt', '4');
    assert.equal(p.run(), 3);
  });

  it('a default file read when a variable is unset counts (process.env.DATA ?? "data.csv")', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const f = memorious(function fit(x) {`,
        `  count();`,
        `  return x * Number(readFileSync(process.env.DATA ?? 'data.txt', 'utf8'));`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'data.txt': '2',
      'other.txt': '5',
    });
    assert.equal(p.run(), 1);
    assert.equal(p.run(), 1);
    p.project.write('data.txt', '3');
    assert.equal(p.run(), 2);
    assert.equal(p.run({ DATA: 'other.txt' }), 3);
  });

  it('a path that is either of two inside a call counts both (resolve(fast ? "a.txt" : "b.txt"))', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join, resolve } from 'node:path';`,
        `const f = memorious(function fit(x, fast) {`,
        `  count();`,
        `  const rows = readFileSync(resolve(fast ? 'data/a.txt' : 'data/b.txt'), 'utf8');`,
        `  return x * Number(rows) + Number(readFileSync(join('data', fast ? 'c.txt' : 'd.txt'), 'utf8'));`,
        `});`,
        `f(3, false);`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(f).configuration));`,
        ``,
      ].join('\n'),
      'data/a.txt': '1',
      'data/b.txt': '2',
      'data/c.txt': '3',
      'data/d.txt': '4',
      'data/e.txt': '5',
    });
    assert.equal(p.run(), 1);
    p.project.write('data/e.txt', '6');
    assert.equal(p.run(), 1, 'a file in the directory that neither branch names does not count');
    p.project.write('data/b.txt', '3');
    assert.equal(p.run(), 2);
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: 'data/a.txt' },
      { kind: 'file', name: 'data/b.txt' },
      { kind: 'file', name: 'data/c.txt' },
      { kind: 'file', name: 'data/d.txt' },
    ]);
  });

  it('a file named by an environment variable or a word of the command line counts by the file it names', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { parseArgs } from 'node:util';`,
        `const { values } = parseArgs({ options: { rows: { type: 'string' } }, allowPositionals: true });`,
        `const DATA = process.env.DATA;`,
        `const f = memorious(function fit(x) {`,
        `  count();`,
        `  const number = (text) => Number(text);`,
        `  return x * number(readFileSync(DATA, 'utf8')) + number(readFileSync(values.rows, 'utf8')) +`,
        `    number(readFileSync(process.argv[2], 'utf8'));`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'a.txt': '2',
      'b.txt': '5',
      'rows.txt': '1',
      'scale.txt': '1',
    });
    const run = (env: NodeJS.ProcessEnv = {}) => {
      const result = p.project.node(['main.mjs', 'scale.txt', '--rows', 'rows.txt'], { DATA: 'a.txt', ...env });
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /FunesWarning/);
      return readFileSync(join(p.project.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length;
    };
    assert.equal(run(), 1);
    assert.equal(run(), 1);
    p.project.write('a.txt', '3');
    assert.equal(run(), 2, 'the file the variable names was edited');
    p.project.write('rows.txt', '4');
    assert.equal(run(), 3, 'the file the option names was edited');
    p.project.write('scale.txt', '7');
    assert.equal(run(), 4, 'the file the word names was edited');
    assert.equal(run({ DATA: 'b.txt' }), 5);
    p.project.write('b.txt', '6');
    assert.equal(run({ DATA: 'b.txt' }), 6);
    assert.equal(run(), 6, 'the file the variable named before is as it was');
  });

  it('a file a helper reads by a path its caller takes from a variable or the command line counts', () => {
    const p = program({
      'io.mjs': [
        `import { readFileSync } from 'node:fs';`,
        `import { join } from 'node:path';`,
        `export const load = (file) => Number(readFileSync(file, 'utf8'));`,
        `export const row = (name) => Number(readFileSync(join('data', name), 'utf8'));`,
        ``,
      ].join('\n'),
      'main.mjs': [
        `${HEAD}import { load, row } from './io.mjs';`,
        `const f = memorious(function fit(x) {`,
        `  count();`,
        `  return x * load(process.env.CFG) + row(process.argv[2]);`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'cfg.txt': '2',
      'data/a.txt': '1',
      'data/b.txt': '5',
    });
    const run = (word: string) => {
      const result = p.project.node(['main.mjs', word], { CFG: 'cfg.txt' });
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /FunesWarning/);
      return readFileSync(join(p.project.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length;
    };
    assert.equal(run('a.txt'), 1);
    p.project.write('data/b.txt', '6');
    assert.equal(run('a.txt'), 1, 'a file the call does not read was edited');
    p.project.write('cfg.txt', '3');
    assert.equal(run('a.txt'), 2, 'the file the variable names was edited');
    p.project.write('data/a.txt', '4');
    assert.equal(run('a.txt'), 3, 'the file the word names was edited');
    assert.equal(run('b.txt'), 4);
  });

  it('the files option covers files whose path is computed at run time, new matching files included', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { readdirSync } from 'node:fs';`,
        `const dir = ['inputs'].join('');`,
        `const f = memorious(function total() {`,
        `  count();`,
        `  return readdirSync(dir).filter((n) => n.endsWith('.txt')).map((n) => readFileSync(dir + '/' + n, ` +
            `'utf8').length).reduce((a, b) => a + b, 0);`,
        `}, { files: ['inputs/**/*.txt'] });`,
        `f();`,
        ``,
      ].join('\n'),
      'inputs/a.txt': 'aa',
      'inputs/notes.md': 'not matched',
    });
    assert.equal(p.run(), 1);
    p.project.write('inputs/notes.md', 'edited, still not matched');
    assert.equal(p.run(), 1);
    p.project.write('inputs/a.txt', 'aaa');
    assert.equal(p.run(), 2);
    p.project.write('inputs/deeper/b.txt', 'b');
    assert.equal(p.run(), 3);
  });

  it('the command line the code reads (process.argv, parseArgs) joins the key at the call', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { parseArgs } from 'node:util';`,
        `const LR = Number(process.argv[2]);`,
        `const train = memorious(function train(epochs) {`,
        `  count();`,
        `  return LR * epochs;`,
        `});`,
        `const fit = memorious(function fit(epochs) {`,
        `  count();`,
        `  const { values } = parseArgs({ args: process.argv.slice(3), options: { scale: { type: 'string' } } });`,
        `  return Number(values.scale ?? 1) * epochs;`,
        `});`,
        `console.log(JSON.stringify([train(10), fit(10)]));`,
        ``,
      ].join('\n'),
    });
    const outputs = (...args: string[]) => {
      const result = p.project.node(['main.mjs', ...args]);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as number[];
    };
    const computed = () => readFileSync(join(p.project.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length;
    assert.deepEqual(outputs('0.5'), [5, 10]);
    assert.equal(computed(), 2);
    assert.deepEqual(outputs('0.5'), [5, 10]);
    assert.equal(computed(), 2, 'the same command line is a hit');
    assert.deepEqual(outputs('0.2', '--scale', '3'), [2, 30]);
    assert.equal(computed(), 4);
    assert.deepEqual(outputs('0.5'), [5, 10]);
    assert.equal(computed(), 4, 'the earlier command line finds its earlier results');
  });

  it('only the command-line words a function reads join its key: an extended sweep computes only new points', () => {
    const p = program({
      'main.mjs': [
        `import { memorious, describeDefinition } from '@funes/core';`,
        `import { appendFileSync, writeFileSync } from 'node:fs';`,
        `import { parseArgs } from 'node:util';`,
        `const [from, to, scale] = process.argv.slice(2, 5).map(Number);`,
        `const { values } = parseArgs({`,
        `  args: process.argv.slice(5),`,
        `  options: { epochs: { type: 'string', default: '1' }, tag: { type: 'string' }, fast: { type: 'boolean' } },`,
        `});`,
        `const point = memorious(function point(x) {`,
        `  appendFileSync('calls.log', 'point ' + x + '\\n');`,
        `  return x * scale * Number(values.epochs);`,
        `});`,
        `const flagged = memorious(function flagged(x) {`,
        `  appendFileSync('calls.log', 'flagged\\n');`,
        `  return process.argv.includes('--fast') ? x : -x;`,
        `});`,
        `const words = process.argv.slice(2);`,
        `words.shift();`,
        `const shifted = memorious(function shifted(x) {`,
        `  appendFileSync('calls.log', 'shifted\\n');`,
        `  return x + Number(words[0]);`,
        `});`,
        `const points = [];`,
        `for (let x = from; x <= to; x++) points.push(point(x));`,
        `writeFileSync('out.json', JSON.stringify({`,
        `  points, flagged: flagged(1), shifted: shifted(1),`,
        `  reads: [point, flagged, shifted].map((f) => describeDefinition(f).configuration.map((read) => read.name)),`,
        `}));`,
        ``,
      ].join('\n'),
    });
    const run = (...args: string[]) => {
      const result = p.project.node(['main.mjs', ...args]);
      assert.equal(result.status, 0, result.stderr);
      const log = join(p.project.dir, 'calls.log');
      const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
      writeFileSync(log, '');
      const out = JSON.parse(readFileSync(join(p.project.dir, 'out.json'), 'utf8'));
      return { calls, ...out } as { calls: string[]; points: number[]; reads: string[][] };
    };
    const first = run('0', '2', '10', '--epochs', '2');
    assert.deepEqual(first.points, [0, 20, 40]);
    assert.deepEqual(first.calls, ['point 0', 'point 1', 'point 2', 'flagged', 'shifted']);
    // A list the module changes in place (words.shift()) holds other words than its positions say.
    assert.deepEqual(first.reads, [['--epochs', 'process.argv[4]'], ['process.argv'], ['process.argv']]);
    const extended = run('0', '4', '10', '--epochs', '2', '--tag', 'a');
    assert.deepEqual(extended.points, [0, 20, 40, 60, 80]);
    assert.deepEqual(extended.calls, ['point 3', 'point 4', 'flagged', 'shifted'], 'only the new points');
    const spelled = run('1', '3', '10', '--epochs=2');
    assert.deepEqual(spelled.calls, ['flagged', 'shifted'], 'the same values, however written, are hits');
    assert.deepEqual(spelled.points, [20, 40, 60]);
    const changed = run('0', '1', '3', '--epochs', '2');
    assert.deepEqual(changed.calls, ['point 0', 'point 1', 'flagged', 'shifted'], 'a changed word read computes');
    const fast = run('0', '1', '3', '--epochs', '5', '--fast');
    assert.deepEqual(fast.calls, ['point 0', 'point 1', 'flagged', 'shifted']);
    assert.deepEqual(run('0', '1', '3', '--epochs', '2').calls, [], 'the earlier command line finds its results');
  });

  it('a word read at the top level and then taken off the command line joins the key as it was read', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const mode = process.argv[2];`,
        `process.argv.splice(2);`,
        `const f = memorious(function moded(x) {`,
        `  count();`,
        `  return mode + x;`,
        `});`,
        `writeFileSync('out.json', JSON.stringify(f(1)));`,
        ``,
      ].join('\n'),
    });
    const run = (word: string) => {
      const result = p.project.node(['main.mjs', word]);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(readFileSync(join(p.project.dir, 'out.json'), 'utf8')) as string;
    };
    assert.equal(run('a'), 'a1');
    assert.equal(run('b'), 'b1');
    assert.equal(run('a'), 'a1');
    assert.equal(readFileSync(join(p.project.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length, 2);
  });

  it('process, argv and env read under other names join the key', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { env } from 'node:process';`,
        `import proc from 'node:process';`,
        `const { argv: words } = process;`,
        `const byImport = memorious(function byImport(x) {`,
        `  count();`,
        `  return x * Number(env.SCALE ?? 1);`,
        `});`,
        `const byDestructuring = memorious(function byDestructuring(x) {`,
        `  count();`,
        `  return x + Number(words[2] ?? 0) + Number(proc.argv[3] ?? 0);`,
        `});`,
        `writeFileSync('out.json', JSON.stringify([byImport(3), byDestructuring(3)]));`,
        ``,
      ].join('\n'),
    });
    const run = (env: NodeJS.ProcessEnv, ...args: string[]) => {
      const result = p.project.node(['main.mjs', ...args], env);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(readFileSync(join(p.project.dir, 'out.json'), 'utf8')) as number[];
    };
    assert.deepEqual(run({ SCALE: '2' }, '1', '10'), [6, 14]);
    assert.deepEqual(run({ SCALE: '5' }, '2', '20'), [15, 25]);
    assert.deepEqual(run({ SCALE: '2' }, '1', '10'), [6, 14]);
    assert.equal(readFileSync(join(p.project.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length, 4);
  });

  it('a variable read through an alias of process.env, Reflect.get, hasOwn or `in` joins the key', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const env = process.env;`,
        `const f = memorious(function flagged(x) {`,
        `  count();`,
        `  const fast = 'FAST' in process.env || Object.hasOwn(env, 'QUICK') || env.hasOwnProperty('BRISK');`,
        `  return [x * Number(env.SCALE ?? 1), Reflect.get(process.env, 'MODE'), fast];`,
        `});`,
        `writeFileSync('out.json', JSON.stringify(f(3)));`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(f).configuration.map((r) => r.name)));`,
        ``,
      ].join('\n'),
    });
    const run = (env: NodeJS.ProcessEnv) => {
      p.run(env);
      return JSON.parse(readFileSync(join(p.project.dir, 'out.json'), 'utf8')) as unknown[];
    };
    assert.deepEqual(run({ SCALE: '2', MODE: 'a' }), [6, 'a', false]);
    assert.deepEqual(run({ SCALE: '3', MODE: 'a' }), [9, 'a', false]);
    assert.deepEqual(run({ SCALE: '3', MODE: 'b' }), [9, 'b', false]);
    assert.deepEqual(run({ SCALE: '3', MODE: 'b', FAST: '' }), [9, 'b', true]);
    assert.deepEqual(run({ SCALE: '3', MODE: 'b', QUICK: '1' }), [9, 'b', true]);
    assert.deepEqual(run({ SCALE: '3', MODE: 'b', BRISK: '1' }), [9, 'b', true]);
    assert.deepEqual(run({ SCALE: '2', MODE: 'a' }), [6, 'a', false]);
    assert.equal(p.run({ SCALE: '2', MODE: 'a' }), 6);
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as string[];
    assert.deepEqual(reads, ['BRISK', 'FAST', 'MODE', 'QUICK', 'SCALE']);
  });

  it('a variable or a file named by module constants put together joins the key', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const PREFIX = 'APP';`,
        `const DATA = 'data';`,
        `const f = memorious(function prefixed(x) {`,
        `  count();`,
        `  const rows = readFileSync(\`\${DATA}/rows.txt\`, 'utf8').length +`,
        `    readFileSync(DATA + '/more.txt', 'utf8').length;`,
        `  return x * Number(process.env[\`\${PREFIX}_SCALE\`]) + rows;`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'data/rows.txt': 'ab',
      'data/more.txt': 'c',
    });
    assert.equal(p.run({ APP_SCALE: '2' }), 1);
    assert.equal(p.run({ APP_SCALE: '2' }), 1);
    assert.equal(p.run({ APP_SCALE: '3' }), 2);
    p.project.write('data/rows.txt', 'abc');
    assert.equal(p.run({ APP_SCALE: '3' }), 3);
    p.project.write('data/more.txt', 'cd');
    assert.equal(p.run({ APP_SCALE: '3' }), 4);
  });

  it('a variable or a file named by constants another module exports, or a resolved specifier, joins the key', () => {
    const p = program({
      'lib/paths.mjs': [
        `import { join } from 'node:path';`,
        `export const DATA_DIR = join(import.meta.dirname, '..', 'data');`,
        `export const FILES = { rows: 'rows.txt' };`,
        `export const NAMES = { scale: 'APP_SCALE' };`,
        ``,
      ].join('\n'),
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `import { DATA_DIR, FILES, NAMES } from './lib/paths.mjs';`,
        `const f = memorious(function imported(x) {`,
        `  count();`,
        `  const rows = readFileSync(join(DATA_DIR, FILES.rows), 'utf8').length;`,
        `  const notes = readFileSync(new URL(import.meta.resolve('./notes.txt')), 'utf8').length;`,
        `  return x * Number(process.env[NAMES.scale]) + rows + notes;`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
      'data/rows.txt': 'ab',
      'notes.txt': 'a',
    });
    assert.equal(p.run({ APP_SCALE: '2' }), 1);
    assert.equal(p.run({ APP_SCALE: '2' }), 1);
    assert.equal(p.run({ APP_SCALE: '3' }), 2);
    p.project.write('data/rows.txt', 'abc');
    assert.equal(p.run({ APP_SCALE: '3' }), 3);
    p.project.write('notes.txt', 'ab');
    assert.equal(p.run({ APP_SCALE: '3' }), 4);
  });

  it("a variable or a file a helper reads by its caller's name or path joins the key (getEnv('SCALE'))", () => {
    const p = program({
      'lib/settings.mjs': [
        `import { readFileSync } from 'node:fs';`,
        `import { join } from 'node:path';`,
        `const DATA = join(import.meta.dirname, '..', 'data');`,
        `export function getEnv(name, fallback) { return process.env[name] ?? fallback; }`,
        `export const setting = (name) => Number(getEnv(name, '0'));`,
        `function readText(file) { return readFileSync(join(DATA, file), 'utf8'); }`,
        `export function loadJson(file) { return JSON.parse(readText(file)); }`,
        `export const load = (path) => readFileSync(path, 'utf8');`,
        ``,
      ].join('\n'),
      'main.mjs': [
        `${HEAD}import { getEnv, loadJson, load, setting } from './lib/settings.mjs';`,
        `const f = memorious(function configured(x) {`,
        `  count();`,
        `  const read = loadJson('rows.json').length + load('notes.txt').length + setting('OFFSET');`,
        `  return x * Number(getEnv('SCALE', '1')) + read;`,
        `});`,
        `f(3);`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(f).configuration));`,
        ``,
      ].join('\n'),
      'data/rows.json': '[1, 2]',
      'notes.txt': 'a',
    });
    assert.equal(p.run({ SCALE: '2' }), 1);
    assert.equal(p.run({ SCALE: '2' }), 1);
    assert.equal(p.run({ SCALE: '3' }), 2);
    p.project.write('data/rows.json', '[1, 2, 3]');
    assert.equal(p.run({ SCALE: '3' }), 3);
    p.project.write('notes.txt', 'ab');
    assert.equal(p.run({ SCALE: '3' }), 4);
    assert.equal(p.run({ SCALE: '3', OFFSET: '1' }), 5);
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'environment', name: 'OFFSET' },
      { kind: 'environment', name: 'SCALE' },
      { kind: 'file', name: 'data/rows.json' },
      { kind: 'file', name: 'notes.txt' },
    ]);
  });

  it("a helper called as a method reads its caller's name or path (io.loadJson('cfg.json'), IO.load, env.get)", () => {
    const p = program({
      'lib/io.mjs': [
        `import { readFileSync } from 'node:fs';`,
        `export function loadJson(file) { return JSON.parse(readFileSync(file, 'utf8')); }`,
        `export const io = { loadJson, text(file) { return readFileSync(file, 'utf8'); } };`,
        `export class IO { static rows(file) { return loadJson(file).length; } }`,
        `export default { get: (name) => process.env[name] };`,
        ``,
      ].join('\n'),
      'lib/io.cjs': `module.exports = { size: (file) => require('node:fs').readFileSync(file).length };\n`,
      'main.mjs': [
        `${HEAD}import { createRequire } from 'node:module';`,
        `import * as files from './lib/io.mjs';`,
        `import env, { io, IO } from './lib/io.mjs';`,
        `const cjs = createRequire(import.meta.url)('./lib/io.cjs');`,
        `const f = memorious(function configured(x) {`,
        `  count();`,
        `  const read = files.loadJson('a.json').length + io.loadJson('b.json').length + io.text('c.txt').length;`,
        `  return x * Number(env.get('SCALE') ?? 1) + read + IO.rows('d.json') + cjs.size('e.txt');`,
        `});`,
        `f(3);`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(f).configuration));`,
        ``,
      ].join('\n'),
      'a.json': '[1]',
      'b.json': '[1]',
      'c.txt': 'c',
      'd.json': '[1]',
      'e.txt': 'e',
    });
    assert.equal(p.run({ SCALE: '2' }), 1);
    assert.equal(p.run({ SCALE: '2' }), 1);
    assert.equal(p.run({ SCALE: '3' }), 2);
    let runs = 2;
    const edits = [['a.json', '[1, 2]'], ['b.json', '[]'], ['c.txt', 'cc'], ['d.json', '[]'], ['e.txt', '']] as const;
    for (const [file, content] of edits) {
      p.project.write(file, content);
      assert.equal(p.run({ SCALE: '3' }), ++runs, file);
    }
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'environment', name: 'SCALE' },
      { kind: 'file', name: 'a.json' },
      { kind: 'file', name: 'b.json' },
      { kind: 'file', name: 'c.txt' },
      { kind: 'file', name: 'd.json' },
      { kind: 'file', name: 'e.txt' },
    ]);
  });

  it('a file read by a path built at run time under a known directory counts every file it can name', () => {
    const p = program({
      'src/load.mjs': [
        `import { readFileSync, readdirSync } from 'node:fs';`,
        `import { join } from 'node:path';`,
        `const DATA = join(import.meta.dirname, '..', 'data');`,
        `export const tables = () => readdirSync(DATA).filter((name) => name.endsWith('.csv'));`,
        `export function table(name) { return readFileSync(join(DATA, name), 'utf8').trim(); }`,
        `export function local(name) { return readFileSync(join(import.meta.dirname, name), 'utf8'); }`,
        ``,
      ].join('\n'),
      'main.mjs': [
        `${HEAD}import { tables, table } from './src/load.mjs';`,
        `const f = memorious(function summed(run) {`,
        `  count();`,
        `  const rows = tables().map(table).join(',');`,
        `  return rows + readFileSync(\`runs/\${run}.json\`, 'utf8');`,
        `});`,
        `f('r1');`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(f).configuration));`,
        ``,
      ].join('\n'),
      'data/a.csv': '1',
      'data/b.csv': '2',
      'runs/r1.json': '{}',
    });
    assert.equal(p.run(), 1);
    assert.equal(p.run(), 1);
    p.project.write('data/a.csv', '5');
    assert.equal(p.run(), 2);
    p.project.write('runs/r1.json', '[]');
    assert.equal(p.run(), 3);
    p.project.write('runs/r2.json', '[]');
    assert.equal(p.run(), 3, 'the run this call names is the one that counts');
    p.project.write('data/c.txt', '3');
    assert.equal(p.run(), 4, 'which files the pattern matches counts too');
    p.project.write('src/other.txt', 'the source directory is not configuration');
    assert.equal(p.run(), 4);
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: 'data' },
      { kind: 'file', name: 'runs/${run}.json' },
      { kind: 'files', name: 'data/*' },
    ]);
  });

  it("a file named by the function's own variable counts: a constant path, or one made of its argument", () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `const total = memorious(function total(x) {`,
        `  count();`,
        `  const path = join('data', 'rows.csv');`,
        `  return x * readFileSync(path, 'utf8').split('\\n').length;`,
        `});`,
        `const size = memorious(function size(name) {`,
        `  count();`,
        `  const file = join('data', name);`,
        `  return readFileSync(file, 'utf8').length;`,
        `});`,
        `total(2); size('a.csv'); size('b.csv');`,
        ``,
      ].join('\n'),
      'data/rows.csv': 'a\nb',
      'data/a.csv': '1',
      'data/b.csv': '2',
    });
    assert.equal(p.run(), 3);
    assert.equal(p.run(), 3);
    p.project.write('data/rows.csv', 'a\nb\nc');
    assert.equal(p.run(), 4);
    p.project.write('data/a.csv', '11');
    assert.equal(p.run(), 5, 'only the call naming the edited file computes again');
  });

  it("a file named by the function's own variable given another value counts by each value", () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const f = memorious(function pick(x) {`,
        `  count();`,
        `  let path = 'small.txt';`,
        `  if (x > 5) path = 'large.txt';`,
        `  return x * Number(readFileSync(path, 'utf8'));`,
        `});`,
        `f(1); f(7);`,
        ``,
      ].join('\n'),
      'small.txt': '2',
      'large.txt': '3',
    });
    assert.equal(p.run(), 2);
    assert.equal(p.run(), 2);
    p.project.write('large.txt', '4');
    assert.equal(p.run(), 4, 'the file the second value names was edited');
  });

  it('a file or variable named by an argument of the function itself counts by the one each call names', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `const DATA = join(import.meta.dirname, 'data');`,
        `function load(file) { return readFileSync(join(DATA, file), 'utf8').trim(); }`,
        `const size = memorious(function size(path) { count(); return readFileSync(path, 'utf8').length; });`,
        `const prep = memorious(function prep(name) { count(); return [0].map(() => load(name))[0]; });`,
        `const setting = memorious(function setting(key) { count(); return process.env[\`APP_\${key}\`] ?? '-'; });`,
        `for (const name of ['a.csv', 'b.csv']) { size(join('data', name)); prep(name); }`,
        `setting('A'); setting('B');`,
        `const described = [size, prep, setting].map((f) => describeDefinition(f).configuration);`,
        `writeFileSync('reads.json', JSON.stringify(described.flat()));`,
        ``,
      ].join('\n'),
      'data/a.csv': '1',
      'data/b.csv': '2',
    });
    assert.equal(p.run(), 6);
    assert.equal(p.run(), 6);
    p.project.write('data/c.csv', '3');
    assert.equal(p.run(), 6, 'a file that no call names counts for none');
    p.project.write('data/a.csv', '5');
    assert.equal(p.run(), 8, 'the calls naming the edited file compute again, and only they');
    assert.equal(p.run({ APP_B: '1' }), 9);
    assert.equal(p.run(), 9, 'the earlier value finds its earlier result');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: '${path}' },
      { kind: 'file', name: 'data/${name}' },
      { kind: 'environment', name: 'APP_${key}' },
    ]);
  });

  it('a file named by an argument\'s property, or a name its pattern binds, counts by the file each call names', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `const load = (file) => readFileSync(join('data', file), 'utf8').trim();`,
        `const fit = memorious(function fit(cfg) { count(); return readFileSync(cfg.data, 'utf8') + cfg.lr; });`,
        `const run = memorious(function run({ data, lr = 1 }) { count(); return load(data) + lr; });`,
        `const deep = memorious(function deep({ paths: { data } }) { count(); return load(data); });`,
        `const helped = memorious(function helped(cfg) { count(); return load(cfg.name); });`,
        `const changed = memorious(function changed(cfg) { count(); cfg.name = 'b.csv'; return load(cfg.name); });`,
        `const loadName = (c) => load(c.name);`,
        `const handed = memorious(function handed(cfg) { count(); return loadName(cfg); });`,
        `const fix = (c) => { c.name = 'b.csv'; };`,
        `const fixed = memorious(function fixed(cfg) { count(); fix(cfg); return loadName(cfg); });`,
        `fit({ data: 'data/a.csv', lr: 2 }); run({ data: 'a.csv' }); deep({ paths: { data: 'a.csv' } });`,
        `helped({ name: 'a.csv' }); changed({ name: 'a.csv' }); handed({ name: 'a.csv' }); fixed({ name: 'a.csv' });`,
        `const all = [fit, run, deep, helped, changed, handed, fixed];`,
        `const described = all.map((f) => describeDefinition(f).configuration);`,
        `writeFileSync('reads.json', JSON.stringify(described.flat()));`,
        ``,
      ].join('\n'),
      'data/a.csv': '1',
      'data/b.csv': '2',
    });
    assert.equal(p.run(), 7);
    assert.equal(p.run(), 7);
    p.project.write('data/a.csv', '5');
    assert.equal(p.run(), 14, 'every call naming the edited file computes again');
    p.project.write('data/b.csv', '6');
    assert.equal(p.run(), 16, 'the functions that may change the argument before reading count every file');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: '${cfg.data}' },
      { kind: 'file', name: 'data/${data}' },
      { kind: 'file', name: 'data/${data}' },
      { kind: 'file', name: 'data/${cfg.name}' },
      { kind: 'files', name: 'data/*' },
      { kind: 'file', name: 'data/${cfg.name}' },
      { kind: 'files', name: 'data/*' },
    ]);
  });

  it('an argument the function changes, or whose text is not known, counts every file the path can name', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `const DATA = join(import.meta.dirname, 'data');`,
        `const FIRST = 'a.csv';`,
        `function load(file) { return readFileSync(join(DATA, file), 'utf8').trim(); }`,
        `const renamed = memorious(function renamed(name) {`,
        `  count(); name = decodeURIComponent(name) + '.csv'; return load(name);`,
        `});`,
        `const first = memorious(function first(name = FIRST) { count(); return load(name); });`,
        `renamed('a'); first();`,
        `const described = [renamed, first].map((f) => describeDefinition(f).configuration);`,
        `writeFileSync('reads.json', JSON.stringify(described.flat()));`,
        ``,
      ].join('\n'),
      'data/a.csv': '1',
      'data/b.csv': '2',
    });
    assert.equal(p.run(), 2);
    assert.equal(p.run(), 2);
    p.project.write('data/a.csv', '5');
    assert.equal(p.run(), 4, 'the file each call reads counts');
    p.project.write('data/b.csv', '6');
    assert.equal(p.run(), 6, 'as does every file it may read');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'files', name: 'data/*' },
      { kind: 'file', name: 'data/${name}' },
    ]);
  });

  it('an argument the function assigns again before the read counts by each file it may then name', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join, resolve } from 'node:path';`,
        `const joined = memorious(function joined(name) {`,
        `  count(); name = join('data', name + '.csv'); return readFileSync(name, 'utf8');`,
        `});`,
        `const resolved = memorious(function resolved(file) {`,
        `  count(); file = resolve(file); return readFileSync(file, 'utf8');`,
        `});`,
        `const grown = memorious(function grown(name) {`,
        `  count(); name += '.csv'; return readFileSync(name, 'utf8');`,
        `});`,
        `const short = memorious(function short(name) {`,
        `  count(); if (!name.includes('/')) name = 'data/' + name; return readFileSync(name, 'utf8');`,
        `});`,
        `joined('a'); resolved('data/a.csv'); grown('data/a'); short('a.csv'); short('data/b.csv');`,
        `const described = [joined, resolved, grown, short].map((f) => describeDefinition(f).configuration);`,
        `writeFileSync('reads.json', JSON.stringify(described.flat()));`,
        ``,
      ].join('\n'),
      'data/a.csv': '1',
      'data/b.csv': '2',
    });
    assert.equal(p.run(), 5);
    assert.equal(p.run(), 5);
    p.project.write('data/a.csv', '5');
    assert.equal(p.run(), 9, 'every call reading the edited file computes again');
    p.project.write('data/b.csv', '6');
    assert.equal(p.run(), 10, 'and only those');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    // An assignment that is a statement of its own, with no use of the argument above it, replaces what the
    // caller gave: only the file the path is made into counts. A conditional one leaves either.
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: 'data/${name}.csv' },
      { kind: 'file', name: '${file}' },
      { kind: 'file', name: '${name}.csv' },
      { kind: 'file', name: '${name}' },
      { kind: 'file', name: 'data/${name}' },
    ]);
  });

  it('an argument changed before the read in a way the analysis does not follow is warned about', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const f = memorious(function suffixed(file, parts) {`,
        `  count(); for (const part of parts) file = file + part; return readFileSync(file, 'utf8');`,
        `});`,
        `f('data/a', ['.', 'csv']);`,
        ``,
      ].join('\n'),
      'data/a.csv': '1',
    });
    const result = p.project.node(['main.mjs']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /main\.mjs reads a file by a path made from the argument file, changed at run time in a way not followed/,
    );
  });

  it('an argument assigned again, or made into a path, before a helper reads it counts by the file it names', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `function load(path) { return readFileSync(path, 'utf8'); }`,
        `function loadIn(file) { return load(join('data', file)); }`,
        `const getEnv = (key) => process.env[key] ?? '-';`,
        `const renamed = memorious(function renamed(name) { count(); name = name + '.txt'; return load(name); });`,
        `const suffixed = memorious(function suffixed(name) { count(); return loadIn(name + '.txt'); });`,
        `const joined = memorious(function joined(name) { count(); return load(join('data', name)); });`,
        `const prefixed = memorious(function prefixed(key) { count(); return getEnv('APP_' + key); });`,
        `renamed('a'); suffixed('a'); joined('a.txt'); prefixed('X');`,
        `const described = [renamed, suffixed, joined, prefixed].map((f) => describeDefinition(f).configuration);`,
        `writeFileSync('reads.json', JSON.stringify(described.flat()));`,
        ``,
      ].join('\n'),
      'a.txt': '1',
      'data/a.txt': '1',
      'data/b.txt': '1',
    });
    assert.equal(p.run(), 4);
    assert.equal(p.run(), 4);
    p.project.write('a.txt', '2');
    assert.equal(p.run(), 5, 'the file the reassigned argument names counts');
    p.project.write('data/a.txt', '2');
    assert.equal(p.run(), 7, 'the file a path made of the argument names counts');
    p.project.write('data/b.txt', '2');
    assert.equal(p.run(), 7, 'a file no call names counts for none');
    assert.equal(p.run({ APP_X: '1' }), 8);
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: '${name}.txt' },
      { kind: 'file', name: 'data/${name}.txt' },
      { kind: 'file', name: 'data/${name}' },
      { kind: 'environment', name: 'APP_${key}' },
    ]);
  });

  it('files read in a loop over a constant list or a list argument count, each item its file', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `const FILES = ['a.txt', 'b.txt'];`,
        `const load = (file) => readFileSync(join('data', file), 'utf8');`,
        `function loadAll(files) { let text = ''; for (const file of files) text += load(file); return text; }`,
        `const constant = memorious(function constant() {`,
        `  count(); let total = 0; for (const f of FILES) total += readFileSync(f).length; return total;`,
        `});`,
        `const mapped = memorious(function mapped() { count(); return FILES.map((f) => readFileSync(f, 'utf8')); });`,
        `const argument = memorious(function argument(files) {`,
        `  count(); let total = 0; for (const f of files) total += readFileSync(f).length; return total;`,
        `});`,
        `const filtered = memorious(function filtered(files) {`,
        `  count(); return files.filter((f) => f.endsWith('.txt')).map((f) => readFileSync(f, 'utf8'));`,
        `});`,
        `const helped = memorious(function helped(cfg) { count(); return loadAll(cfg.inputs); });`,
        `const each = memorious(function each(names) { count(); return names.map((n) => load(n)); });`,
        `const grown = memorious(function grown(files) {`,
        `  count(); files.push('b.txt'); return files.map((f) => readFileSync(f, 'utf8'));`,
        `});`,
        `constant(); mapped(); argument(['a.txt']); filtered(['a.txt']);`,
        `helped({ inputs: ['a.txt'] }); helped({ inputs: new Set(['b.txt']) }); grown(['a.txt']); each(['b.txt']);`,
        `const all = [constant, mapped, argument, filtered, helped, grown, each];`,
        `writeFileSync('reads.json', JSON.stringify(all.map((f) => describeDefinition(f).configuration).flat()));`,
        ``,
      ].join('\n'),
      'a.txt': '1',
      'b.txt': '1',
      'data/a.txt': '1',
      'data/b.txt': '1',
    });
    const result = p.project.node(['main.mjs']);
    assert.match(result.stderr, /grown: main\.mjs reads a file by a path made from the argument f in a way not /);
    const run = () => {
      const log = join(p.project.dir, 'calls.log');
      const ran = p.project.node(['main.mjs']);
      assert.equal(ran.status, 0, ran.stderr);
      return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    };
    assert.equal(run(), 8, 'every call is a hit');
    p.project.write('b.txt', '2');
    assert.equal(run(), 10, 'the calls whose list names the edited file compute again');
    p.project.write('a.txt', '2');
    assert.equal(run(), 14);
    p.project.write('data/b.txt', '2');
    assert.equal(run(), 16, 'an item of a Set names its file too');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: 'a.txt' },
      { kind: 'file', name: 'b.txt' },
      { kind: 'file', name: 'a.txt' },
      { kind: 'file', name: 'b.txt' },
      { kind: 'file', name: '${files[]}' },
      { kind: 'file', name: '${files[]}' },
      { kind: 'file', name: 'data/${cfg.inputs[]}' },
      { kind: 'file', name: 'data/${names[]}' },
    ]);
  });

  it('a file named by an argument put through string methods (name.trim()) counts by the file each call names', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { join } from 'node:path';`,
        `const load = (path) => readFileSync(path.trim(), 'utf8');`,
        `const trimmed = memorious(function trimmed(name) { count(); return readFileSync(name.trim(), 'utf8'); });`,
        `const lower = memorious(function lower(name) {`,
        `  count(); return readFileSync(join('data', name.toLowerCase() + '.txt'), 'utf8');`,
        `});`,
        `const helped = memorious(function helped(name) { count(); return load(name); });`,
        `trimmed(' a.txt'); lower('A'); helped('b.txt ');`,
        `const described = [trimmed, lower, helped].map((f) => describeDefinition(f).configuration);`,
        `writeFileSync('reads.json', JSON.stringify(described.flat()));`,
        ``,
      ].join('\n'),
      'a.txt': '1',
      'b.txt': '1',
      'data/a.txt': '1',
    });
    assert.equal(p.run(), 3);
    assert.equal(p.run(), 3);
    p.project.write('a.txt', '2');
    assert.equal(p.run(), 4, 'the file the trimmed argument names counts');
    p.project.write('data/a.txt', '2');
    assert.equal(p.run(), 5, 'the file the lower-cased argument names counts');
    p.project.write('b.txt', '2');
    assert.equal(p.run(), 6, 'the file a helper names by trimming its parameter counts');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [
      { kind: 'file', name: '${name.trim()}' },
      { kind: 'file', name: 'data/${name.toLowerCase()}.txt' },
      { kind: 'file', name: '${name.trim()}' },
    ]);
  });

  it('a file named by a name a const destructures from an argument counts by the file each call names', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const taken = memorious(function taken(opts) {`,
        `  count(); const { file } = opts; return readFileSync(file, 'utf8');`,
        `});`,
        `taken({ file: 'a.txt' }); taken({ file: 'b.txt' });`,
        `writeFileSync('reads.json', JSON.stringify(describeDefinition(taken).configuration));`,
        ``,
      ].join('\n'),
      'a.txt': '1',
      'b.txt': '1',
    });
    assert.equal(p.run(), 2);
    assert.equal(p.run(), 2);
    p.project.write('a.txt', '2');
    assert.equal(p.run(), 3, 'the call naming the edited file computes again, and only it');
    const reads = JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')) as ConfigurationRead[];
    assert.deepEqual(reads.map(({ kind, name }) => ({ kind, name })), [{ kind: 'file', name: '${file}' }]);
    // With a default, or changed through the argument, the name holds no text the call shows: warned about.
    p.project.write('main.mjs', [
      `${HEAD}const defaulted = memorious(function defaulted(opts) {`,
      `  const { file = 'b.txt' } = opts; return readFileSync(file, 'utf8');`,
      `});`,
      `defaulted({});`,
      ``,
    ].join('\n'));
    const result = p.project.node(['main.mjs']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /defaulted: main\.mjs reads a file by a path made from the argument opts in a way /);
  });

  it('a file a helper reads by a path made from an argument in a way not followed is warned about', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}function load(path) { return readFileSync(path, 'utf8'); }`,
        `const decoded = memorious(function decoded(name) { return load(decodeURIComponent(name)); });`,
        `const mapped = memorious(function mapped(rows) { return rows.map((n) => load(n.path)); });`,
        `const handed = memorious(function handed(names) { return names.map(load); });`,
        `const listed = memorious(function listed(names) {`,
        `  return names.map(load);`,
        `}, { files: ['*.txt'] });`,
        `decoded('a.txt'); mapped([{ path: 'a.txt' }]); handed(['a.txt']); listed(['a.txt']);`,
        ``,
      ].join('\n'),
      'a.txt': '1',
    });
    const result = p.project.node(['main.mjs']);
    assert.equal(result.status, 0, result.stderr);
    const warned = (name: string, parameter: string) =>
      new RegExp(`${name}: main\\.mjs reads a file by a path made from the argument ${parameter} in a way not `);
    assert.match(result.stderr, warned('decoded', 'name'));
    assert.match(result.stderr, warned('mapped', 'n\\.path'));
    assert.match(result.stderr, warned('handed', 'path'));
    assert.doesNotMatch(result.stderr, /listed:/, 'the files option names what the analysis cannot follow');
  });

  it('a helper reading a variable by a name its callers compute, or handed on as a value, is warned about', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}function getEnv(name) { return process.env[name]; }`,
        `const f = memorious(function listed(x) {`,
        `  count();`,
        `  return ['A', 'B'].map(getEnv).length + String(getEnv(x)).length;`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
    });
    const result = p.project.node(['main.mjs']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /main\.mjs reads environment variables by a name computed at run time/);
  });

  it('a variable read by a name computed at run time is warned about', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const f = memorious(function copied(x) {`,
        `  count();`,
        `  return x * Number({ ...process.env }.SCALE);`,
        `});`,
        `f(3);`,
        ``,
      ].join('\n'),
    });
    const result = p.project.node(['main.mjs'], { SCALE: '2' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /main\.mjs reads environment variables by a name computed at run time/);
  });

  it('a module or JSON file loaded through a require made by createRequire counts by its content', () => {
    const p = program({
      'config.json': '{ "scale": 2 }',
      'lib/offset.cjs': 'module.exports = { offset: 1 };\n',
      'main.mjs': [
        `${HEAD}import { createRequire } from 'node:module';`,
        `const load = createRequire(import.meta.url);`,
        `const config = load('./config.json');`,
        `const { offset } = createRequire(import.meta.url)('./lib/offset.cjs');`,
        `const f = memorious(function scaled(x) {`,
        `  count();`,
        `  return x * config.scale + offset;`,
        `});`,
        `writeFileSync('out.json', JSON.stringify(f(3)));`,
        ``,
      ].join('\n'),
    });
    const out = () => JSON.parse(readFileSync(join(p.project.dir, 'out.json'), 'utf8')) as number;
    assert.equal(p.run(), 1);
    assert.equal(out(), 7);
    p.project.write('config.json', '{\n  "scale": 2\n}\n');
    assert.equal(p.run(), 1, 'reformatting the JSON changes nothing');
    p.project.write('config.json', '{ "scale": 3 }');
    assert.equal(p.run(), 2);
    assert.equal(out(), 10);
    p.project.write('lib/offset.cjs', 'module.exports = { offset: 2 };\n');
    assert.equal(p.run(), 3);
    assert.equal(out(), 11);
  });

  it('configuration read at the top level of a module loaded as a whole joins the key', () => {
    const p = program({
      'config.mjs': `export const SCALE = Number(process.env.SCALE ?? 1);\n`,
      'config.cjs': `exports.OFFSET = Number(process.env.OFFSET ?? 0);\n`,
      'main.mjs': [
        `${HEAD}import { createRequire } from 'node:module';`,
        `import * as config from './config.mjs';`,
        `const require = createRequire(import.meta.url);`,
        `const byNamespace = memorious(function byNamespace(x) {`,
        `  count();`,
        `  return x * config.SCALE;`,
        `});`,
        `const byRequire = memorious(function byRequire(x) {`,
        `  count();`,
        `  return x + require('./config.cjs').OFFSET;`,
        `});`,
        `const byImport = memorious(async function byImport(x) {`,
        `  count();`,
        `  return x * (await import('./config.mjs')).SCALE;`,
        `});`,
        `writeFileSync('out.json', JSON.stringify([byNamespace(3), byRequire(3), await byImport(3)]));`,
        ``,
      ].join('\n'),
    });
    const out = () => JSON.parse(readFileSync(join(p.project.dir, 'out.json'), 'utf8')) as number[];
    assert.equal(p.run(), 3);
    assert.deepEqual(out(), [3, 3, 3]);
    assert.equal(p.run({ SCALE: '2', OFFSET: '1' }), 6);
    assert.deepEqual(out(), [6, 4, 6]);
    assert.equal(p.run(), 6, 'the earlier values find the earlier results');
    assert.deepEqual(out(), [3, 3, 3]);
  });

  it('a script the function runs in a worker or a child process counts by its content', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { Worker } from 'node:worker_threads';`,
        `import { execSync, spawnSync } from 'node:child_process';`,
        `import { once } from 'node:events';`,
        `const inWorker = memorious(async function inWorker(x) {`,
        `  count();`,
        `  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: x });`,
        `  const [result] = await once(worker, 'message');`,
        `  return result;`,
        `});`,
        `const inChild = memorious(function inChild(x) {`,
        `  count();`,
        `  return Number(spawnSync(process.execPath, ['scripts/train.mjs', '--lr', String(x)]).stdout);`,
        `});`,
        `const inShell = memorious(function inShell(x) {`,
        `  count();`,
        `  return Number(execSync('node scripts/score.mjs --fast')) + x;`,
        `});`,
        `console.log(JSON.stringify([await inWorker(2), inChild(3), inShell(4)]));`,
        `writeFileSync('reads.json', JSON.stringify([inWorker, inChild, inShell].map((f) => ` +
            `describeDefinition(f).configuration.map((read) => read.name))));`,
        ``,
      ].join('\n'),
      'worker.mjs': `import { parentPort, workerData } from 'node:worker_threads';\n` +
          `import { factor } from './factor.mjs';\nparentPort.postMessage(workerData * factor);\n`,
      'factor.mjs': `export const factor = 10;\n`,
      'scripts/train.mjs': `console.log(Number(process.argv.at(-1)) * 100);\n`,
      'scripts/score.mjs': `console.log(1000);\n`,
    });
    const outputs = () => JSON.parse(p.project.node(['main.mjs']).stdout) as number[];
    assert.equal(p.run(), 3);
    assert.deepEqual(outputs(), [20, 300, 1004]);
    assert.equal(p.run(), 3, 'unchanged scripts are hits');
    assert.deepEqual(JSON.parse(readFileSync(join(p.project.dir, 'reads.json'), 'utf8')), [
      ['worker.mjs'],
      ['scripts/train.mjs'],
      ['scripts/score.mjs'],
    ]);
    p.project.write('factor.mjs', `export const factor = 20;\n`);
    p.project.write('scripts/train.mjs', `console.log(Number(process.argv.at(-1)) * 200);\n`);
    p.project.write('scripts/score.mjs', `console.log(2000);\n`);
    assert.deepEqual(outputs(), [40, 600, 2004], 'each edited script computes again');
    assert.equal(p.run(), 6);
  });

  it('code run by new Worker(code, { eval: true }) is not taken for a path, and the function is analyzed', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}import { Worker } from 'node:worker_threads';`,
        `import { once } from 'node:events';`,
        `import { RATE } from './rate.mjs';`,
        `const CODE = "const { parentPort, workerData } = require('node:worker_threads');` +
            ` parentPort.postMessage(workerData * 2); const note = '${'longer than a file name can be '.repeat(9)}';";`,
        `const doubled = memorious(async function doubled(x) {`,
        `  count();`,
        `  const worker = new Worker(CODE, { eval: true, workerData: x });`,
        `  const [result] = await once(worker, 'message');`,
        `  return result * RATE;`,
        `});`,
        `console.log(await doubled(2));`,
        ``,
      ].join('\n'),
      'rate.mjs': `export const RATE = 1;\n`,
    });
    assert.equal(p.run(), 1, 'no warning: the function is analyzed from its file');
    assert.equal(p.run(), 1);
    p.project.write('rate.mjs', `export const RATE = 3;\n`);
    assert.equal(p.run(), 2, 'an edited import computes again');
  });

  it('a module imported by a name with a static prefix: every file it can stand for counts', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const f = memorious(async function predict(name, x) {`,
        `  count();`,
        `  const model = await import(\`./models/\${name}.mjs\`);`,
        `  return model.apply(x);`,
        `});`,
        `await f('linear', 3);`,
        ``,
      ].join('\n'),
      'models/linear.mjs': `export const apply = (x) => x * 2;\n`,
      'models/square.mjs': `export const apply = (x) => x * x;\n`,
    });
    assert.equal(p.run(), 1);
    assert.equal(p.run(), 1);
    p.project.write('models/linear.mjs', `export const apply = (x) => x * 3;\n`);
    assert.equal(p.run(), 2);
  });
  it('a large file read as configuration is hashed once across processes, while its stamp stays as it was', () => {
    const p = program({
      'main.mjs': [
        `${HEAD}const f = memorious(function total(path) {`,
        `  count();`,
        `  return readFileSync(path).reduce((sum, byte) => sum + byte, 0);`,
        `});`,
        `console.log(f('data/big.bin'));`,
        ``,
      ].join('\n'),
    });
    const big = Buffer.alloc(2 * 1024 * 1024, 1);
    const file = p.project.write('data/big.bin', '');
    writeFileSync(file, big);
    // Older than the file systems' time granularity when it is hashed, so that its hash is kept.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
    assert.equal(p.run(), 1);
    // Kept from the first process that finds the cache directory made.
    assert.equal(p.run(), 1, 'a hit');
    const dir = join(p.project.dir, 'cache', '.funes', 'file-hashes');
    const [entry, ...others] = readdirSync(dir);
    assert.deepEqual(others, []);
    const [stamp, hash] = readFileSync(join(dir, entry!), 'utf8').split('\n');
    assert.equal(hash, createHash('sha256').update(big).digest('hex'));
    assert.equal(p.run(), 1, 'a hit');
    // The kept hash is what a fresh process keys by: another hash under the same stamp is another key.
    writeFileSync(join(dir, entry!), `${stamp}\n${'0'.repeat(64)}`);
    assert.equal(p.run(), 2);
    // A changed file has another stamp: its kept hash is not used, whatever it says.
    writeFileSync(join(dir, entry!), `${stamp}\n${hash}`);
    big[0] = 2;
    writeFileSync(file, big);
    assert.equal(p.run(), 3);
    assert.equal(p.run(), 3);
  });
});
