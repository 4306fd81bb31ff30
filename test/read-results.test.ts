/**
 * Reading a sweep without its code: `loadCachedResults('train', { cacheDir, version })`
 * and `openResults`, whose outputs are read only when touched, from a script that never
 * imports the training module.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HEADER_2_SIZE, readObjectMetadata } from '@funes/core/internal';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-read-');
after(() => project.remove());

project.write(
  'train/sweep.mjs',
  `
import { memorious } from '@funes/core';
const train = memorious(function train(lr) {
  // Noise does not compress: the curve is stored raw, after the record's input.
  const curve = new Float64Array(100_000);
  let x = Math.round(lr * 1000) + 1;
  for (let i = 0; i < curve.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; curve[i] = x; }
  return { loss: lr * 2, curve };
}, { cacheDir: process.env.CACHE, version: process.env.VERSION });
for (const lr of process.argv.slice(2)) train(Number(lr));
`,
);

project.write(
  'analysis/read.mjs',
  `
import { loadCachedResults, openResults } from '@funes/core';
const [how, version] = process.argv.slice(2);
const options = { cacheDir: process.env.CACHE, ...(version ? { version } : {}) };
const rows = [];
try {
  if (how === 'load') for (const r of loadCachedResults('train', options)) rows.push([r.input.lr, ` +
      `r.output.loss, r.output.curve.length]);
  else for (const r of openResults('train', options)) rows.push(r.input.lr < 0.05 ? ` +
      `[r.input.lr, r.output.loss] : [r.input.lr]);
} catch (error) {
  rows.push(error.code + ': ' + error.message);
}
console.log(JSON.stringify(rows.sort()));
`,
);

const cache = join(project.dir, 'runs');
const env = { CACHE: cache };

function read(how: string, version?: string) {
  const run = project.node(['analysis/read.mjs', how, ...(version ? [version] : [])], env);
  assert.equal(run.status, 0, run.stderr);
  return { rows: JSON.parse(run.stdout), stderr: run.stderr };
}

test('loadCachedResults by name reads the newest version, or the one a hash prefix names', () => {
  assert.equal(project.node(['train/sweep.mjs', '0.1', '0.01'], { ...env, VERSION: 'v1' }).status, 0);
  assert.equal(project.node(['train/sweep.mjs', '0.2', '0.02', '0.03'], { ...env, VERSION: 'v2' }).status, 0);
  assert.deepEqual(read('load').rows, [
    [0.02, 0.04, 100_000],
    [0.03, 0.06, 100_000],
    [0.2, 0.4, 100_000],
  ]);
  const versions = readdirSync(join(cache, 'train'));
  const v1 = versions.find(
    (hash) => JSON.parse(readFileSync(join(cache, 'train', hash, 'definition.json'), 'utf8')).pinnedVersion === 'v1',
  )!;
  assert.deepEqual(read('load', v1.slice(0, 8)).rows, [
    [0.01, 0.02, 100_000],
    [0.1, 0.2, 100_000],
  ]);
  assert.match(read('load', 'ffffffff').rows[0], /^EINVALID: train has no version 'ffffffff': its versions are /);
  project.write(
    'analysis/typo.mjs',
    `import { loadCachedResults } from '@funes/core';\nloadCachedResults('trian', { cacheDir: process.env.CACHE });\n`,
  );
  assert.match(
    project.node(['analysis/typo.mjs'], env).stderr,
    /no function 'trian' in the cache .*runs; did you mean 'train'\?/,
  );
});

test('openResults reads an output only when it is touched', () => {
  // Damage the end of the 0.2 record's curve, the last byte of its output section (docs/format.md: the header's
  // output stored size at offset 152): its input still reads, its output would fail its checksum.
  const version = readdirSync(join(cache, 'train')).find(
    (hash) => JSON.parse(readFileSync(join(cache, 'train', hash, 'definition.json'), 'utf8')).pinnedVersion === 'v2',
  )!;
  const dir = join(cache, 'train', version);
  const damaged = readdirSync(dir).find((name) => {
    const found = name !== 'definition.json' ? readObjectMetadata(join(dir, name)) : undefined;
    return found?.status === 'hit' && found.record.input.lr === 0.2;
  })!;
  const bytes = readFileSync(join(dir, damaged));
  bytes[HEADER_2_SIZE + Number(bytes.readBigUInt64LE(152)) - 1] ^= 0xff;
  writeFileSync(join(dir, damaged), bytes);

  const lazy = read('open');
  assert.deepEqual(lazy.rows, [[0.02, 0.04], [0.03, 0.06], [0.2]], 'the damaged output was never read');
  assert.equal(lazy.stderr, '');
  const eager = read('load');
  assert.deepEqual(
    eager.rows,
    [
      [0.02, 0.04, 100_000],
      [0.03, 0.06, 100_000],
    ],
    'reading every output finds the damage and skips it',
  );
  assert.match(eager.stderr, /EINTEGRITY.*is damaged \([^)]+\); skipped/);
});
