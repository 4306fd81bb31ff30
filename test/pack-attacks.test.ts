/**
 * Untrusted bundles: every attack on `unpack` as a crafted tarball. Each must be
 * refused with its own error code, write nothing outside the cache directory and
 * leave no temp file or partial object behind.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { decodeObject, isHash, isTempFile } from '@funes/core/internal';
import { collectGarbage, currentVersions, listCache } from '@funes/core/cache';
import { pack, readBundleManifest, unpack, type UnpackSummary } from '@funes/sync';
import {
  bundleOfObject,
  craft,
  deflatedObject,
  entriesOf,
  format1Object,
  manifestOf,
  rawObject,
  withManifest,
  writeBombBundle,
  type RawEntry,
} from './helpers/bundle-attacks.js';
import { filesUnder, makeWorkspace, type Workspace } from './helpers/bundle-caches.js';
import { PEAK_RSS_BYTES } from './helpers/processes.js';

let ws: Workspace;
let genuine: Buffer;
let entries: RawEntry[];
let objectName: string;

before(async () => {
  ws = makeWorkspace();
  ws.compute(ws.cacheDir('source'), [1, 2, 3]);
  genuine = await buffer(pack({ cacheDir: ws.cacheDir('source') }));
  entries = await entriesOf(genuine);
  objectName = entries.find((e) => isHash(e.name.split('/')[2] ?? ''))!.name;
});
after(() => ws.remove());

let sandboxes = 0;

/**
 * Unpacks `bundle` into a fresh cache inside a fresh sandbox directory and checks
 * that nothing appeared in the sandbox outside the cache, and no temp file in it.
 */
async function unpackInSandbox(
  bundle: Buffer,
  options: { maxBytes?: number; acceptFormat1?: boolean } = {},
): Promise<{ result: Promise<UnpackSummary>; cacheFiles: () => string[] }> {
  const sandbox = ws.cacheDir(`sandbox-${sandboxes++}`);
  const cacheDir = join(sandbox, 'cache');
  const result = unpack(Readable.from([bundle]), { cacheDir, ...options });
  await result.catch(() => undefined);
  const outside = filesUnder(sandbox).filter((f) => f !== 'cache' && !f.startsWith(`cache/`));
  assert.deepEqual(outside, [], 'nothing is written outside the cache directory');
  const inside = filesUnder(cacheDir);
  assert.deepEqual(
    inside.filter((f) => isTempFile(f.split('/').at(-1)!)),
    [],
    'no temp file is left',
  );
  for (const file of inside.filter((f) => f.split('/').length === 3 && isHash(f.split('/')[2]))) {
    assert.equal(decodeObject(readFileSync(join(cacheDir, file))).ok, true, `${file} is a complete object`);
  }
  return { result, cacheFiles: () => inside };
}

