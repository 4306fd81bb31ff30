/**
 * The `funes ui` server end to end: caches written by real memorious runs in child
 * processes, the server started as `funes ui` starts it and asked over HTTP on
 * 127.0.0.1 — functions, pages of rows sorted and filtered, plot points, two versions
 * compared, entries, downloads, the token, and live updates over server-sent events
 * while another process writes.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPORT_DATA_ID, startUiServer, type UiServer } from '@funes/ui';
import { strFromU8, unzlibSync } from 'fflate';
import { definitionPatch } from '../packages/ui/src/definition-patch.js';
import { cliProject, FUNES_BIN, type CliProject } from './helpers/cli-cache.js';
import { startNode } from './helpers/processes.js';

const TRAIN_V1 =
  'function train(lr, depth, cfg = { opt: "adam" }) { return { loss: lr * depth + ' +
      'Math.random() / 100, metrics: { f1: 1 - lr } }; }';
const TRAIN_V2 =
  'function train(lr, depth, cfg = { opt: "adam" }) { return { loss: lr * depth * (lr > 0.15 ? 2 : 1) + ' +
      'Math.random() / 100, metrics: { f1: 1 - lr } }; }';
/** A sweep: 3 × 3 grid points × 2 seeds (the learning rates can be set by LRS). */
const SWEEP = (source: string) =>
  `import { memorious } from '@funes/core';\n` +
  `const train = memorious(${source});\n` +
  `for (const lr of JSON.parse(process.env.LRS ?? '[0.1, 0.2, 0.3]')) ` +
  `for (const depth of [1, 2, 4]) for (const seed of [0, 1]) await train.withSeed(seed)(lr, depth);\n`;

let project: CliProject;
let server: UiServer;
let v1: string;
let v2: string;
let base: string;

async function get(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: any; text: string; type: string | null }> {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, type: response.headers.get('content-type') };
}

async function json(url: string): Promise<any> {
  return (await fetch(url)).json();
}

/**
 * Runs `node ...args` in the project to its end without blocking this process, where the server
 * runs: a request written on a kept-alive connection after the event loop was blocked longer than
 * the server's keep-alive timeout meets the server closing that connection (`fetch failed`).
 */
async function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const run = await startNode(project.dir, args, env).finished;
  assert.equal(run.code, 0, run.stderr);
}

function sweep(file: string, source: string, cache = 'cache'): void {
  project.write(file, SWEEP(source));
  const run = project.node([file], { FUNES_CACHE_DIR: join(project.dir, cache) });
  assert.equal(run.status, 0, run.stderr);
}

before(async () => {
  project = cliProject();
  sweep('train.mjs', TRAIN_V1);
  sweep('train.mjs', TRAIN_V2);
  project.compute('square.mjs', 'function square(x) { return x * x; }', [[2], [3]]);
  server = await startUiServer({ cacheDir: join(project.dir, 'cache') });
  base = server.url.replace(/\/$/, '');
  const functions = (await get('/api/functions')).body;
  const train = functions.find((fn: any) => fn.name === 'train');
  [v2, v1] = train.versions.map((v: any) => v.hash);
});
after(async () => {
  await server?.close();
  project?.remove();
});

