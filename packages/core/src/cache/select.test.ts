import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseSpec,
  resolveArgumentHash,
  resolveVersion,
  selectCurrent,
  selectVersions,
  SelectionError,
  versionsOf,
} from './select.js';
import type { CachedVersion } from './versions.js';

function version(name: string, hash: string, lastUsedMs: number, module: string | null = `${name}.ts`): CachedVersion {
  const full = hash.padEnd(64, '0');
  return {
    functionDir: name,
    name,
    module,
    hash: full,
    dir: `/cache/${name}/${full}`,
    lastUsedMs,
    usedHereMs: null,
    changedMs: 0,
    createdMs: null,
    metadata: { status: 'ok' } as CachedVersion['metadata'],
  };
}

const versions = [
  version('train', 'aaaa1111', 1),
  version('train', 'aaaa2222', 2),
  version('train', 'bbbb', 3, 'lab/train.ts'),
  version('predict', 'cccc', 4),
];

test('specs name a function, a version of one, or a bare hash', () => {
  assert.deepEqual(parseSpec('train'), { name: 'train', hashPrefix: undefined, text: 'train' });
  assert.deepEqual(parseSpec('train@AAAA11'), { name: 'train', hashPrefix: 'aaaa11', text: 'train@AAAA11' });
  assert.deepEqual(parseSpec('@cccc'), { name: undefined, hashPrefix: 'cccc', text: '@cccc' });
  assert.equal(parseSpec('user@host@aaaa').name, 'user@host');
  assert.throws(() => parseSpec('train@xyz'), {
    code: 'EBADSPEC',
    hint: /end a name containing @ with @: 'train@xyz@'/,
  });
  assert.throws(() => parseSpec('train@aaa'), /too short/);
});

test('a function name selects all its versions, most recently used first', () => {
  assert.deepEqual(
    selectVersions(versions, ['train']).map((v) => v.hash.slice(0, 8)),
    ['bbbb0000', 'aaaa2222', 'aaaa1111'],
  );
  assert.equal(selectVersions(versions, []).length, 4);
  assert.equal(resolveVersion(versions, 'train').hash.slice(0, 4), 'bbbb');
  assert.equal(resolveVersion(versions, 'train@aaaa2').hash.slice(0, 8), 'aaaa2222');
  assert.equal(
    resolveVersion(versions, 'cccc').name,
    'predict',
    'a bare hex word that names no function is a hash prefix',
  );
});

test('ambiguous prefixes and unknown names fail with codes and hints', () => {
  assert.throws(
    () => versionsOf(versions, 'train@aaaa'),
    (e: unknown) =>
      e instanceof SelectionError &&
      e.code === 'EAMBIGUOUS' &&
      /aaaa11110000 \(train\), aaaa22220000 \(train\)/.test(e.message),
  );
  assert.throws(() => versionsOf(versions, 'train@aaaa'), { hint: 'give more hex digits' });
  // Two functions pinned with the same `version` share a whole hash: more digits cannot tell them apart.
  const pinned = [version('train', 'ffff', 1), version('user@host', 'ffff', 2)];
  assert.throws(() => versionsOf(pinned, 'ffff'.padEnd(64, '0')), {
    code: 'EAMBIGUOUS',
    hint:
      'these functions share one definition hash (a pinned version): name one, e.g. train@' + 'ffff'.padEnd(64, '0'),
  });
  assert.throws(() => versionsOf([...pinned].reverse(), '@ffff'), { hint: /e\.g\. train@ffff$/ });
  // The spec the hint gives names the version, also for a name holding `@` (the last `@` splits).
  const mailed = [version('user@host', 'ffff', 1), version('zed', 'ffff', 2)];
  assert.throws(() => versionsOf(mailed, 'ffff'), { hint: /e\.g\. user@host@ffff$/ });
  assert.deepEqual(versionsOf(mailed, 'user@host@ffff').map((v) => v.name), ['user@host']);
  assert.throws(
    () => versionsOf(versions, 'trian'),
    (e: unknown) => e instanceof SelectionError && e.code === 'ENOFUNCTION' && e.hint === "did you mean 'train'?",
  );
  assert.throws(
    () => versionsOf(versions, 'zzzzzzzzzz'),
    (e: unknown) => e instanceof SelectionError && /funes log --oneline/.test(e.hint ?? ''),
  );
  assert.throws(
    () => versionsOf(versions, 'train@dddd'),
    (e: unknown) => e instanceof SelectionError && e.code === 'ENOVERSION',
  );
  assert.throws(
    () => versionsOf([], 'train'),
    (e: unknown) => e instanceof SelectionError && e.hint === 'the cache holds no function',
  );
});

