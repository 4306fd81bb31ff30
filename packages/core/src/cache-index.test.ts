import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listEntries, listVersions, scanVersion, tempFilePid } from './cache-index.js';
import { metadataDefect, readVersionMetadata } from './version-metadata.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
let cache: string;

before(() => {
  cache = mkdtempSync(join(tmpdir(), 'funes-cache-index-'));
  const version = join(cache, 'train', H1);
  mkdirSync(version, { recursive: true });
  mkdirSync(join(cache, 'train', 'not-a-hash'));
  mkdirSync(join(cache, '.hidden', H2), { recursive: true });
  mkdirSync(join(cache, 'eval', H2), { recursive: true });
  writeFileSync(join(cache, 'stray-file'), '');
  writeFileSync(join(version, H2), 'object bytes');
  writeFileSync(join(version, '.tmp-1234-00ff00ff00ff'), 'partial');
  writeFileSync(join(version, 'notes.txt'), 'ignored');
  writeFileSync(join(version, 'definition.json'), JSON.stringify({ ...complete('train', H1), later: true }));
});
after(() => rmSync(cache, { recursive: true, force: true }));

test('lists version directories only, and throws when the cache directory is missing', () => {
  const versions = listVersions(cache).sort((a, b) => a.functionDir.localeCompare(b.functionDir));
  assert.deepEqual(
    versions.map((v) => [v.functionDir, v.definitionHash]),
    [
      ['eval', H2],
      ['train', H1],
    ],
  );
  assert.throws(() => listVersions(join(cache, 'missing')), { code: 'ENOENT' });
});

test('scans objects, temp files and metadata of a version', () => {
  const contents = scanVersion(join(cache, 'train', H1));
  assert.deepEqual(contents.entries.map((e) => [e.argumentHash, e.size]), [[H2, 12]]);
  assert.deepEqual(contents.temps.map((t) => [t.name, t.pid, t.size]), [['.tmp-1234-00ff00ff00ff', 1234, 7]]);
  assert.ok(contents.metadataSize > 0);
  assert.deepEqual(listEntries(join(cache, 'train', H1)), [H2]);
  assert.deepEqual(scanVersion(join(cache, 'gone')), {
    entries: [],
    temps: [],
    locks: [],
    metadataSize: 0,
    otherDiskBytes: 0,
    lastUsedMs: null,
    projectUses: [],
    names: [],
  });
  assert.deepEqual(listEntries(join(cache, 'gone')), []);
});

/** A definition.json with every field its contract requires. */
function complete(name: string, definitionHash: string) {
  return {
    format: 1,
    name,
    definitionHash,
    module: null,
    source: 'x',
    dependencies: [],
    warnings: [],
    pinnedVersion: null,
    createdAt: '2026-11-25T00:00:00Z',
    funes: '0.1.0',
  };
}

test('reads metadata, keeping unknown fields, and names what is wrong with a damaged one', () => {
  const ok = readVersionMetadata(join(cache, 'train', H1), H1);
  assert.equal(ok.status, 'ok');
  assert.equal(ok.status === 'ok' && ok.metadata.module, null);
  assert.equal(ok.status === 'ok' && (ok.metadata as unknown as { later: boolean }).later, true);
  assert.deepEqual(readVersionMetadata(join(cache, 'eval', H2)), { status: 'missing' });
  const damaged = join(cache, 'eval', H2);
  for (const [text, reason] of [
    ['{"name": "ev', 'not valid JSON'],
    ['[]', 'not a JSON object'],
    [JSON.stringify({ ...complete('eval', H2), name: undefined }), 'no function name'],
    [JSON.stringify(complete('eval', H1)), 'its definition hash is not its directory name'],
    [JSON.stringify({ ...complete('eval', H2), createdAt: 'yesterday' }), 'no valid createdAt time'],
    [JSON.stringify({ ...complete('eval', H2), format: 2 }), 'its format is not 1'],
    [JSON.stringify({ ...complete('eval', H2), source: undefined }), 'no source text'],
    [JSON.stringify({ ...complete('eval', H2), dependencies: ['x'] }), 'dependencies is not a list of objects'],
    [JSON.stringify({ ...complete('eval', H2), warnings: [1] }), 'warnings is not a list of strings'],
    // What a reader's recursion would overflow on (printing it, comparing it), refused before any reads it.
    [
      JSON.stringify({ ...complete('eval', H2), later: 'DEEP' })
        .replace('"DEEP"', '['.repeat(200_000) + ']'.repeat(200_000)),
      'nested deeper than 100 levels',
    ],
  ]) {
    writeFileSync(join(damaged, 'definition.json'), text);
    assert.deepEqual(readVersionMetadata(damaged, H2), {
      status: 'damaged',
      file: join(damaged, 'definition.json'),
      reason,
    });
  }
  assert.equal(metadataDefect(complete('eval', H2), { functionDir: 'eval', definitionHash: H2 }), undefined);
  const nested = (depth: number): unknown =>
    depth === 0 ? 'leaf' : depth % 2 ? [nested(depth - 1)] : { a: nested(depth - 1) };
  const deepest = { ...complete('eval', H2), later: nested(99) };
  assert.equal(metadataDefect(deepest, { definitionHash: H2 }), undefined, '100 levels, the object itself included');
  assert.equal(metadataDefect({ ...deepest, later: [deepest.later] }, {}), 'nested deeper than 100 levels');
  assert.equal(
    metadataDefect(complete('eval', H2), { functionDir: 'train', definitionHash: H2 }),
    'its function name is not its directory name',
  );
});

test('temp file names carry the writing pid', () => {
  assert.equal(tempFilePid('.tmp-4242-0123456789ab'), 4242);
  assert.equal(tempFilePid('.tmp-abc'), undefined);
  assert.equal(tempFilePid('4242-0123'), undefined);
});
