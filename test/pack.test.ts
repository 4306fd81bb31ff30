/**
 * Bundles end to end: real caches written by memorious in child processes, packed,
 * unpacked into other caches and read back with loadCachedResults.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { pack, readBundleManifest, unpack, PackSelectionError, type PackOptions } from '@funes/sync';
import { bundleOfObject, deflatedObject, entriesOf, rawObject } from './helpers/bundle-attacks.js';
import { filesUnder, makeWorkspace, type Workspace } from './helpers/bundle-caches.js';

const bundleOf = (options: PackOptions) => buffer(pack(options));
const streamOf = (bytes: Buffer) => Readable.from([bytes]);

let ws: Workspace;
let cacheA: string;

before(() => {
  ws = makeWorkspace();
  cacheA = ws.cacheDir('a');
  ws.compute(cacheA, [1, 2, 3]);
});
after(() => ws.remove());

describe('pack then unpack', () => {
  it('moves a whole cache: loadCachedResults in the new cache equals the old one', async () => {
    const bytes = await bundleOf({ cacheDir: cacheA });
    const cacheB = ws.cacheDir('round-trip');
    const summary = await unpack(streamOf(bytes), { cacheDir: cacheB });
    assert.deepEqual(summary.added, { objects: 6, bytes: summary.manifest.bytes - metadataBytes(summary.manifest) });
    assert.deepEqual(summary.metadata, { added: 2, skipped: 0 });
    assert.equal(summary.rejected.objects + summary.conflicts.objects + summary.skipped.objects, 0);
    assert.deepEqual(ws.load(cacheB), ws.load(cacheA));
    assert.deepEqual(filesUnder(cacheB), filesUnder(cacheA));
    for (const file of filesUnder(cacheA).filter((f) => f.endsWith('definition.json'))) {
      assert.deepEqual(readFileSync(join(cacheB, file)), readFileSync(join(cacheA, file)));
    }
  });

  it('unpacks a bundle however its tar is gzipped: one member, ' +
      'as earlier versions wrote them, or several', async () => {
    const tarBytes = gunzipSync(await bundleOf({ cacheDir: cacheA }));
    const cut = tarBytes.length >> 1;
    const variants = {
      'one-member': gzipSync(tarBytes, { level: 6 }),
      'two-members': Buffer.concat([
        gzipSync(tarBytes.subarray(0, cut), { level: 1 }),
        gzipSync(tarBytes.subarray(cut), { level: 0 }),
      ]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const cacheB = ws.cacheDir(name);
      const summary = await unpack(streamOf(bytes), { cacheDir: cacheB });
      assert.equal(summary.added.objects, 6, name);
      assert.deepEqual(ws.load(cacheB), ws.load(cacheA), name);
    }
  });

  it('lists a bundle from its manifest alone', async () => {
    const bytes = await bundleOf({ cacheDir: cacheA });
    const manifest = await readBundleManifest(streamOf(bytes));
    assert.equal(manifest.objectCount, 6);
    assert.deepEqual(manifest.versions.map((v) => v.functionDir), ['square', 'train']);
    // The manifest is the first entry, so a bundle cut after it still lists.
    const cut = await readBundleManifest(streamOf(bytes.subarray(0, Math.ceil(bytes.length * 0.6))));
    assert.equal(cut.objectCount, 6);
  });

  it('packs only the functions asked for', async () => {
    const bytes = await bundleOf({ cacheDir: cacheA, functions: ['square'] });
    const cacheB = ws.cacheDir('partial');
    const summary = await unpack(streamOf(bytes), { cacheDir: cacheB });
    assert.equal(summary.added.objects, 3);
    const loaded = ws.load(cacheB) as { square: unknown[]; train: unknown[] };
    assert.deepEqual(loaded.square, (ws.load(cacheA) as { square: unknown[] }).square);
    assert.deepEqual(loaded.train, []);
  });

  it('refuses a function the cache does not hold', () => {
    assert.throws(() => pack({ cacheDir: cacheA, functions: ['nope'] }), {
      code: 'ENOFUNCTION',
      message: /no function 'nope' in the cache/,
    });
    assert.throws(
      () => pack({ cacheDir: cacheA, functions: ['square'], since: new Date(Date.now() + 3_600_000) }),
      PackSelectionError,
    );
    assert.throws(() => pack({ cacheDir: cacheA, functions: ['square'], since: new Date(Date.now() + 3_600_000) }), {
      code: 'ENOFUNCTION',
    });
  });

  it('refuses, with EINVALID and the fix, options it cannot honour, instead of packing everything or ' +
      'failing half-way through the stream', () => {
    const invalid = (message: RegExp) => (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'EINVALID', error.message);
      assert.match(error.message, message);
      assert.ok(error.hint, 'it says what to pass');
      return true;
    };
    for (const since of [new Date('last week'), '7d', Date.now()]) {
      assert.throws(() => pack({ cacheDir: cacheA, since: since as never }), invalid(/since must be a valid Date/));
    }
    for (const level of [10, -1, 2.5, '9']) {
      assert.throws(() => pack({ cacheDir: cacheA, level: level as never }), invalid(/level must be a whole number/));
    }
    assert.throws(() => pack({ cacheDir: cacheA, functions: 'square' as never }), invalid(/functions must be a list/));
    assert.throws(() => pack({} as never), invalid(/cacheDir/));
  });

  it('takes objects written since a time', async () => {
    const future = await bundleOf({ cacheDir: cacheA, since: new Date(Date.now() + 3_600_000) });
    assert.equal((await readBundleManifest(streamOf(future))).objectCount, 0);
    const recent = await bundleOf({ cacheDir: cacheA, since: new Date(Date.now() - 3_600_000) });
    assert.equal((await readBundleManifest(streamOf(recent))).objectCount, 6);
  });

  it('takes the newest version by default, every version with allVersions, one by hash prefix', async () => {
    const cache = ws.cacheDir('versions');
    ws.compute(cache, [1], { version: 'v1' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    ws.compute(cache, [2, 3], { version: 'v2' });
    const squares = async (options: Partial<PackOptions>) =>
      (await readBundleManifest(streamOf(await bundleOf({ cacheDir: cache, functions: ['square'], ...options }))))
        .versions;
    const newest = await squares({});
    assert.equal(newest.length, 1);
    assert.equal(newest[0].objects.length, 2);
    const all = await squares({ allVersions: true });
    assert.equal(all.length, 2);
    const old = all.find((v) => v.objects.length === 1)!;
    const picked = await squares({ functions: [`square@${old.definitionHash.slice(0, 8)}`] });
    assert.deepEqual(picked, [old]);
    const cacheB = ws.cacheDir('versions-b');
    await unpack(streamOf(await bundleOf({ cacheDir: cache, allVersions: true })), { cacheDir: cacheB });
    assert.deepEqual(ws.load(cacheB, { version: 'v1' }), ws.load(cache, { version: 'v1' }));
    assert.deepEqual(ws.load(cacheB, { version: 'v2' }), ws.load(cache, { version: 'v2' }));
  });
});

describe('merging into a cache that has entries', () => {
  it('adds new objects, skips identical ones and keeps the cache’s object on a conflict', async () => {
    const cacheB = ws.cacheDir('overlap');
    ws.compute(cacheB, [3, 4]);
    const beforeB = ws.load(cacheB) as { square: { argumentHash: string }[] };
    const bytes = await bundleOf({ cacheDir: cacheA });

    const dry = await unpack(streamOf(bytes), { cacheDir: cacheB, mode: 'dry-run' });
    assert.deepEqual(ws.load(cacheB), beforeB, 'a dry run writes nothing');

    const summary = await unpack(streamOf(bytes), { cacheDir: cacheB });
    // x = 1, 2 are new for both functions; x = 3 was computed on both sides (other createdAt): a conflict.
    assert.equal(summary.added.objects, 4);
    assert.equal(summary.conflicts.objects, 2);
    assert.equal(summary.skipped.objects, 0);
    assert.deepEqual(summary.metadata, { added: 0, skipped: 2 });
    assert.equal(summary.conflictList.length, 2);
    assert.match(summary.conflictList[0].reason, /kept the cache/);
    for (const key of ['added', 'conflicts', 'skipped'] as const) assert.deepEqual(dry[key], summary[key]);

    const merged = ws.load(cacheB) as { square: { argumentHash: string; input: { x: number } }[] };
    assert.deepEqual(merged.square.map((r) => r.input.x).sort(), [1, 2, 3, 4]);
    const three = (rows: { argumentHash: string; input?: unknown }[]) =>
      rows.find((r) => (r.input as { x: number }).x === 3);
    assert.deepEqual(three(merged.square), three(beforeB.square as never), 'the cache keeps its own x = 3');

    const again = await unpack(streamOf(bytes), { cacheDir: cacheB });
    assert.equal(again.added.objects, 0);
    assert.equal(again.skipped.objects, 4);
    assert.equal(again.conflicts.objects, 2);
  });

  it('reads bundles larger than the allowance for a manifest (128 MiB) before it', async () => {
    const bundle = await bundleOfObject(rawObject(Buffer.alloc(130 * 1024 * 1024)));
    const summary = await unpack(streamOf(bundle), { mode: 'verify', acceptFormat1: true });
    assert.equal(summary.verified.objects, 1);
    await assert.rejects(unpack(streamOf(bundle), { mode: 'verify', maxBytes: 100 * 1024 * 1024 }), {
      code: 'EBUNDLETOOLARGE',
    });
  });

  it('says which file is in the way when the cache holds a file where a function or version directory goes',
    async () => {
      const bytes = await bundleOf({ cacheDir: cacheA });
      const [version] = (await readBundleManifest(streamOf(bytes))).versions;
      for (const inTheWay of [version.functionDir, `${version.functionDir}/${version.definitionHash}`]) {
        const cacheDir = ws.cacheDir(`in-the-way-${inTheWay.length}`);
        mkdirSync(join(cacheDir, version.functionDir), { recursive: true });
        rmSync(join(cacheDir, inTheWay), { recursive: true, force: true });
        writeFileSync(join(cacheDir, inTheWay), 'not a directory');
        await assert.rejects(unpack(streamOf(bytes), { cacheDir }), {
          code: 'ENOTDIR',
          message: `${join(cacheDir, inTheWay)} is a file, where the cache keeps a directory`,
          hint: 'move it out of the cache directory, then run the command again',
        });
      }
    });

  it('verifies a bundle without a cache directory and writes nothing', async () => {
    const before = filesUnder(ws.root);
    const summary = await unpack(streamOf(await bundleOf({ cacheDir: cacheA })), { mode: 'verify' });
    assert.equal(summary.verified.objects, 6);
    assert.equal(summary.added.objects, 0);
    assert.deepEqual(filesUnder(ws.root), before);
    assert.equal(existsSync(join(ws.root, 'cache')), false);
  });

  it('refuses, with EINVALID and the fix, a source that is no stream of bytes or options it cannot honour — ' +
      'never hanging, guessing, or unpacking without its size limit', async () => {
    const genuine = await bundleOf({ cacheDir: cacheA });
    const file = join(ws.root, 'invalid-options.tar.gz');
    writeFileSync(file, genuine);
    const cacheDir = ws.cacheDir('invalid-options');
    const invalid = (message: RegExp, hint: RegExp) => (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'EINVALID', error.message);
      assert.match(error.message, message);
      assert.match(error.hint ?? '', hint);
      return true;
    };
    const paths = invalid(/is a path, not the bundle's bytes/, /createReadStream\(path\)/);
    await assert.rejects(unpack(file as never, { cacheDir }), paths);
    await assert.rejects(readBundleManifest(file as never), paths);
    const notBytes = invalid(/a stream or async iterable of bytes/, /Readable\.from\(\[bytes\]\)/);
    for (const source of [undefined, genuine, 42]) {
      await assert.rejects(unpack(source as never, { cacheDir }), notBytes);
      await assert.rejects(readBundleManifest(source as never), notBytes);
    }
    for (const maxBytes of [Number.NaN, -1, 0, '4GiB']) {
      await assert.rejects(
        unpack(streamOf(genuine), { cacheDir, maxBytes: maxBytes as never }),
        invalid(/maxBytes must be a number of bytes above 0/, /4294967296/),
      );
    }
    await assert.rejects(
      unpack(streamOf(genuine), { cacheDir, mode: 'check' as never }),
      invalid(/mode "check"/, /'merge', 'dry-run' or 'verify'/),
    );
    assert.equal(existsSync(cacheDir), false, 'nothing is written');
  });
});

describe('packing large caches', () => {
  it('packs a bundle of many members that unpack and tar xzf read, ' +
      'its entries grouped by how they compress', async () => {
    const cacheDir = ws.cacheDir('large');
    const version = join(cacheDir, 'blob', 'd'.repeat(64));
    mkdirSync(version, { recursive: true });
    const objects = {
      [`${'1'.repeat(64)}`]: rawObject(randomBytes(2_500_000)).bytes,
      [`${'2'.repeat(64)}`]: deflatedObject(Buffer.alloc(3_000_000, 'abc')).bytes,
      [`${'3'.repeat(64)}`]: rawObject(Buffer.from('small')).bytes,
      [`${'4'.repeat(64)}`]: rawObject(randomBytes(2_500_000)).bytes,
      [`${'5'.repeat(64)}`]: rawObject(randomBytes(2_500_000)).bytes,
      [`${'6'.repeat(64)}`]: rawObject(Buffer.from('tiny')).bytes,
    };
    for (const [name, bytes] of Object.entries(objects)) writeFileSync(join(version, name), bytes);
    const progress: number[] = [];
    const bundle = await bundleOf({ cacheDir, allVersions: true, onProgress: ({ entries }) => progress.push(entries) });
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);

    // Objects written by hand in format 1: accepted, as from a bundle one trusts.
    const summary = await unpack(streamOf(bundle), { mode: 'verify', acceptFormat1: true });
    assert.deepEqual(summary.verified, { objects: 6, bytes: summary.manifest.bytes });
    assert.equal(summary.rejected.objects, 0);
    // The manifest, then small objects, then large ones the store kept raw, then deflated ones.
    const group: Record<string, string> = {
      f: 'manifest',
      3: 'small',
      6: 'small',
      1: 'raw',
      4: 'raw',
      5: 'raw',
      2: 'deflated',
    };
    const order = (await entriesOf(bundle)).map((entry) => group[entry.name.split('/').pop()![0]]);
    assert.deepEqual(order, ['manifest', 'small', 'small', 'raw', 'raw', 'raw', 'deflated']);

    const into = ws.cacheDir('large-by-tar');
    mkdirSync(into);
    execFileSync('tar', ['xzf', '-', '-C', into], { input: bundle });
    for (const [name, bytes] of Object.entries(objects)) {
      assert.deepEqual(readFileSync(join(into, 'blob', 'd'.repeat(64), name)), bytes);
    }
  });

  it('packs the objects as the manifest lists them when they are removed or replaced (a refresh renames a new ' +
      'result over one) after it is made; fails with ECACHECHANGED when one is changed in place', async () => {
    const cacheDir = ws.cacheDir('changing');
    ws.compute(cacheDir, [7]);
    const objects = filesUnder(cacheDir).filter((file) => /\/[0-9a-f]{64}\/[0-9a-f]{64}$/.test(file));
    const planned = new Map(objects.map((object) => [object, readFileSync(join(cacheDir, object))]));
    const [removedObject, replacedObject] = objects;
    const packing = pack({ cacheDir });
    rmSync(join(cacheDir, removedObject));
    // Another result of the same call, renamed over the listed one as the store writes.
    const other = Buffer.from(planned.get(replacedObject)!);
    other[other.length - 1] ^= 1;
    writeFileSync(join(cacheDir, `${replacedObject}.new`), other);
    renameSync(join(cacheDir, `${replacedObject}.new`), join(cacheDir, replacedObject));
    const entries = await entriesOf(await buffer(packing));
    for (const [object, bytes] of planned) {
      assert.deepEqual(entries.find((entry) => entry.name === object)?.data, bytes, `${object} as planned`);
    }
    const changed = pack({ cacheDir });
    appendFileSync(join(cacheDir, replacedObject), 'x');
    await assert.rejects(buffer(changed), { code: 'ECACHECHANGED' });
  });
});

function metadataBytes(manifest: { versions: readonly { metadata: { size: number } | null }[] }): number {
  return manifest.versions.reduce((sum, v) => sum + (v.metadata?.size ?? 0), 0);
}