async function refused(
  bundle: Buffer,
  code: string,
  message?: RegExp,
  options: { maxBytes?: number } = {},
): Promise<string[]> {
  const { result, cacheFiles } = await unpackInSandbox(bundle, options);
  await assert.rejects(result, (error: Error & { code?: string; hint?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.ok(error.hint, `${code} says what to do`);
    if (message) assert.match(`${error.message}; ${error.hint}`, message);
    return true;
  });
  return cacheFiles();
}

/** The genuine entries with one extra entry (announced in the manifest when `announce`). */
function plus(extra: RawEntry): RawEntry[] {
  return [...entries, extra];
}

describe('unpack refuses crafted bundles', () => {
  it('an absolute path', async () => {
    const files = await refused(
      await craft(plus({ name: join(ws.root, 'evil'), data: Buffer.from('x') })),
      'EBUNDLEUNSAFE',
      /absolute path/,
    );
    assert.equal(files.includes('evil'), false);
  });

  it('a `..` segment', async () => {
    await refused(
      await craft(plus({ name: 'square/../../../evil', data: Buffer.from('x') })),
      'EBUNDLEUNSAFE',
      /`\.\.` segment/,
    );
  });

  it('a `..` function directory in the manifest, before anything is written', async () => {
    const manifest = manifestOf(entries);
    manifest.versions[0].functionDir = '..';
    assert.deepEqual(
      await refused(await craft(withManifest(entries, manifest)), 'EBUNDLEUNSAFE', /function directory/),
      [],
    );
  });

  it('a symbolic link', async () => {
    await refused(
      await craft(
        plus({ name: 'square/' + 'a'.repeat(64) + '/' + 'b'.repeat(64), type: 'symlink', linkname: '/etc/passwd' }),
      ),
      'EBUNDLEUNSAFE',
      /symbolic link/,
    );
  });

  it('a hard link', async () => {
    await refused(
      await craft(plus({ name: objectName.replace(/.{4}$/, 'beef'), type: 'link', linkname: '/etc/passwd' })),
      'EBUNDLEUNSAFE',
      /hard link/,
    );
  });

  it('a device file', async () => {
    await refused(
      await craft(plus({ name: 'square/dev', type: 'character-device' })),
      'EBUNDLEUNSAFE',
      /character device/,
    );
  });

  it('a name outside the store layout', async () => {
    await refused(
      await craft(plus({ name: 'README.txt', data: Buffer.from('hello') })),
      'EBUNDLEUNSAFE',
      /outside the cache layout/,
    );
    await refused(
      await craft(plus({ name: 'square/.tmp-1-abc', data: Buffer.from('hello') })),
      'EBUNDLEUNSAFE',
      /outside the cache layout/,
    );
  });

  it('a well-formed name the manifest does not announce', async () => {
    await refused(
      await craft(plus({ name: objectName.replace(/.{4}$/, 'beef'), data: Buffer.from('x') })),
      'EBUNDLEFORMAT',
      /not listed in the manifest/,
    );
  });

  it('an entry larger than declared', async () => {
    const grown = entries.map((e) =>
      e.name === objectName ? { ...e, data: Buffer.concat([e.data!, Buffer.alloc(4096)]) } : e,
    );
    await refused(await craft(grown), 'EBUNDLESIZE', /manifest declares/);
  });

  it('a decompression bomb: zeros past what the manifest accounts for', async () => {
    await refused(await craft(entries, 64 * 1024 * 1024), 'EBUNDLETOOLARGE', /its manifest accounts for/);
  });

  it('a bundle larger than the limit, and accepts it once the limit is raised', async () => {
    await refused(genuine, 'EBUNDLETOOLARGE', /raise the limit/, { maxBytes: 1000 });
    const { result } = await unpackInSandbox(genuine, { maxBytes: 1_000_000 });
    assert.equal((await result).added.objects, 6);
  });

  it('a manifest that is itself a bomb', async () => {
    const huge = [{ name: entries[0].name, data: Buffer.alloc(40 * 1024 * 1024, 0x20) }];
    await refused(await craft(huge), 'EBUNDLETOOLARGE', undefined, { maxBytes: 1024 * 1024 });
  });

  it('duplicate entries', async () => {
    const object = entries.find((e) => e.name === objectName)!;
    await refused(await craft([...entries, object]), 'EBUNDLEDUPLICATE');
    const manifest = manifestOf(entries);
    manifest.versions[0].objects.push(manifest.versions[0].objects[0]);
    manifest.objectCount++;
    manifest.bytes += manifest.versions[0].objects[0].size;
    assert.deepEqual(await refused(await craft(withManifest(entries, manifest)), 'EBUNDLEDUPLICATE'), []);
  });

  it('a second manifest', async () => {
    await refused(await craft([...entries, entries[0]]), 'EBUNDLEDUPLICATE');
  });

  it('a truncated bundle: only complete, verified objects become visible', async () => {
    for (const fraction of [0.3, 0.6, 0.9, 0.99]) {
      const cut = genuine.subarray(0, Math.floor(genuine.length * fraction));
      await refused(cut, 'EBUNDLETRUNCATED', /ends early/);
    }
  });

  it('a bundle missing announced entries', async () => {
    await refused(
      await craft(entries.filter((e) => e.name !== objectName)),
      'EBUNDLETRUNCATED',
      /1 of 8 announced entries are missing/,
    );
  });

  it('something that is not a bundle', async () => {
    await refused(Buffer.from('PK\u0003\u0004 not a gzip file at all'), 'EBUNDLEFORMAT');
    await refused(await craft(entries.slice(1)), 'EBUNDLEFORMAT', /first entry/);
    await refused(await craft([]), 'EBUNDLEFORMAT', /empty/);
    // Not one byte (an empty file, nothing piped in) is no bundle, not a bundle cut short.
    await refused(Buffer.alloc(0), 'EBUNDLEFORMAT', /^the bundle is empty \(0 bytes\)/);
    await refused(genuine.subarray(0, 5), 'EBUNDLETRUNCATED');
    const future = manifestOf(entries);
    future.version = 2;
    await refused(
      await craft(withManifest(entries, future)),
      'EBUNDLEFORMAT',
      new RegExp(
        '^the bundle has format version 2, newer than this Funes reads \\(1\\): upgrade Funes; ' +
          'install the latest @funes/cli \\(and @funes/sync, from code\\) to unpack it$',
      ),
    );
    for (const version of ['1', 0, 1.5, null]) {
      future.version = version;
      await refused(
        await craft(withManifest(entries, future)),
        'EBUNDLEFORMAT',
        /^the bundle manifest is malformed: version is .+, not 1; only bundles made by `funes pack` can be unpacked$/,
      );
    }
  });

  it('rejects a damaged object, merges the rest', async () => {
    const damaged = entries.map((e) => {
      if (e.name !== objectName) return e;
      const data = Buffer.from(e.data!);
      data[data.length - 1] ^= 0xff;
      return { ...e, data };
    });
    const { result, cacheFiles } = await unpackInSandbox(await craft(damaged));
    const summary = await result;
    assert.equal(summary.rejected.objects, 1);
    assert.equal(summary.added.objects, 5);
    assert.deepEqual(summary.rejectedList.map((p) => p.entry), [objectName]);
    assert.equal(cacheFiles().includes(objectName), false);
  });

  it('lists a genuine bundle but refuses to list a malformed manifest', async () => {
    assert.equal((await readBundleManifest(Readable.from([genuine]))).objectCount, 6);
    const manifest = manifestOf(entries);
    manifest.objectCount = 7;
    await assert.rejects(readBundleManifest(Readable.from([await craft(withManifest(entries, manifest))])), {
      code: 'EBUNDLEFORMAT',
    });
  });
});

/** The entries with every `definition.json` of function `fn` changed by `change`, the manifest kept consistent. */
function withDefinitions(from: readonly RawEntry[], fn: string, change: (metadata: any) => any): RawEntry[] {
  const manifest = manifestOf(from);
  const changed = from.map((entry) => {
    if (!entry.name.startsWith(`${fn}/`) || !entry.name.endsWith('/definition.json')) return entry;
    const data = Buffer.from(JSON.stringify(change(JSON.parse(entry.data!.toString('utf8')))));
    const version = manifest.versions.find(
      (v: any) => entry.name === `${v.functionDir}/${v.definitionHash}/definition.json`,
    );
    manifest.bytes += data.length - version.metadata.size;
    version.metadata = { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    return { ...entry, data };
  });
  return withManifest(changed, manifest);
}

describe('definition.json from a bundle', () => {
  it('is refused, naming the entry, when it breaks its contract or describes another version or function', async () => {
    const other = 'f'.repeat(64);
    for (const [change, reason] of [
      [(m: any) => ({ ...m, definitionHash: other }), /its definition hash is not its directory name/],
      [(m: any) => ({ ...m, name: 'train' }), /its function name is not its directory name/],
      [(m: any) => ({ ...m, source: 42 }), /no source text/],
      [(m: any) => ({ ...m, createdAt: 'soon' }), /no valid createdAt time/],
    ] as const) {
      const { result, cacheFiles } = await unpackInSandbox(await craft(withDefinitions(entries, 'square', change)));
      const summary = await result;
      const rejected = summary.rejectedList.filter(
        (p) => p.entry.startsWith('square/') && p.entry.endsWith('/definition.json'),
      );
      assert.equal(rejected.length, 1, JSON.stringify(summary.rejectedList));
      assert.match(rejected[0].reason, reason);
      assert.deepEqual(
        cacheFiles().filter((f) => f.startsWith('square/') && f.endsWith('definition.json')),
        [],
        'never written',
      );
    }
  });

  it('cannot make a version current by its dates: a future-dated version unpacked next to one in use is ' +
      'collected, the one in use kept', async () => {
    const target = ws.cacheDir('in-use');
    ws.compute(target, [1, 2]);
    const source = ws.cacheDir('future-source');
    ws.compute(source, [1], { version: 'v2' });
    const future = withDefinitions(await entriesOf(await buffer(pack({ cacheDir: source }))), 'square', (m) => ({
      ...m,
      createdAt: '2999-01-01T00:00:00.000Z',
    }));
    const summary = await unpack(Readable.from([await craft(future)]), { cacheDir: target });
    assert.equal(summary.rejectedList.length, 0, JSON.stringify(summary.rejectedList));
    const squares = listCache(target).versions.filter((v) => v.name === 'square');
    assert.equal(squares.length, 2);
    const [current] = currentVersions(squares);
    assert.notEqual(current.lastUsedMs, null, 'the version computed here is current, not the future-dated one');
    const collected = collectGarbage(listCache(target), {
      keep: 1,
      graceMs: 0,
      maxDiskBytes: undefined,
      tempGraceMs: 3_600_000,
      now: Date.now(),
      dryRun: false,
    });
    const removed = collected.removedVersions.filter((v) => v.function === 'square').map((v) => v.hash);
    assert.deepEqual(
      removed,
      squares.filter((v) => v !== current).map((v) => v.hash),
    );
    assert.equal((ws.load(target) as any).square.length, 2, 'every result of the version in use kept');
  });
});

describe('objects from a bundle', () => {
  it('an object sealed under another key is refused, naming the entry, even with a manifest that agrees', async () => {
    const manifest = manifestOf(entries);
    const version = manifest.versions.find((v: any) => v.objects.length >= 2);
    const [a, b] = version.objects;
    const nameOf = (o: any) => `${version.functionDir}/${version.definitionHash}/${o.argumentHash}`;
    const dataOf = (o: any) => entries.find((e) => e.name === nameOf(o))!.data!;
    // B's valid object at A's key, A's at B's, sizes and digests listed as they are.
    [a.argumentHash, b.argumentHash] = [b.argumentHash, a.argumentHash];
    const swapped = entries.map((e) =>
      e.name === nameOf(a) ? { ...e, data: dataOf(b) } : e.name === nameOf(b) ? { ...e, data: dataOf(a) } : e,
    );
    const { result, cacheFiles } = await unpackInSandbox(await craft(withManifest(swapped, manifest)));
    const summary = await result;
    const refusedEntries = summary.rejectedList
      .filter((p) => /stored under another key/.test(p.reason))
      .map((p) => p.entry);
    assert.deepEqual(refusedEntries.sort(), [nameOf(a), nameOf(b)].sort(), JSON.stringify(summary.rejectedList));
    assert.deepEqual(
      cacheFiles().filter((f) => f === nameOf(a) || f === nameOf(b)),
      [],
      'neither swapped object is written',
    );
  });

  it('an object in format 1, which carries no address, is refused with EUNADDRESSED and the way out; ' +
      'merged only when format 1 is accepted', async () => {
    const manifest = manifestOf(entries);
    const version = manifest.versions.find((v: any) => v.objects.length >= 2);
    const [target] = version.objects;
    const name = `${version.functionDir}/${version.definitionHash}/${target.argumentHash}`;
    // Another call's valid result, in the format that names no call, where this call's would be.
    const planted = format1Object();
    Object.assign(target, { size: planted.bytes.length, digest: planted.digest });
    manifest.bytes = entries.slice(1).reduce((sum, e) => sum + (e.name === name ? planted.bytes : e.data!).length, 0);
    const crafted = await craft(
      withManifest(
        entries.map((e) => (e.name === name ? { ...e, data: planted.bytes } : e)),
        manifest,
      ),
    );
    const { result, cacheFiles } = await unpackInSandbox(crafted);
    const summary = await result;
    assert.equal(summary.rejectedList.length, 1, JSON.stringify(summary.rejectedList));
    const [problem] = summary.rejectedList;
    assert.equal(problem.entry, name);
    assert.equal(problem.code, 'EUNADDRESSED');
    assert.match(problem.reason, /format 1 .*carries no address.*--accept-format-1, or the acceptFormat1 option/);
    assert.equal(cacheFiles().includes(name), false, 'the planted object is not written');
    assert.equal(summary.added.objects, manifest.objectCount - 1, 'the rest is merged');

    const verified = await unpack(Readable.from([crafted]), { mode: 'verify' });
    assert.deepEqual(verified.rejectedList, summary.rejectedList, '--verify says what a merge would refuse');
    const accepted = await unpackInSandbox(crafted, { acceptFormat1: true });
    const merged = await accepted.result;
    assert.deepEqual([merged.added.objects, merged.rejectedList], [manifest.objectCount, []]);
    assert.equal(accepted.cacheFiles().includes(name), true);
  });
});

/**
 * Unpacks the bundle at `bundle` into `cacheDir` in a child process, as `funes unpack`
 * would, and reports what it did and its peak resident memory.
 */
function unpackInChild(
  bundle: string,
  cacheDir: string,
  options: { acceptFormat1?: boolean } = {},
): { summary?: UnpackSummary; error?: { code: string; message: string }; maxRssBytes: number } {
  const script = `
    import { createReadStream } from 'node:fs';
    import { unpack } from '@funes/sync';
    const [bundle, cacheDir, options] = process.argv.slice(1);
    const outcome = await unpack(createReadStream(bundle), { cacheDir, ...JSON.parse(options) })` +
        `.then((summary) => ({ summary }), (error) => ({ error: { code: error.code, message: error.message } }));
    console.log(JSON.stringify({ ...outcome, maxRssBytes: ${PEAK_RSS_BYTES} }));
  `;
  const root = fileURLToPath(new URL('..', import.meta.url));
  return JSON.parse(
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, bundle, cacheDir, JSON.stringify(options)],
      { cwd: root, encoding: 'utf8' },
    ),
  );
}