describe('funes ui server', { timeout: 60_000 }, () => {
  it('listens on 127.0.0.1 on a free port and serves the prebuilt page', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(server.token, undefined);
    const page = await get('/');
    assert.equal(page.status, 200);
    assert.match(page.text, /<script src="app\.js"><\/script>/);
    assert.match(page.type ?? '', /^text\/html/);
    const script = await get('/app.js');
    assert.equal(script.status, 200);
    assert.ok(script.text.length > 10_000);
  });

  it('lists functions with their versions, entries, sizes and times, ' +
      'the current (last used) version first', async () => {
    const functions = (await get('/api/functions')).body;
    assert.deepEqual(functions.map((fn: any) => [fn.name, fn.module, fn.versions.length, fn.entries]).sort(), [
      ['square', 'square.mjs', 1, 2],
      ['train', 'train.mjs', 2, 36],
    ]);
    const train = functions.find((fn: any) => fn.name === 'train');
    assert.deepEqual(
      train.versions.map((v: any) => v.current),
      [true, false],
    );
    assert.ok(train.versions[0].lastUsedAt >= train.versions[1].lastUsedAt);
    assert.ok(
      train.bytes > 0 && train.versions.every((v: any) => v.metadata === 'ok' && v.entries === 18 && v.lastWrittenAt),
    );
  });

  it('pages rows with flattened columns, sorted and filtered by the server', async () => {
    const all = (await get(`/api/versions/${v1}/rows?wait=1&limit=5`)).body;
    assert.equal(all.total, 18);
    assert.equal(all.loaded, 18);
    assert.equal(all.matched, 18);
    assert.equal(all.rows.length, 5);
    assert.deepEqual(
      all.columns.map((c: any) => [c.name, c.group, c.kind]),
      [
        ['lr', 'input', 'number'],
        ['depth', 'input', 'number'],
        ['cfg.opt', 'input', 'string'],
        ['global_seed', 'input', 'number'],
        ['loss', 'output', 'number'],
        ['metrics.f1', 'output', 'number'],
        ['time', 'record', 'number'],
        ['host', 'record', 'string'],
        ['createdAt', 'record', 'date'],
        ['argumentHash', 'record', 'string'],
      ],
    );
    const at = (name: string) => all.columns.findIndex((c: any) => c.name === name);
    const second = (await get(`/api/versions/${v1}/rows?offset=15&limit=5`)).body;
    assert.equal(second.rows.length, 3);
    const sorted = (await get(`/api/versions/${v1}/rows?sort=loss&desc=1&limit=100`)).body.rows.map(
      (row: any) => row.cells[at('loss')],
    );
    assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a));
    const filters = JSON.stringify([
      { column: 'lr', min: 0.15 },
      { column: 'depth', values: [4] },
    ]);
    const filtered = (await get(`/api/versions/${v1}/rows?filters=${encodeURIComponent(filters)}&sort=lr`)).body;
    assert.equal(filtered.matched, 4);
    assert.deepEqual(
      filtered.rows.map((row: any) => [row.cells[at('lr')], row.cells[at('depth')]]),
      [
        [0.2, 4],
        [0.2, 4],
        [0.3, 4],
        [0.3, 4],
      ],
    );
    const text = (
      await get(
        `/api/versions/${v1}/rows?filters=${encodeURIComponent(JSON.stringify([{ column: 'cfg.opt', text: 'ADA' }]))}`,
      )
    ).body;
    assert.equal(text.matched, 18);
    const bad = await get(`/api/versions/${v1}/rows?filters=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'EBADQUERY');
    // A bound is a number or an integer's digits (exact beyond 2^53); other text bounds nothing.
    const digits = encodeURIComponent(JSON.stringify([{ column: 'lr', min: '0', max: '1' }]));
    assert.equal((await get(`/api/versions/${v1}/rows?filters=${digits}`)).body.matched, 18);
    for (const bound of ['0.5', 'abc', null]) {
      const filters = encodeURIComponent(JSON.stringify([{ column: 'lr', min: bound }]));
      const refused = await get(`/api/versions/${v1}/rows?filters=${filters}`);
      assert.deepEqual([refused.status, refused.body.error?.code], [400, 'EBADQUERY'], String(bound));
    }
  });

  it('aggregates the seeds of each grid point into one plot point', async () => {
    const points = (await get(`/api/versions/${v1}/points?by=lr,depth&value=loss`)).body;
    assert.equal(points.groups.length, 9);
    assert.ok(points.groups.every((g: any) => g.n === 2 && g.sd >= 0 && g.min <= g.mean && g.mean <= g.max));
    assert.deepEqual(points.groups[0].keys, [0.1, 1]);
  });

  it('compares two versions on the inputs both computed, with the diff of their definitions', async () => {
    const comparison = (await get(`/api/compare?a=${v1}&b=${v2}&column=metrics.f1`)).body;
    assert.equal(comparison.shared, 18);
    assert.equal(comparison.changed, 0);
    const loss = (await get(`/api/compare?a=${v1}&b=${v2}&column=loss`)).body;
    assert.equal(loss.pairs.length, 18);
    assert.equal(
      loss.changed,
      12,
      'lr 0.2 and 0.3 doubled, at every depth and seed; the same seed draws the same noise',
    );
    assert.ok(loss.pairs.slice(0, 12).every((p: any) => p.b > p.a * 1.5));
    assert.ok(Math.abs(loss.pairs[0].b - loss.pairs[0].a) >= Math.abs(loss.pairs.at(-1).b - loss.pairs.at(-1).a));
    const diff = (await get(`/api/diff?a=${v1}&b=${v2}`)).body.patch;
    assert.match(diff, /^--- a\/source\n\+\+\+ b\/source\n/);
    assert.match(diff, /\n\+.*lr > 0\.15 \? 2 : 1/);
  });

  it('opens one entry in full with its provenance, and its definition', async () => {
    const first = (await get(`/api/versions/${v1}/rows?limit=1`)).body.rows[0];
    const entry = (await get(`/api/versions/${v1}/entries/${first.argumentHash}`)).body;
    assert.deepEqual(Object.keys(entry.input), ['lr', 'depth', 'cfg', 'global_seed']);
    assert.deepEqual(entry.input.cfg, { opt: 'adam' });
    assert.equal(typeof entry.output.loss, 'number');
    assert.equal(entry.function, 'train');
    assert.ok(entry.host && entry.node.startsWith('v') && entry.bytes > 0);
    const definition = (await get(`/api/versions/${v1}/definition`)).body;
    assert.equal(definition.status, 'ok');
    assert.match(definition.metadata.source, /function train/);
    assert.equal((await get(`/api/versions/${v1}/entries/${'0'.repeat(64)}`)).status, 404);
    assert.equal((await get(`/api/versions/${'0'.repeat(64)}/rows`)).body.error.code, 'ENOVERSION');
    assert.equal((await get(`/api/versions/nothex/rows`)).status, 400);
  });

  it('downloads the current view as CSV and JSON', async () => {
    const filters = encodeURIComponent(JSON.stringify([{ column: 'depth', values: [1] }]));
    const csv = await get(`/api/versions/${v1}/rows.csv?filters=${filters}&sort=lr`);
    assert.match(csv.type ?? '', /^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'lr,depth,cfg.opt,global_seed,loss,metrics.f1,time,host,createdAt,argumentHash');
    assert.equal(lines.length, 1 + 6);
    const json = (await get(`/api/versions/${v1}/rows.json?filters=${filters}`)).body;
    assert.equal(json.length, 6);
    assert.ok(json.every((row: any) => row.depth === 1 && row['cfg.opt'] === 'adam'));
  });

  it('is read-only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await get('/api/functions', { method });
      assert.equal(response.status, 405);
      assert.equal(response.body.error.code, 'EREADONLY');
    }
  });

  it('summarizes a large output in the table and reads it only when its entry is opened', async () => {
    project.write(
      'big.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const big = memorious(function big(n) { ` +
        `return Float64Array.from({ length: n }, (_, i) => (i % 2 ? Math.random() : i / 2)); });\n` +
        `await big(1_200_000);\n`,
    );
    await runNode(['big.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'big-cache') });
    const big = await startUiServer({ cacheDir: join(project.dir, 'big-cache') });
    try {
      const url = big.url.replace(/\/$/, '');
      const [fn] = await json(`${url}/api/functions`);
      const rows = await json(`${url}/api/versions/${fn.versions[0].hash}/rows?wait=1`);
      const output = rows.columns.findIndex((c: any) => c.name === 'output');
      assert.match(rows.rows[0].cells[output].summary, /^stored output, \d+ bytes$/);
      const entry = await json(`${url}/api/versions/${fn.versions[0].hash}/entries/${rows.rows[0].argumentHash}`);
      assert.equal(entry.output.length, 100_000);
      assert.equal(entry.output[2], 1);
    } finally {
      await big.close();
    }
  });

  it('shows an output of many keys that differ from row to row (a count per word) as one column', async () => {
    project.write(
      'words.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const count = memorious(function count(doc) { ` +
        `return Object.fromEntries(Array.from({ length: 2000 }, (_, i) => ['w' + (doc * 2000 + i), i])); });\n` +
        `for (let doc = 0; doc < 5; doc++) await count(doc);\n`,
    );
    await runNode(['words.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'words-cache') });
    const words = await startUiServer({ cacheDir: join(project.dir, 'words-cache') });
    try {
      const url = words.url.replace(/\/$/, '');
      const [fn] = await json(`${url}/api/functions`);
      const rows = await json(`${url}/api/versions/${fn.versions[0].key}/rows?wait=1`);
      assert.deepEqual(
        rows.columns.map((c: any) => c.name),
        ['doc', 'output', 'time', 'host', 'createdAt', 'argumentHash'],
        'not the 10,000 words of five rows',
      );
      assert.deepEqual(rows.rows[0].cells[1], { summary: '{2000 keys}' });
    } finally {
      await words.close();
    }
  });

  it('answers only requests addressed to 127.0.0.1 or localhost, ' +
      'so a rebound web site cannot read the cache', async () => {
    const port = new URL(server.url).port;
    const ask = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/functions', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject).end();
      });
    assert.equal(await ask(`127.0.0.1:${port}`), 200);
    assert.equal(await ask(`localhost:${port}`), 200);
    assert.equal(await ask(`evil.example:${port}`), 403);
  });

  it('requires the printed token when bound to another address', async () => {
    const guarded = await startUiServer({ cacheDir: join(project.dir, 'cache'), host: '127.0.0.2' });
    try {
      assert.match(guarded.url, /^http:\/\/127\.0\.0\.2:\d+\/\?token=[\w-]{20,}$/);
      const url = new URL(guarded.url);
      const refused = await fetch(`${url.origin}/api/functions`);
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as any).error.code, 'ETOKEN');
      assert.equal((await fetch(`${url.origin}/api/functions?token=wrong`)).status, 401);
      assert.equal((await fetch(`${url.origin}/api/functions?token=${guarded.token}`)).status, 200);
    } finally {
      await guarded.close();
    }
  });

  it('tells a listening page within a second when another process writes an entry, ' +
      'and closes with the stream open', async () => {
    const live = await startUiServer({ cacheDir: join(project.dir, 'cache') });
    const events: string[] = [];
    const stream = request(`${live.url}api/events`);
    stream.end();
    const [response] = await once(stream, 'response');
    assert.equal(response.headers['content-type'], 'text/event-stream');
    response.setEncoding('utf8').on('data', (text: string) => events.push(text));
    await fetch(`${live.url}api/versions/${v2}/rows?wait=1`);
    const writer = startNode(project.dir, ['train.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache'), LRS: '[0.4]' });
    assert.equal((await writer.finished).code, 0);
    const deadline = Date.now() + 10_000;
    while (!events.join('').includes(v2) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(events.join(''), new RegExp(`event: change\\ndata: \\{"versions":\\[[^\\]]*"${v2}"`));
    const rows = await json(`${live.url}api/versions/${v2}/rows`);
    assert.equal(rows.total, 24, 'the 6 new entries are in the table when the event arrives');
    await live.close();
    await once(response, 'end');
  });

  it('shows in the table what an entry holds after it was computed again (refresh, an expired maxAge)', async () => {
    project.write(
      'quote.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const quote = memorious(function quote(item) { return { price: Math.random() }; });\n` +
        `if (process.env.AGAIN) await quote.refresh('apple'); else await quote('apple');\n`,
    );
    const run = (env: NodeJS.ProcessEnv = {}) =>
      runNode(['quote.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache'), ...env });
    await run();
    const version = (await get('/api/functions')).body.find((fn: any) => fn.name === 'quote').versions[0].key;
    const price = async () => {
      const { rows, columns } = (await get(`/api/versions/${version}/rows?wait=1`)).body;
      const [row] = rows;
      const entry = (await get(`/api/versions/${version}/entries/${row.argumentHash}`)).body;
      return { shown: row.cells[columns.findIndex((c: any) => c.name === 'price')], stored: entry.output.price };
    };
    const before = await price();
    assert.equal(before.shown, before.stored);
    await run({ AGAIN: '1' });
    const after = await price();
    assert.notEqual(after.stored, before.stored, 'computed again');
    assert.equal(after.shown, after.stored, 'the table shows what the entry holds now');
  });

  it('lists in the columns of a version only what its entries hold, after `funes rm` and a new sweep', async () => {
    project.write(
      'grid.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const grid = memorious(function grid(lr, depth) { return { loss: lr * depth }; });\n` +
        `for (const lr of JSON.parse(process.env.LRS)) for (const depth of [1, 2, 4]) await grid(lr, depth);\n`,
    );
    const run = (lrs: number[]) =>
      runNode(['grid.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache'), LRS: JSON.stringify(lrs) });
    await run([0.1, 0.2, 0.3]);
    const version = (await get('/api/functions')).body.find((fn: any) => fn.name === 'grid').versions[0].key;
    const lr = async () =>
      (await get(`/api/versions/${version}?wait=1`)).body.columns.find((c: any) => c.name === 'lr');
    assert.deepEqual((await lr()).values, [0.1, 0.2, 0.3]);
    await runNode([FUNES_BIN, 'rm', 'grid', '--force', '--cache', join(project.dir, 'cache')], {});
    await run([0.5]);
    const now = await lr();
    assert.deepEqual(
      [now.distinct, now.min, now.max, now.values],
      [1, 0.5, 0.5, [0.5]],
      'one learning rate: the plot is of loss against depth, not a heatmap over the rates removed',
    );
  });

  it('answers for a version removed while the page was open that it is gone, not that it has no rows', async () => {
    project.compute('gone.mjs', 'function gone(x) { return { y: x * 2 }; }', [[1], [2]]);
    const version = (await get('/api/functions')).body.find((fn: any) => fn.name === 'gone').versions[0];
    assert.equal((await get(`/api/versions/${version.key}/rows?wait=1`)).body.rows.length, 2);
    // As `funes gc` removes a version no code uses.
    rmSync(join(project.dir, 'cache', version.functionDir, version.hash), { recursive: true });
    for (const path of ['', '/rows?wait=1', '/rows.csv', '/definition']) {
      const { status, body } = await get(`/api/versions/${version.key}${path}`);
      assert.deepEqual([status, body.error?.code], [404, 'ENOVERSION'], path);
    }
  });

  it('writes the report to stdout for -e -, never to a file named -, and refuses an empty name', () => {
    for (const args of [['-e', '-'], ['--export', '-']]) {
      const run = project.funes(['ui', 'train', ...args]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^<!doctype html>[^]*<\/html>\n?$/, args.join(' '));
      assert.equal(existsSync(join(project.dir, '-')), false, args.join(' '));
    }
    const empty = project.funes(['ui', '--export', '', '--json']);
    assert.equal(empty.status, 2);
    assert.deepEqual(JSON.parse(empty.stderr).error, {
      code: 'EUSAGE',
      message: '--export needs a file name',
      hint: 'give a file name, or - for stdout (--export -)',
    });
  });

  it('writes the chosen functions as one self-contained report with its data deflated inside', async () => {
    const run = project.funes(['ui', 'train', '--export', 'report.html']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^wrote .*report\.html: 2 versions, \d+ rows, [\d.]+ KiB\n$/);
    const html = readFileSync(join(project.dir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script src=|<link rel="stylesheet"/);
    const packed = new RegExp(
      `<script id="${REPORT_DATA_ID}" type="application/octet-stream">([A-Za-z0-9+/=]+)</script>`,
    ).exec(html);
    assert.ok(packed, 'the data is embedded');
    const data = JSON.parse(strFromU8(unzlibSync(Buffer.from(packed[1], 'base64'))));
    assert.deepEqual(data.functions.map((fn: any) => fn.name), ['train']);
    assert.deepEqual(Object.keys(data.tables).sort(), [v1, v2].sort());
    assert.equal(data.tables[v1].rows.length, 18);
    // The definitions, which the page diffs as the server does, not the n² diffs between them.
    assert.equal(data.diffs, undefined);
    const { [v1]: first, [v2]: second } = data.definitions;
    assert.match(definitionPatch(first, second), /lr > 0\.15/);
    for (const [a, b] of [[v1, v2], [v2, v1]]) {
      const patch = definitionPatch(data.definitions[a], data.definitions[b]);
      assert.equal(patch, (await get(`/api/diff?a=${a}&b=${b}`)).body.patch);
    }
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'nothing in the inlined script closes its element');
    assert.equal(project.funes(['ui', 'train']).status, 2, 'functions are for --export only');
  });

  it('keeps apart versions of two functions pinned with the same version, which share a definition hash', async () => {
    project.write(
      'pinned.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const train = memorious((x) => ({ loss: x * 10 }), { name: 'train', version: 'v1' });\n` +
        `const evaluate = memorious((x) => ({ acc: x / 10 }), { name: 'evaluate', version: 'v1' });\n` +
        `for (const x of [1, 2, 3]) { train(x); evaluate(x); }\n`,
    );
    const cacheDir = join(project.dir, 'pinned');
    assert.equal(project.node(['pinned.mjs'], { FUNES_CACHE_DIR: cacheDir }).status, 0);
    const pinned = await startUiServer({ cacheDir });
    try {
      const at = pinned.url.replace(/\/$/, '');
      const functions = await json(`${at}/api/functions`);
      const versions = functions.map((fn: any) => [fn.name, fn.versions[0]]);
      assert.equal(new Set(versions.map(([, v]: any) => v.hash)).size, 1, 'one definition hash');
      for (const [name, version] of versions) {
        assert.match(version.key, new RegExp(`^${version.hash}\\.[0-9a-f]{8}$`));
        const { columns } = await json(`${at}/api/versions/${version.key}/rows?wait=1`);
        const output = name === 'train' ? 'loss' : 'acc';
        assert.ok(columns.some((c: any) => c.name === output), `${name} shows its own results`);
        assert.equal((await json(`${at}/api/versions/${version.key}/function`)).name, name);
      }
      const bare = await fetch(`${at}/api/versions/${versions[0][1].hash}/rows`);
      assert.equal(bare.status, 404, 'a hash two functions share names neither');
    } finally {
      await pinned.close();
    }
    const run = project.funes(['ui', 'train', '--export', 'pinned.html', '--cache', 'pinned']);
    assert.equal(run.status, 0, run.stderr);
    const html = readFileSync(join(project.dir, 'pinned.html'), 'utf8');
    const packed = new RegExp(`<script id="${REPORT_DATA_ID}" type="application/octet-stream">([^<]+)</script>`);
    const data = JSON.parse(strFromU8(unzlibSync(Buffer.from(packed.exec(html)![1], 'base64'))));
    assert.deepEqual(data.functions.map((fn: any) => fn.name), ['train']);
    const [table] = Object.values(data.tables) as any[];
    assert.deepEqual(table.columns.map((c: any) => c.name).slice(0, 2), ['x', 'loss']);
  });

  it('writes a report whole or not at all: one cut off mid-write leaves the previous report as it was', () => {
    const file = join(project.dir, 'kept.html');
    writeFileSync(file, '<p>the previous report</p>\n');
    // A file size limit cuts the write off after 8 KiB, as a full disk would.
    const run = spawnSync(
      'bash',
      ['-c', 'ulimit -f 8; exec "$0" "$@"', process.execPath, FUNES_BIN, 'ui', '--export', 'kept.html'],
      { cwd: project.dir, encoding: 'utf8' },
    );
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^error: cannot write .*kept\.html \(EFBIG\)\nhint: .*ulimit -f/);
    assert.equal(readFileSync(file, 'utf8'), '<p>the previous report</p>\n');
    assert.deepEqual(readdirSync(project.dir).filter((name) => name.startsWith('kept.html')), ['kept.html']);
  });

  it('runs as `funes ui`, prints its URL and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [FUNES_BIN, 'ui', '--cache', join(project.dir, 'cache')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (text: string) => {
        out += text;
        const match = /funes ui: (http:\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once('close', () => reject(new Error(`funes ui ended: ${out}`)));
    });
    assert.match(out, /showing .*cache \(read-only\)/);
    const info = await json(`${url}api/info`);
    assert.equal(info.cache, join(project.dir, 'cache'));
    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    assert.equal(code, 0);
    const missing = project.funes(['ui', '--cache', 'no-such-cache']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: no cache directory at .*no-such-cache\n/);
  });
});
