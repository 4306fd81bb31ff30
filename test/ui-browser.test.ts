/**
 * The page of `funes ui` in a real Chromium: caches written by real memorious runs,
 * the server on 127.0.0.1, and the page driven as a user would — the functions list,
 * the table sorted and filtered, plots with the right number of marks, version A
 * against B, one entry, a new entry appearing live while another process writes,
 * and names from the cache shown as text, never run. A screenshot of each view is
 * saved in the test's temp directory; no view may log a console error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startUiServer, writeReport, type UiServer } from '@funes/ui';
import { openBrowser, withTimeout, type BrowserSession } from './helpers/browser.js';
import { cliProject, FUNES_BIN, type CliProject } from './helpers/cli-cache.js';
import { startNode } from './helpers/processes.js';

const TRAIN_V1 =
  'function train(lr, depth) { return { loss: lr * depth + Math.random() / 100, curve: [1, 0.5, 0.25, 0.125, ' +
      '0.0625, 0.03, 0.01, 0.005, 0.002] }; }';
const TRAIN_V2 =
  'function train(lr, depth) { return { loss: lr * depth * (lr > 0.15 ? 2 : 1) + Math.random() / 100, curve: [1, ' +
      '0.5, 0.25, 0.125, 0.0625, 0.03, 0.01, 0.005, 0.002] }; }';
const SWEEP = (source: string) =>
  `import { memorious } from '@funes/core';\n` +
  `const train = memorious(${source});\n` +
  `for (const lr of JSON.parse(process.env.LRS ?? '[0.1, 0.2, 0.3]')) ` +
  `for (const depth of [1, 2, 4]) for (const seed of [0, 1]) await train.withSeed(seed)(lr, depth);\n`;
/** A name that would run script if the page put it in as HTML. */
const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';

let project: CliProject;
let server: UiServer;
let session: BrowserSession;
let shots: string;
let v1: string;
let v2: string;