test('argument hash prefixes pick one entry', () => {
  const hashes = ['ab12'.padEnd(64, '1'), 'ab13'.padEnd(64, '2')];
  assert.equal(resolveArgumentHash(hashes, 'AB12', 'train@x'), hashes[0]);
  assert.throws(() => resolveArgumentHash(hashes, 'ab1', 'train@x'), { code: 'EBADSPEC' });
  assert.throws(
    () => resolveArgumentHash(hashes, 'ab1'.padEnd(5, '9'), 'train@x'),
    (e: unknown) => e instanceof SelectionError && e.code === 'ENOENTRY',
  );
  assert.throws(
    () => resolveArgumentHash([hashes[0], `ab12${'2'.repeat(60)}`], 'ab12', 'train@x'),
    (e: unknown) => e instanceof SelectionError && e.code === 'EAMBIGUOUS',
  );
});


test('a trailing @ names a function whose name contains @', () => {
  const mail = [version('user@host', 'dddd', 1), version('user', 'eeee', 2)];
  assert.deepEqual(parseSpec('user@host@'), { name: 'user@host', hashPrefix: undefined, text: 'user@host@' });
  assert.deepEqual(versionsOf(mail, 'user@host@').map((v) => v.name), ['user@host']);
  assert.deepEqual(versionsOf(mail, 'user@host@dddd').map((v) => v.name), ['user@host']);
  assert.throws(() => versionsOf(mail, 'user@host'), { code: 'EBADSPEC' });
});

test("a name is a function's, and a directory's only when no function has it", () => {
  const inDir = (name: string, dir: string, hash: string) => ({ ...version(name, hash, 1), functionDir: dir });
  const paths = [
    inDir('a/b', 'a%2Fb', 'dddd'),
    inDir('a%2Fb', 'a%252Fb', 'eeee'),
    inDir('user@host', 'user%40host', 'ffff'),
  ];
  assert.deepEqual(versionsOf(paths, 'a%2Fb').map((v) => v.name), ['a%2Fb']);
  assert.deepEqual(versionsOf(paths, 'a/b').map((v) => v.name), ['a/b']);
  assert.deepEqual(versionsOf(paths, 'user%40host').map((v) => v.name), ['user@host'], 'by its directory');
});

test('the current version of each function named, or the version named by hash', () => {
  const hashes = (chosen: readonly CachedVersion[]) => chosen.map((v) => v.hash.slice(0, 8)).sort();
  assert.deepEqual(hashes(selectCurrent(versions, [])), ['aaaa2222', 'bbbb0000', 'cccc0000']);
  assert.deepEqual(hashes(selectCurrent(versions, ['train'])), ['aaaa2222', 'bbbb0000'], 'one per module');
  assert.deepEqual(hashes(selectCurrent(versions, ['train@aaaa1', 'cccc'])), ['aaaa1111', 'cccc0000']);
  const broken = { ...version('eval', 'ffff', 9), metadata: { status: 'missing' as const } };
  assert.deepEqual(
    hashes(selectCurrent([...versions, broken], ['eval'])),
    [],
    'a version without metadata is never current',
  );
  assert.equal(resolveVersion([broken], 'eval'), broken, 'but is still found by name, to be reported');
});

test('asked from inside a project, the current version is the one that project used last', () => {
  const here = [
    { ...version('train', 'aaaa1111', 1), usedHereMs: 1 },
    version('train', 'aaaa2222', 2),
    { ...version('train', 'aaaa3333', 0.5), usedHereMs: 0.5 },
  ];
  assert.deepEqual(selectCurrent(here, ['train']).map((v) => v.hash.slice(0, 8)), ['aaaa1111']);
  assert.equal(resolveVersion(here, 'train').hash.slice(0, 8), 'aaaa1111');
});
