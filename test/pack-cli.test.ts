/**
 * `funes pack` and `funes unpack` as users run them: the built bin in child
 * processes, on caches written by memorious.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { makeWorkspace, type Workspace } from './helpers/bundle-caches.js';

const BIN = resolve(fileURLToPath(import.meta.url), '../../packages/cli/dist/bin.js');

let ws: Workspace;
const funes = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: ws.root, encoding: 'utf8' });

before(() => {
  ws = makeWorkspace();
  ws.compute(ws.cacheDir('a'), [1, 2, 3]);
});
after(() => ws.remove());

describe('funes pack / unpack', () => {
  it('packs to a file, lists, verifies and merges it', () => {
    assert.match(funes('pack', '--cache', 'a', '-o', 'all.tar.gz'), /packed 6 objects of 2 functions/);
    const listing = JSON.parse(funes('unpack', 'all.tar.gz', '--list', '--json'));
    assert.equal(listing.objects, 6);
    assert.deepEqual(listing.versions.map((v: { function: string }) => v.function), ['square', 'train']);
    assert.match(funes('unpack', 'all.tar.gz', '--verify'), /verified 6 /);
    assert.match(funes('unpack', 'all.tar.gz', '--cache', 'b', '--dry-run'), /would add 6 /);
    const merged = JSON.parse(funes('unpack', 'all.tar.gz', '--cache', 'b', '--json'));
    assert.equal(merged.added.objects, 6);
    assert.deepEqual(ws.load(ws.cacheDir('b')), ws.load(ws.cacheDir('a')));
    assert.match(funes('unpack', 'all.tar.gz', '--cache', 'b'), /added 0 objects .*skipped 6 objects /);
  });

  it('counts the same bytes when packing, listing and unpacking', () => {
    const packed = funes('pack', '--cache', 'a', '-o', 'sizes.tar.gz');
    const size = /^packed 6 objects of 2 functions \(2 versions, ([^)]+)\) into sizes\.tar\.gz \([^)]+\)$/m.exec(packed)?.[1];
    assert.ok(size, packed);
    assert.match(funes('unpack', 'sizes.tar.gz', '--list'), new RegExp(`: 6 objects, ${size}\n`));
    assert.match(funes('unpack', 'sizes.tar.gz', '--cache', 'sizes'), new RegExp(`^added 6 objects \\(${size}\\), skipped 0 objects \\(0 bytes\\)`));
    const asJson = JSON.parse(funes('pack', '--cache', 'a', '-o', 'sizes.tar.gz', '--json'));
    assert.equal(JSON.parse(funes('unpack', 'sizes.tar.gz', '--cache', 'sizes2', '--json')).added.bytes, asJson.bytes);
    assert.equal(JSON.parse(funes('unpack', 'sizes.tar.gz', '--list', '--json')).bytes, asJson.bytes);
  });

  it('streams a bundle through a pipe with -', () => {
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" pack square --cache a -o - | "${process.execPath}" "${BIN}" unpack - --cache piped --json`], { cwd: ws.root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).added.objects, 3);
  });

  it('refuses a damaged bundle with its code and exit status 1', () => {
    const run = spawnSync(process.execPath, [BIN, 'unpack', join(ws.root, 'functions.mjs'), '--cache', 'c', '--json'], { cwd: ws.root, encoding: 'utf8' });
    assert.equal(run.status, 1);
    const { error } = JSON.parse(run.stderr);
    assert.equal(error.code, 'EBUNDLEFORMAT');
    assert.match(error.hint, /funes pack/);
    const plain = spawnSync(process.execPath, [BIN, 'unpack', join(ws.root, 'functions.mjs'), '--cache', 'c'], { cwd: ws.root, encoding: 'utf8' });
    assert.match(plain.stderr, /^error: .*\nhint: only bundles made by `funes pack` can be unpacked\n$/);
    const unknown = spawnSync(process.execPath, [BIN, 'pack', 'nope', '--cache', 'a'], { cwd: ws.root, encoding: 'utf8' });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no function 'nope' in the cache\nhint: /);
  });
});