/** Saves a screenshot of the page under the test's temp directory. */
async function screenshot(name: string): Promise<void> {
  await session.page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/**
 * Waits for the plot that matches `attributes`, drawn from every entry. A change of
 * only the URL's fragment does not reload the page, so the plot before it may still show.
 */
async function waitForPlot(attributes: string): Promise<void> {
  await session.page.waitForSelector(`.plot${attributes}:not([data-reading]) svg`);
}

async function open(fragment: string): Promise<void> {
  await session.page.goto(`${server.url}${fragment}`, { waitUntil: 'load' });
}

function sweep(cache: string, source: string, env: NodeJS.ProcessEnv = {}): void {
  project.write('train.mjs', SWEEP(source));
  const run = project.node(['train.mjs'], { FUNES_CACHE_DIR: join(project.dir, cache), ...env });
  assert.equal(run.status, 0, run.stderr);
}

before(async () => {
  project = cliProject();
  shots = join(project.dir, 'screenshots');
  mkdirSync(shots);
  sweep('cache', TRAIN_V1);
  sweep('cache', TRAIN_V2);
  project.compute('hostile.mjs', `function label(name) { return { text: name, size: name.length }; }`, [[HOSTILE]]);
  server = await startUiServer({ cacheDir: join(project.dir, 'cache') });
  const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
  [v2, v1] = functions.find((fn) => fn.name === 'train').versions.map((v: any) => v.hash);
  session = await openBrowser();
});

after(async () => {
  await session?.close();
  await server?.close();
  project?.remove();
});

describe('funes ui in Chromium', { timeout: 90_000 }, () => {
  it('lists the functions and their versions', async () => {
    await open('');
    await session.page.waitForSelector('table.functions');
    const names = await session.page.locator('tr.function strong').allTextContents();
    assert.deepEqual(names.sort(), ['label', 'train']);
    assert.equal(await session.page.locator(`a[data-version="${v1}"]`).count(), 1);
    assert.match((await session.page.locator('header .live').textContent()) ?? '', /live/);
    await screenshot('functions');
    assert.deepEqual(session.errors, []);
  });

  it('shows the sweep as a table, sorted and filtered by the server', async () => {
    const { page } = session;
    await open(`#view=version&v=${v1}`);
    await page.waitForSelector('table.rows tbody tr');
    assert.equal(await page.locator('table.rows tbody tr').count(), 18);
    const headers = await page
      .locator('table.rows th[data-column]')
      .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
    assert.deepEqual(headers, ['lr', 'depth', 'global_seed', 'loss', 'curve', 'time', 'host']);
    const lossColumn = headers.indexOf('loss') + 2;
    await page.locator('th[data-column="loss"] span').first().click();
    await page.locator('th[data-column="loss"] span').first().click();
    await page.waitForFunction(() => (globalThis as any).location.hash.includes('desc=1'));
    await page.waitForSelector('th[data-column="loss"]:has-text("▼")');
    const losses = (await page.locator(`table.rows tbody td:nth-child(${lossColumn})`).allTextContents()).map(Number);
    assert.deepEqual(losses, [...losses].sort((a, b) => b - a));
    await page.locator('th[data-column="lr"] input').fill('>0.15');
    await page.locator('th[data-column="lr"] input').press('Enter');
    await page.waitForFunction(
      () => (globalThis as any).document.querySelectorAll('table.rows tbody tr').length === 12,
    );
    assert.match((await page.locator('.toolbar').first().textContent()) ?? '', /1–12 of 12 \(filtered from 18\)/);
    await screenshot('table');
    assert.deepEqual(session.errors, []);
  });

  it("shows the rows a link's offset can name: none below the first, the last page past the last", async () => {
    const { page } = session;
    for (const offset of ['1000', '-5', '1e400', 'Infinity']) {
      await page.goto('about:blank');
      await open(`#view=version&v=${v1}&offset=${offset}`);
      await page.waitForSelector('table.rows tbody tr');
      assert.equal(await page.locator('table.rows tbody tr').count(), 18, `offset=${offset}`);
      assert.match((await page.locator('.toolbar').first().textContent()) ?? '', /1–18 of 18/);
    }
    assert.deepEqual(session.errors, []);
  });

  it('keeps a bound out of a strict filter: > and < exclude it, >= and <= include it', async () => {
    const { page } = session;
    const rowsFor = async (filter: string, expected: number) => {
      await open(`#view=version&v=${v1}&f.lr=${encodeURIComponent(filter)}`);
      // Only the fragment changes: wait for the table drawn with this filter, not the one before.
      await page.waitForFunction(
        (typed) =>
          (globalThis as any).document.querySelector('th[data-column="lr"] input')?.value === typed &&
          (globalThis as any).document.querySelector('table.rows tbody tr') !== null,
        filter,
      );
      const lrs = await page.locator('table.rows tbody td:nth-child(2)').allTextContents();
      assert.equal(lrs.length, expected, `${filter} keeps ${lrs.join(', ')}`);
      return new Set(lrs);
    };
    assert.deepEqual(await rowsFor('>0.2', 6), new Set(['0.3']));
    assert.deepEqual(await rowsFor('>=0.2', 12), new Set(['0.2', '0.3']));
    assert.deepEqual(await rowsFor('<0.2', 6), new Set(['0.1']));
    assert.deepEqual(await rowsFor('<=0.2', 12), new Set(['0.1', '0.2']));
    assert.deepEqual(session.errors, []);
  });

  it('says which typed filter it cannot apply, and filters numbers among text and BigInt digits by value', async () => {
    const { page } = session;
    project.write(
      'mixed.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const tune = memorious(function tune(lr, n) { return { loss: lr === 'auto' ? 1 : lr }; });\n` +
        `for (const [lr, n] of [['auto', 2n], [0.1, 10n], [0.2, 12n], [0.3, 100n]]) await tune(lr, n);\n`,
    );
    const run = project.node(['mixed.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === 'tune').versions[0].key;
    const shown = async (filters: Record<string, string>) => {
      await page.goto('about:blank');
      const typed = Object.entries(filters).map(([name, text]) => `&f.${name}=${encodeURIComponent(text)}`);
      await open(`#view=version&v=${version}${typed.join('')}`);
      await page.waitForSelector('table.rows tbody tr');
      const rows = await page.locator('table.rows tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent).join(' ')),
      );
      return { rows: rows.sort(), note: await page.locator('.filter-errors').allTextContents() };
    };
    assert.deepEqual(await shown({ lr: '>0.15' }), { rows: ['0.2 12', '0.3 100'], note: [] });
    assert.deepEqual(await shown({ lr: '=0.2' }), { rows: ['0.2 12'], note: [] });
    assert.deepEqual(await shown({ n: '3..12' }), { rows: ['0.1 10', '0.2 12'], note: [] });
    const unapplied = await shown({ lr: '1.2.3..5' });
    assert.equal(unapplied.rows.length, 4, 'a filter that means nothing keeps every row, and says so');
    assert.match(unapplied.note.join(), /filter on lr not applied: 1\.2\.3 is not a number/);
    assert.equal(await page.locator('th[data-column="lr"] input').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(session.errors, []);
  });

  it('plots an output against the inputs with one mark per grid point', async () => {
    const { page } = session;
    await open(`#view=version&v=${v1}&tab=plot`);
    await waitForPlot('[data-mark="heatmap"]');
    assert.equal(await page.locator('.plot[data-mark="heatmap"]').getAttribute('data-groups'), '9');
    assert.equal(await page.locator('.plot svg g[aria-label="cell"] rect').count(), 9);
    await screenshot('plot-heatmap');
    await open(`#view=version&v=${v1}&tab=plot&mark=line&x=lr&color=none`);
    await waitForPlot('[data-mark="line"][data-x="lr"][data-color="none"]');
    assert.equal(
      await page.locator('.plot svg g[aria-label="dot"] circle').count(),
      3,
      'three learning rates, seeds and depths averaged',
    );
    await open(`#view=version&v=${v1}&tab=plot&mark=line&x=lr&color=depth`);
    await waitForPlot('[data-mark="line"][data-x="lr"][data-color="depth"]');
    assert.equal(await page.locator('.plot svg g[aria-label="dot"] circle').count(), 9);
    assert.equal(await page.locator('.plot svg g[aria-label="line"] path').count(), 3, 'one line per depth');
    await screenshot('plot-lines');
    assert.deepEqual(session.errors, []);
  });

  it('plots and hides a column whose name holds a comma, and keeps old links of plain names', async () => {
    const { page } = session;
    project.compute('comma.mjs', "function spread(cfg, k) { return { loss: cfg['a,b'] * 10 + k }; }", [
      [{ 'a,b': 1 }, 0],
      [{ 'a,b': 1 }, 1],
      [{ 'a,b': 2 }, 0],
      [{ 'a,b': 2 }, 1],
      [{ 'a,b': 3 }, 0],
      [{ 'a,b': 3 }, 1],
    ]);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === 'spread').versions[0].key;
    const x = encodeURIComponent('cfg.a,b');
    await open(`#view=version&v=${version}&tab=plot&mark=line&x=${x}&color=k`);
    await waitForPlot('[data-mark="line"][data-x="cfg.a,b"][data-color="k"]');
    assert.equal(await page.locator('.plot[data-mark="line"]').getAttribute('data-groups'), '6');
    assert.equal(await page.locator('.plot svg g[aria-label="dot"] circle').count(), 6);
    const headers = () =>
      page.locator('table.rows th[data-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
    await open(`#view=version&v=${version}`);
    await page.waitForSelector('table.rows tbody tr');
    assert.deepEqual(await headers(), ['cfg.a,b', 'k', 'loss', 'time', 'host']);
    await page.locator('details.columns summary').click();
    await page.locator('details.columns label', { hasText: 'cfg.a,b' }).locator('input').uncheck();
    await page.waitForSelector('table.rows th[data-column="k"]');
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('th[data-column="cfg.a,b"]'));
    assert.deepEqual(await headers(), ['k', 'loss', 'time', 'host']);
    // The link holds the view: opened again, it hides that column and no other.
    const link = await page.evaluate(() => (globalThis as any).location.hash as string);
    await page.goto('about:blank');
    await open(link);
    await page.waitForSelector('table.rows tbody tr');
    assert.deepEqual(await headers(), ['k', 'loss', 'time', 'host']);
    await page.goto('about:blank');
    await open(`#view=version&v=${version}&hide=k,time,argumentHash`);
    await page.waitForSelector('table.rows tbody tr');
    assert.deepEqual(await headers(), ['cfg.a,b', 'loss', 'host', 'createdAt']);
    assert.deepEqual(session.errors, []);
  });

  it('plots an input named as a point summary is named (n, mean) at its own values', async () => {
    const { page } = session;
    project.compute('summary-names.mjs', 'function simulate(n, mean) { return { loss: n / 10 + mean }; }', [
      [10, 0],
      [10, 1],
      [100, 0],
      [100, 1],
      [1000, 0],
      [1000, 1],
    ]);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === 'simulate').versions[0].key;
    const distinct = (attribute: string, marks: string) =>
      page
        .locator(`.plot svg g[aria-label="${marks}"] > *`)
        .evaluateAll((nodes, name) => [...new Set(nodes.map((node) => node.getAttribute(name)))].length, attribute);
    await open(`#view=version&v=${version}&tab=plot&mark=line&x=n&color=none`);
    await waitForPlot('[data-mark="line"][data-x="n"][data-color="none"]');
    assert.equal(await page.locator('.plot svg g[aria-label="dot"] circle').count(), 3);
    assert.equal(await distinct('cx', 'dot'), 3, 'n = 10, 100 and 1000 each at its own x');
    await open(`#view=version&v=${version}&tab=plot`);
    await waitForPlot('[data-mark="heatmap"][data-x="n"][data-color="mean"]');
    assert.equal(await page.locator('.plot svg g[aria-label="cell"] rect').count(), 6);
    assert.equal(await distinct('x', 'cell'), 3, 'three values of n');
    assert.equal(await distinct('y', 'cell'), 2, 'two values of the input mean, not six means of loss');
    await screenshot('plot-summary-names');
    assert.deepEqual(session.errors, []);
  });

  it('plots a BigInt input (and numeric text) in the order of its values, not as text', async () => {
    const { page } = session;
    project.write(
      'big.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const grow = memorious(function grow(n, k, label) { return { y: Number(n) * k }; });\n` +
        `for (let n = 1n; n <= 12n; n++) for (const k of [1, 2]) await grow(n, k, String(n * 10n));\n`,
    );
    const run = project.node(['big.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === 'grow').versions[0].key;
    const ticks = (axis: string) =>
      page.locator(`.plot svg g[aria-label="${axis}-axis tick label"] text`).allTextContents();
    const ascending = Array.from({ length: 12 }, (_, i) => String(i + 1));
    await open(`#view=version&v=${version}&tab=plot&mark=line&x=n&color=k`);
    await waitForPlot('[data-mark="line"][data-x="n"][data-color="k"]');
    assert.deepEqual(await ticks('x'), ascending, '1, 2, …, 12: not 1, 10, 11, 12, 2');
    await open(`#view=version&v=${version}&tab=plot&mark=heatmap&x=label&color=n`);
    await waitForPlot('[data-mark="heatmap"][data-x="label"][data-color="n"]');
    assert.deepEqual(await ticks('x'), ascending.map((n) => `${n}0`));
    assert.deepEqual(await ticks('y'), ascending);
    await open(`#view=version&v=${version}&tab=plot&mark=parallel`);
    await waitForPlot('[data-mark="parallel"]');
    const ends = await page.locator('.plot svg g[aria-label="text"] text').allTextContents();
    assert.deepEqual(ends.slice(0, 2), ['1', '12'], 'the axis of n runs from 1 to 12');
    await screenshot('plot-bigint');
    assert.deepEqual(session.errors, []);
  });

  it('draws f(-0) and f(0) in bands of their own: a heatmap hides neither behind the other', async () => {
    const { page } = session;
    project.write(
      'zero.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const sign = memorious(function sign(x, k) { return { y: Object.is(x, -0) ? -k : x + k }; });\n` +
        `for (const x of [-0, 0, 1]) for (const k of [1, 2]) await sign(x, k);\n`,
    );
    const run = project.node(['zero.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === 'sign').versions[0].key;
    await open(`#view=version&v=${version}&tab=plot&mark=heatmap&x=x&color=k`);
    await waitForPlot('[data-mark="heatmap"][data-x="x"][data-color="k"]');
    const cells = await page
      .locator('.plot svg g[aria-label="cell"] rect')
      .evaluateAll((rects) => new Set(rects.map((rect) => `${rect.getAttribute('x')},${rect.getAttribute('y')}`)).size);
    assert.equal(cells, 6, 'six cells at six places');
    const ticks = await page.locator('.plot svg g[aria-label="x-axis tick label"] text').allTextContents();
    assert.deepEqual(ticks, ['-0', '0', '1']);
    await open(`#view=version&v=${version}&tab=plot&mark=line&x=x&color=none`);
    await waitForPlot('[data-mark="line"][data-x="x"][data-color="none"]');
    const tips: string[] = [];
    for (const dot of await page.locator('.plot svg g[aria-label="dot"] circle').all()) {
      await dot.hover({ force: true });
      tips.push((await page.locator('.plot svg g[aria-label="tip"]').textContent()) ?? '');
    }
    assert.deepEqual(tips.map((tip) => /x = (-?\d+)/.exec(tip)?.[1]).sort(), ['-0', '0', '1'], tips.join(' | '));
    assert.deepEqual(session.errors, []);
  });

  it('draws parallel coordinates as one image, to the output axis when one mean is NaN', async () => {
    const { page } = session;
    project.write(
      'parallel-nan.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const blend = memorious(function blend(a, b, c) { return { loss: a + b + c === 6 ? NaN : a + b + c }; });\n` +
        `for (const a of [1, 2]) for (const b of [1, 2]) for (const c of [1, 2]) await blend(a, b, c);\n`,
    );
    const run = project.node(['parallel-nan.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === 'blend').versions[0].key;
    await open(`#view=version&v=${version}&tab=plot`);
    await waitForPlot('[data-mark="parallel"][data-y="loss"]');
    const ends = await page.locator('.plot svg g[aria-label="text"] text').allTextContents();
    assert.deepEqual(ends, ['1', '2', '1', '2', '1', '2', '3', '5'], 'the loss axis runs over the finite means');
    // The lines are one image, drawn on a canvas: one element however many lines, none of them an SVG path.
    const lines = page.locator('.plot svg image.parallel-lines');
    assert.equal(await lines.getAttribute('data-lines'), '8');
    assert.equal(await page.locator('.plot svg g[aria-label="line"] path').count(), 0);
    const lossAxis = Number(await page.locator('.plot svg g[aria-label="rule"] line').last().getAttribute('x1'));
    const inked = async (x: number) =>
      lines.evaluate(async (image, at) => {
        const source = new (globalThis as any).Image();
        source.src = image.getAttribute('href');
        await source.decode();
        const canvas = (globalThis as any).document.createElement('canvas');
        [canvas.width, canvas.height] = [source.width, source.height];
        const context = canvas.getContext('2d');
        context.drawImage(source, 0, 0);
        const ratio = source.width / Number(image.getAttribute('width'));
        const column = context.getImageData(Math.round(at * ratio), 0, 1, source.height).data as number[];
        return column.filter((_: number, i: number) => i % 4 === 3).filter((alpha: number) => alpha > 0).length;
      }, x);
    assert.ok((await inked(lossAxis - 3)) > 0, 'lines reach the loss axis');
    assert.equal(await inked(lossAxis + 20), 0, 'and end there');
    await screenshot('plot-parallel-nan');
    assert.deepEqual(session.errors, []);
  });

  it('shows which results an edit changed: version A against B', async () => {
    const { page } = session;
    await open(`#view=compare&a=${v1}&b=${v2}&column=loss`);
    await page.waitForSelector('.plot[data-pairs] svg');
    assert.equal(await page.locator('.plot').getAttribute('data-changed'), '12');
    assert.equal(await page.locator('.plot svg g[aria-label="dot"] circle').count(), 18);
    assert.match((await page.locator('p.summary').textContent()) ?? '', /18 inputs computed by both; 12 changed loss/);
    assert.equal(await page.locator('table.largest tbody tr').count(), 18);
    assert.match((await page.locator('pre.diff .add').first().textContent()) ?? '', /lr > 0\.15 \? 2 : 1/);
    await screenshot('compare');
    assert.deepEqual(session.errors, []);
  });

  it("says when a link names a column this version lacks, and plots or compares the default instead", async () => {
    const { page } = session;
    await page.goto('about:blank');
    await open(`#view=version&v=${v1}&tab=plot&x=rate&mark=lines&facet=depth`);
    await waitForPlot('[data-mark="heatmap"][data-x="lr"]');
    assert.equal(await page.locator('.plot[data-mark="heatmap"]').getAttribute('data-groups'), '9');
    assert.match(
      (await page.locator('p.plot-ignored').textContent()) ?? '',
      /nothing to plot as x=rate, mark=lines: the default stands in/,
    );
    assert.equal(await page.locator('label', { hasText: 'x' }).locator('select').first().inputValue(), 'lr');
    await page.goto('about:blank');
    await open(`#view=compare&a=${v1}&b=${v2}&column=accuracy`);
    await page.waitForSelector('.plot[data-pairs] svg');
    const ignored = (await page.locator('p.column-ignored').textContent()) ?? '';
    assert.match(ignored, /has an output named accuracy: showing loss/);
    assert.match((await page.locator('p.summary').textContent()) ?? '', /12 changed loss/, 'not "0 changed accuracy"');
    assert.deepEqual(session.errors, []);
  });

  it('compares only versions of one function: a link naming two functions shows neither as the other', async () => {
    const { page } = session;
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const label = functions.find((fn) => fn.name === 'label').versions[0].key;
    await open(`#view=compare&a=${label}&b=${v2}`);
    await page.waitForSelector('main p.error');
    const message = (await page.locator('main p.error').textContent()) ?? '';
    assert.ok(message.includes(`is a version of label, B (${v2.slice(0, 12)}) of train`), message);
    assert.equal(await page.locator('p.summary').count(), 0, 'no changes counted between two functions');
    assert.deepEqual(session.errors, []);
  });

  it('opens an entry with its output plotted, its provenance and its definition', async () => {
    const { page } = session;
    await open(`#view=version&v=${v1}`);
    await page.locator('table.rows tbody tr').first().click();
    await page.waitForSelector('pre.output');
    assert.match(page.url(), /view=entry/);
    assert.match((await page.locator('pre.input').textContent()) ?? '', /"lr": 0\.\d/);
    assert.equal(await page.locator('.plot[data-array="curve"] svg').count(), 1);
    assert.match(
      (await page.locator('table.provenance').textContent()) ?? '',
      /funes show train@[0-9a-f]{12} [0-9a-f]{12}/,
    );
    assert.match((await page.locator('pre.definition').textContent()) ?? '', /function train\(lr, depth\)/);
    await screenshot('entry');
    assert.deepEqual(session.errors, []);
  });

  it("shows an entry only under its own version: a link cannot route to another version's entry", async () => {
    const { page } = session;
    const rows = (await (await fetch(`${server.url}api/versions/${v2}/rows?wait=1`)).json()) as any;
    const entry = rows.rows[0].argumentHash;
    // v1 computed the same inputs: a path out of v1's entries into v2's would show v2's output as v1's.
    // From a blank page: a change of only the fragment would leave the entry shown before in view a while.
    await page.goto('about:blank');
    await open(`#view=entry&v=${v1}&e=${encodeURIComponent(`${entry}/../../../${v2}/entries/${entry}`)}`);
    await page.waitForSelector('pre.definition');
    assert.equal(await page.locator('pre.output').count(), 0, "no entry shown: none is named so in v1");
    assert.match((await page.locator('main').textContent()) ?? '', /This entry is gone or damaged/);
    await page.goto('about:blank');
    await open(`#view=entry&v=${encodeURIComponent(`${v2}/entries/${entry}/../../../${v1}`)}&e=${entry}`);
    await page.waitForSelector('main p.error, main p.muted, pre.output');
    assert.equal(await page.locator('pre.output').count(), 0, 'nor through the version');
    // The server refuses such a version's key (400), which the browser logs; nothing else may be logged.
    assert.deepEqual(
      session.errors.filter((error) => !error.includes('status of 400 (Bad Request)')),
      [],
    );
    session.errors.length = 0;
  });

  it('shows names and values from the cache as text', async () => {
    const { page } = session;
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const label = functions.find((fn) => fn.name === 'label').versions[0].hash;
    await open(`#view=version&v=${label}`);
    await page.waitForSelector('table.rows tbody tr');
    assert.ok(((await page.locator('table.rows tbody').textContent()) ?? '').includes(HOSTILE));
    assert.equal(await page.locator('table.rows tbody img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as any).pwned), undefined);
    assert.deepEqual(session.errors, []);
  });

  it("offers a funes show command that a hostile name cannot turn into another command", async () => {
    const { page } = session;
    const name = 'fit $(touch pwned) `touch pwned`';
    project.write(
      'named.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const f = memorious(function f(x) { return x * 2; }, { name: ${JSON.stringify(name)} });\n` +
        `f(21);\n`,
    );
    const run = project.node(['named.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === name).versions[0].key;
    await open(`#view=version&v=${version}`);
    await page.locator('table.rows tbody tr').first().click();
    await page.waitForSelector('table.provenance');
    const command = (await page.locator('table.provenance tr:has-text("show it") td').textContent()) ?? '';
    // Pasted into a shell, with `funes` this project's CLI: it shows the entry and does nothing else.
    const bin = join(project.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'funes'), `#!/bin/sh\nexec "${process.execPath}" "${FUNES_BIN}" "$@"\n`, { mode: 0o755 });
    const shown = spawnSync('/bin/sh', ['-c', command], {
      cwd: project.dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FUNES_CACHE_DIR: join(project.dir, 'cache') },
    });
    assert.equal(shown.status, 0, `${command}: ${shown.stderr}`);
    assert.match(shown.stdout, /Output:\s+42\n/);
    assert.equal(existsSync(join(project.dir, 'pwned')), false, `${command} ran another command`);
    assert.deepEqual(session.errors, []);
  });

  it('keeps direction marks in a name from reordering the version hash shown after it', async () => {
    const { page } = session;
    const name = 'fit\u202E';
    project.write(
      'marked.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const f = memorious(function f(x) { return x + 1; }, { name: ${JSON.stringify(name)} });\n` +
        `f(1);\n`,
    );
    const run = project.node(['marked.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const version = functions.find((fn) => fn.name === name).versions[0];
    await open(`#view=version&v=${version.key}`);
    await page.waitForSelector('h2 span.mono');
    // Where the hash's first and last digits are drawn: an override left open draws it reversed.
    const [first, last] = await page.evaluate(() => {
      const text = (globalThis as any).document.querySelector('h2 span.mono').firstChild;
      return [0, text.length - 1].map((index) => {
        const range = (globalThis as any).document.createRange();
        range.setStart(text, index);
        range.setEnd(text, index + 1);
        return range.getBoundingClientRect().left as number;
      });
    });
    assert.ok(first < last, `the hash reads left to right (its first digit at ${first}, its last at ${last})`);
    assert.deepEqual(session.errors, []);
  });

  it('shows NaN and Infinity as they are, and counts a result that became NaN as changed', async () => {
    const { page } = session;
    const run = (body: string) => {
      project.write(
        'diverge.mjs',
        `import { memorious } from '@funes/core';\n` +
          `const fit = memorious(function fit(lr) { ${body} });\n` +
          `for (const lr of [0.1, 0.2, 0.3, 0.4]) fit(lr);\n`,
      );
      const result = project.node(['diverge.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
      assert.equal(result.status, 0, result.stderr);
    };
    run('return { loss: lr * 2 };');
    run('return { loss: lr > 0.35 ? Infinity : lr > 0.25 ? NaN : lr * 2 };');
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const [after, before] = functions.find((fn) => fn.name === 'fit').versions.map((v: any) => v.key);
    await open(`#view=version&v=${after}&sort=loss`);
    await page.waitForSelector('table.rows tbody tr');
    const headers = await page
      .locator('table.rows th[data-column]')
      .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
    const lossColumn = headers.indexOf('loss') + 2;
    const losses = await page.locator(`table.rows tbody td:nth-child(${lossColumn})`).allTextContents();
    assert.deepEqual(losses, ['0.2', '0.4', 'Infinity', 'NaN'], 'diverged results are not empty cells');
    for (const [typed, kept] of [['=NaN', ['NaN']], ['=Infinity', ['Infinity']]]) {
      await open(`#view=version&v=${after}&f.loss=${encodeURIComponent(typed as string)}`);
      // Only the fragment changes: wait for the table drawn with this filter, not the one before.
      await page.waitForFunction(
        (value) => (globalThis as any).document.querySelector('th[data-column="loss"] input')?.value === value,
        typed,
      );
      const cells = await page.locator(`table.rows tbody td:nth-child(${lossColumn})`).allTextContents();
      assert.deepEqual(cells, kept, `${typed} keeps the diverged rows, not those without a loss`);
    }
    await open(`#view=compare&a=${before}&b=${after}&column=loss`);
    await page.waitForSelector('.plot[data-pairs] svg');
    assert.equal(await page.locator('.plot').getAttribute('data-changed'), '2');
    assert.match((await page.locator('p.summary').textContent()) ?? '', /4 inputs computed by both; 2 changed loss/);
    assert.equal(await page.locator('.plot svg g[aria-label="dot"] circle').count(), 2, 'finite pairs are drawn');
    assert.match((await page.locator('p.undrawn').textContent()) ?? '', /2 with NaN or ±Infinity/);
    const largest = await page.locator('table.largest tbody tr').allTextContents();
    assert.match(largest[0] + largest[1], /Infinity/);
    assert.match(largest[0] + largest[1], /NaN/);
    await screenshot('compare-nan');
    assert.deepEqual(session.errors, []);
  });

  it('shows an entry as it is stored: NaN, ±Infinity and -0 as themselves, and a method\'s this', async () => {
    const { page } = session;
    project.write(
      'exact.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const odd = memorious(function odd(x) { return { loss: NaN, range: [Infinity, -Infinity], zero: -0, ` +
        `mark: { $number: 'NaN' } }; });\n` +
        `odd(-0); odd(0);\n` +
        `const model = { scale: 2, fit: memorious(function fit(x) { return this.scale * x; }) };\n` +
        `model.fit(3);\n`,
    );
    const run = project.node(['exact.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
    assert.equal(run.status, 0, run.stderr);
    const functions = (await (await fetch(`${server.url}api/functions`)).json()) as any[];
    const entryOf = async (name: string, input: (row: any) => boolean) => {
      const key = functions.find((fn) => fn.name === name).versions[0].key;
      const { rows } = (await (await fetch(`${server.url}api/versions/${key}/rows`)).json()) as any;
      await open(`#view=entry&v=${key}&e=${rows.find(input).argumentHash}`);
      await page.waitForSelector('pre.output');
      return { key, text: async (part: string) => (await page.locator(`pre.${part}`).textContent()) ?? '' };
    };
    const negative = await entryOf('odd', (row) => row.cells[0]?.$number === '-0');
    assert.match(await negative.text('input'), /"x": -0\n/);
    const output = await negative.text('output');
    assert.match(output, /"loss": NaN,/);
    assert.match(output, /Infinity,\s+-Infinity/);
    assert.match(output, /"zero": -0,/);
    assert.match(output, /"mark": \{\s+"\$number": "NaN"\s+\}/, 'an object of the output is shown as itself');
    await open(`#view=version&v=${negative.key}&sort=x`);
    await page.waitForSelector('table.rows tbody tr');
    assert.deepEqual(
      (await page.locator('table.rows tbody td:nth-child(2)').allTextContents()).sort(),
      ['-0', '0'],
      'the rows of odd(-0) and odd(0) read apart',
    );
    const method = await entryOf('fit', () => true);
    assert.match(await method.text('this'), /"scale": 2/);
    await screenshot('entry-exact');
    assert.deepEqual(session.errors, []);
  });

  it('opens a report file from disk, without a server, with the same views', async () => {
    const file = join(project.dir, 'report.html');
    await writeReport({ cacheDir: join(project.dir, 'cache'), versions: [v1, v2], file });
    const { page } = session;
    const remote: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (!/^(file|data):/.test(request.url())) remote.push(request.url());
    };
    page.on('request', onRequest);
    try {
      await page.goto(`file://${file}#view=version&v=${v1}`, { waitUntil: 'load' });
      await page.waitForSelector('table.rows tbody tr');
      assert.equal(await page.locator('table.rows tbody tr').count(), 18);
      assert.equal(await page.locator('header .live').textContent(), 'report');
      await screenshot('report-table');
      await page.goto(`file://${file}#view=version&v=${v1}&tab=plot`, { waitUntil: 'load' });
      await waitForPlot('[data-mark="heatmap"]');
      assert.equal(await page.locator('.plot svg g[aria-label="cell"] rect').count(), 9);
      await page.goto(`file://${file}#view=compare&a=${v1}&b=${v2}&column=loss`, { waitUntil: 'load' });
      await page.waitForSelector('.plot[data-pairs] svg');
      assert.equal(await page.locator('.plot').getAttribute('data-changed'), '12');
      assert.match((await page.locator('pre.diff .add').first().textContent()) ?? '', /lr > 0\.15 \? 2 : 1/);
      await screenshot('report-compare');
      // Names every object inherits are no version of the report: no table, no definition.
      for (const name of ['constructor', '__proto__', 'toString']) {
        await page.goto('about:blank');
        await page.goto(`file://${file}#view=entry&v=${name}&e=${'a'.repeat(64)}`, { waitUntil: 'load' });
        await page.waitForSelector('main h3');
        assert.equal(await page.locator('main p.muted').last().textContent(), 'definition.json is missing', name);
        await page.goto('about:blank');
        await page.goto(`file://${file}#view=version&v=${name}`, { waitUntil: 'load' });
        await page.waitForSelector('main p.error');
        assert.equal(await page.locator('main p.error').textContent(), `No version ${name} in this cache.`);
      }
    } finally {
      page.off('request', onRequest);
    }
    assert.deepEqual(remote, []);
    assert.deepEqual(session.errors, []);
  });

  it('adds rows and points live while another process writes', async () => {
    const { page } = session;
    await open(`#view=version&v=${v2}`);
    await page.waitForSelector('table.rows tbody tr');
    assert.equal(await page.locator('table.rows tbody tr').count(), 18);
    const writer = startNode(project.dir, ['train.mjs'], {
      FUNES_CACHE_DIR: join(project.dir, 'cache'),
      LRS: '[0.4, 0.5]',
    });
    assert.equal((await withTimeout(writer.finished, 60_000, 'the second sweep')).code, 0);
    await page.waitForFunction(
      () => (globalThis as any).document.querySelectorAll('table.rows tbody tr').length === 30,
      undefined,
      { timeout: 10_000 },
    );
    assert.match(page.url(), new RegExp(`v=${v2}`), 'the page was not reloaded');
    await open(`#view=version&v=${v2}&tab=plot&mark=line&x=lr&color=none`);
    await waitForPlot('[data-mark="line"][data-x="lr"][data-color="none"]');
    assert.equal(await page.locator('.plot svg g[aria-label="dot"] circle').count(), 5);
    await screenshot('live');
    assert.deepEqual(session.errors, []);
  });
});