describe('unpack keeps its memory bounded whatever a bundle declares', () => {
  const MAX_RSS = 200 * 1024 * 1024;
  // The crafted objects are in format 1, the simplest to write by hand: accepted, so that their bytes are checked.
  const FORMAT_1 = { acceptFormat1: true };

  it('a 3 MB gzip bomb declaring a 3 GiB object: rejected, naming the entry, in under 200 MB', async () => {
    const sandbox = ws.cacheDir('bomb-sandbox');
    mkdirSync(sandbox);
    const bundle = join(ws.root, 'bomb.tar.gz');
    const { entry } = await writeBombBundle(bundle, 3 * 2 ** 30);
    assert.ok(statSync(bundle).size < 4 * 1024 * 1024, 'the bundle is small');
    const cacheDir = join(sandbox, 'cache');
    const { summary, error, maxRssBytes } = unpackInChild(bundle, cacheDir);
    assert.equal(error, undefined, JSON.stringify(error));
    assert.deepEqual(summary!.rejectedList, [{ entry, reason: 'not a Funes object' }]);
    assert.equal(summary!.added.objects, 0);
    assert.ok(maxRssBytes <= MAX_RSS, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
    assert.deepEqual(
      filesUnder(sandbox),
      ['cache', 'cache/.gitignore'],
      'nothing outside the cache, no temp file, no empty version directory',
    );
  });

  it('a small object whose payload inflates a thousandfold: checked as it streams, like a large one, ' +
      'and merged intact in under 200 MB', async () => {
    const sandbox = ws.cacheDir('inflating-sandbox');
    mkdirSync(sandbox);
    const object = deflatedObject(Buffer.alloc(256 * 2 ** 20), 9);
    assert.ok(object.bytes.length < 2 ** 20, 'an object small enough to be gathered whole');
    const bundle = join(ws.root, 'inflating.tar.gz');
    writeFileSync(bundle, await bundleOfObject(object));
    const cacheDir = join(sandbox, 'cache');
    const { summary, error, maxRssBytes } = unpackInChild(bundle, cacheDir, FORMAT_1);
    assert.equal(error, undefined, JSON.stringify(error));
    assert.deepEqual([summary!.added.objects, summary!.rejectedList], [1, []]);
    assert.ok(maxRssBytes <= MAX_RSS, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
    const [stored] = filesUnder(cacheDir).filter((file) => isHash(file.split('/')[2] ?? ''));
    assert.deepEqual(readFileSync(join(cacheDir, stored)), object.bytes);
  });

  it('a gigabyte sparse file where the cache holds an object: judged from its size and header, ' +
      'kept, never read whole', async () => {
    const sandbox = ws.cacheDir('sparse-sandbox');
    const cacheDir = join(sandbox, 'cache');
    cpSync(ws.cacheDir('source'), cacheDir, { recursive: true });
    const bundle = join(ws.root, 'genuine.tar.gz');
    writeFileSync(bundle, genuine);
    const inPlace = join(cacheDir, objectName);
    truncateSync(inPlace, 2 ** 30);
    const { summary, error, maxRssBytes } = unpackInChild(bundle, cacheDir);
    assert.equal(error, undefined, JSON.stringify(error));
    assert.deepEqual(
      summary!.conflictList.map((c) => c.entry),
      [objectName],
      JSON.stringify(summary!.conflictList),
    );
    assert.match(summary!.conflictList[0].reason, /damaged object for this call; kept it/);
    assert.equal(statSync(inPlace).size, 2 ** 30, 'the file in the way is kept');
    assert.ok(maxRssBytes <= MAX_RSS, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
  });

  it('a large object the cache already holds is compared chunk by chunk: skipped, in under 200 MB', () => {
    const sandbox = ws.cacheDir('again-sandbox');
    mkdirSync(sandbox);
    const bundle = join(ws.root, 'large-again.tar.gz');
    // Written by a child process: a child's peak RSS starts from its parent's, which must stay small.
    const helpers = new URL('./helpers/bundle-attacks.ts', import.meta.url).href;
    execFileSync(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { writeFileSync } from 'node:fs';
       import { randomBytes } from 'node:crypto';
       import { bundleOfObject, rawObject } from '${helpers}';
       writeFileSync(process.argv[1], await bundleOfObject(rawObject(randomBytes(160 * 2 ** 20))));`,
      bundle,
    ]);
    const cacheDir = join(sandbox, 'cache');
    const first = unpackInChild(bundle, cacheDir, FORMAT_1);
    assert.equal(first.summary?.added.objects, 1, JSON.stringify(first.error ?? first.summary?.rejectedList));
    const { summary, error, maxRssBytes } = unpackInChild(bundle, cacheDir, FORMAT_1);
    assert.equal(error, undefined, JSON.stringify(error));
    assert.equal(summary!.skipped.objects, 1, JSON.stringify(summary!.conflictList));
    assert.ok(maxRssBytes <= MAX_RSS, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
  });

  it('a deflated object is inflated as it streams: merged intact, ' +
      'or rejected when its payload is damaged', async () => {
    // Sixteen symbols in a pseudo-random order: deflates to about half, well past what is checked in one piece.
    const payload = Buffer.alloc(8 * 2 ** 20);
    for (let i = 0, x = 1; i < payload.length; i++) {
      payload[i] = (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) >>> 28;
    }
    const object = deflatedObject(payload);
    assert.ok(
      object.bytes.length > 2 * 2 ** 20 && object.bytes.length < payload.length,
      `${object.bytes.length} bytes stored`,
    );
    const { result, cacheFiles } = await unpackInSandbox(await bundleOfObject(object), FORMAT_1);
    const summary = await result;
    assert.equal(summary.added.objects, 1, JSON.stringify(summary.rejectedList));
    const stored = cacheFiles().find((f) => f.startsWith('big/') && isHash(f.split('/')[2] ?? ''))!;
    assert.ok(stored, 'the object is in the cache');
    const damaged = Buffer.from(object.bytes);
    damaged.fill(0xff, 1000, 1100);
    const rejected = await (
      await unpackInSandbox(await bundleOfObject({ bytes: damaged, digest: object.digest }), FORMAT_1)
    ).result;
    assert.equal(rejected.rejected.objects, 1);
    assert.match(rejected.rejectedList[0].reason, /does not decompress|wrong size|checksum mismatch/);
  });

  it('an object with a valid header and 256 MiB of payload that fails its checksum: streamed through a ' +
      'temp file, then removed', async () => {
    const sandbox = ws.cacheDir('checksum-sandbox');
    mkdirSync(sandbox);
    const bundle = join(ws.root, 'checksum.tar.gz');
    const size = 256 * 2 ** 20;
    const { bytes } = rawObject(Buffer.alloc(0));
    const header = Buffer.from(bytes.subarray(0, 56));
    header.writeBigUInt64LE(BigInt(size - 56), 8);
    header.writeBigUInt64LE(BigInt(size - 56), 16);
    const { entry } = await writeBombBundle(bundle, size, header);
    const cacheDir = join(sandbox, 'cache');
    const { summary, error, maxRssBytes } = unpackInChild(bundle, cacheDir, FORMAT_1);
    assert.equal(error, undefined, JSON.stringify(error));
    assert.deepEqual(summary!.rejectedList, [{ entry, reason: 'checksum mismatch' }]);
    assert.ok(maxRssBytes <= MAX_RSS, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
    assert.deepEqual(
      filesUnder(sandbox),
      ['cache', 'cache/.gitignore'],
      'nothing outside the cache, no temp file, no empty version directory',
    );
  });
});
