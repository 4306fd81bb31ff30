/**
 * `funes ui` on one version of 100,000 entries: time to the first page of rows, to the
 * whole table read, to a sorted and filtered page, to the first paint of the table in
 * Chromium, and the server's peak RSS — the built binary in a child process, as users
 * run it. The baseline, measured in the same run on the same cache, is `funes export`
 * of that version to /dev/null (it reads and flattens every record too).
 *
 * Usage: node --import tsx bench/ui.bench.ts [entries=100000] [cache dir to keep and reuse]
 *   quick: node --import tsx bench/ui.bench.ts 10000
 *
 * The cache is written by memorious itself (one call per entry, version pinned), so
 * every row has its own inputs and outputs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memorious } from '@funes/core';
import { chromium } from 'playwright-core';

const entries = Number(process.argv[2] ?? 100_000);
const BIN = resolve(fileURLToPath(import.meta.url), '../../packages/cli/bin/funes.js');
const kept = process.argv[3];
const root = kept ? undefined : mkdtempSync(join(tmpdir(), 'funes-ui-bench-'));
const cacheDir = kept ? resolve(kept) : join(root!, 'cache');

function fill(): void {
  const train = memorious(
    (lr: number, depth: number, seed: number) => ({
      loss: lr * depth + seed / 1000,
      metrics: { f1: 1 - lr, recall: depth / 10 },
    }),
    { name: 'train', version: 'bench', cacheDir },
  );
  for (let i = 0; i < entries; i++) train((i % 100) / 100, Math.floor(i / 100) % 10, Math.floor(i / 1000));
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function json(url: string): Promise<any> {
  const response = await fetch(url);
  return response.json();
}

async function main(): Promise<void> {
  let start = process.hrtime.bigint();
  if (!existsSync(cacheDir)) {
    fill();
    console.log(
      `cache: 1 version × ${entries.toLocaleString('en')} entries written by ` +
          `memorious in ${seconds(start).toFixed(1)} s`,
    );
  }

  start = process.hrtime.bigint();
  const exported = spawnSync(process.execPath, [BIN, 'export', 'train', '--cache', cacheDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    maxBuffer: 1 << 30,
  });
  const exportSeconds = seconds(start);
  if (exported.status !== 0) throw new Error('funes export failed');

  const server = spawn(process.execPath, [BIN, 'ui', '--cache', cacheDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      server.stdout.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const match = /funes ui: (http:\S+)/.exec(out);
        if (match) resolveUrl(match[1]);
      });
      server.once('close', () => reject(new Error(`funes ui ended: ${out}`)));
    });
    const [fn] = await json(`${url}api/functions`);
    const hash = fn.versions[0].hash;

    start = process.hrtime.bigint();
    let page = await json(`${url}api/versions/${hash}/rows?limit=100`);
    while (page.rows.length < 100) page = await json(`${url}api/versions/${hash}/rows?limit=100`);
    const firstPage = seconds(start);
    while (page.loaded < page.total || page.total < entries) {
      await new Promise((r) => setTimeout(r, 20));
      page = await json(`${url}api/versions/${hash}/rows?limit=100`);
    }
    const wholeTable = seconds(start);
    const filters = encodeURIComponent(JSON.stringify([{ column: 'depth', min: 3, max: 6 }]));
    start = process.hrtime.bigint();
    const sorted = await json(`${url}api/versions/${hash}/rows?limit=100&sort=loss&desc=1&filters=${filters}`);
    const sortedPage = seconds(start);
    if (sorted.matched !== Math.round(entries * 0.4)) throw new Error(`filter kept ${sorted.matched} rows`);

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
      timeout: 30_000,
    });
    let paint: number;
    try {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      start = process.hrtime.bigint();
      await tab.goto(`${url}#view=version&v=${hash}`, { waitUntil: 'commit', timeout: 30_000 });
      await tab.waitForSelector('table.rows tbody tr', { timeout: 30_000 });
      paint = seconds(start);
    } finally {
      await browser.close();
    }
    const rssKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]);

    const row = (what: string, value: number, unit = 's') => {
      const ratio = unit === 's' ? `   ${(value / exportSeconds).toFixed(2)}× export` : '';
      console.log(`${what.padEnd(44)} ${value.toFixed(3).padStart(8)} ${unit}${ratio}`);
    };
    console.log(
      [
        ``,
        `funes ui, one version of ${entries.toLocaleString('en')} entries (baseline: funes export of it, ` +
            `${exportSeconds.toFixed(3)} s; load average ` +
            `${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
      ].join('\n'),
    );
    row('first page of 100 rows', firstPage);
    row('whole table read', wholeTable);
    row('sorted + filtered page (after the read)', sortedPage);
    row('first paint of the table in Chromium', paint);
    console.log(`${'server peak RSS'.padEnd(44)} ${(rssKiB / 1024).toFixed(0).padStart(8)} MiB`);
  } finally {
    server.kill('SIGTERM');
    if (root) rmSync(root, { recursive: true, force: true });
  }
}

await main();
