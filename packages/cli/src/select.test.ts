import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Version } from './cache.js';
import { CliError, UsageError } from './errors.js';
import { parseSpec, resolveArgumentHash, resolveVersion, selectVersions, versionsOf } from './select.js';

function version(name: string, hash: string, lastUsedMs: number, module: string | null = `${name}.ts`): Version {
  const full = hash.padEnd(64, '0');
  return { functionDir: name, name, module, hash: full, dir: `/cache/${name}/${full}`, lastUsedMs, changedMs: 0, createdMs: null, metadata: { status: 'ok' } as Version['metadata'] };
}

const versions = [version('train', 'aaaa1111', 1), version('train', 'aaaa2222', 2), version('train', 'bbbb', 3, 'lab/train.ts'), version('predict', 'cccc', 4)];

test('specs name a function, a version of one, or a bare hash', () => {
  assert.deepEqual(parseSpec('train'), { name: 'train', hashPrefix: undefined, text: 'train' });
  assert.deepEqual(parseSpec('train@AAAA11'), { name: 'train', hashPrefix: 'aaaa11', text: 'train@AAAA11' });
  assert.deepEqual(parseSpec('@cccc'), { name: undefined, hashPrefix: 'cccc', text: '@cccc' });
  assert.equal(parseSpec('user@host@aaaa').name, 'user@host');
  assert.throws(() => parseSpec('train@xyz'), UsageError);
  assert.throws(() => parseSpec('train@aaa'), /too short/);
});

test('a function name selects all its versions, most recently used first', () => {
  assert.deepEqual(selectVersions(versions, ['train']).map((v) => v.hash.slice(0, 8)), ['bbbb0000', 'aaaa2222', 'aaaa1111']);
  assert.equal(selectVersions(versions, []).length, 4);
  assert.equal(resolveVersion(versions, 'train').hash.slice(0, 4), 'bbbb');
  assert.equal(resolveVersion(versions, 'train@aaaa2').hash.slice(0, 8), 'aaaa2222');
  assert.equal(resolveVersion(versions, 'cccc').name, 'predict', 'a bare hex word that names no function is a hash prefix');
});

test('ambiguous prefixes and unknown names fail with codes and hints', () => {
  assert.throws(() => versionsOf(versions, 'train@aaaa'), (e: unknown) => e instanceof CliError && e.code === 'EAMBIGUOUS' && /aaaa22220000 \(train\), aaaa11110000 \(train\)/.test(e.message));
  assert.throws(() => versionsOf(versions, 'trian'), (e: unknown) => e instanceof CliError && e.code === 'ENOFUNCTION' && e.hint === "did you mean 'train'?");
  assert.throws(() => versionsOf(versions, 'zzzzzzzzzz'), (e: unknown) => e instanceof CliError && /funes log --oneline/.test(e.hint ?? ''));
  assert.throws(() => versionsOf(versions, 'train@dddd'), (e: unknown) => e instanceof CliError && e.code === 'ENOVERSION');
  assert.throws(() => versionsOf([], 'train'), (e: unknown) => e instanceof CliError && e.hint === 'the cache is empty');
});

test('argument hash prefixes pick one entry', () => {
  const hashes = ['ab12'.padEnd(64, '1'), 'ab13'.padEnd(64, '2')];
  assert.equal(resolveArgumentHash(hashes, 'AB12', 'train@x'), hashes[0]);
  assert.throws(() => resolveArgumentHash(hashes, 'ab1', 'train@x'), UsageError);
  assert.throws(() => resolveArgumentHash(hashes, 'ab1'.padEnd(5, '9'), 'train@x'), (e: unknown) => e instanceof CliError && e.code === 'ENOENTRY');
  assert.throws(() => resolveArgumentHash([hashes[0], `ab12${'2'.repeat(60)}`], 'ab12', 'train@x'), (e: unknown) => e instanceof CliError && e.code === 'EAMBIGUOUS');
});
