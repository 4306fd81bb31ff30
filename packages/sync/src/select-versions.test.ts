import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedVersion } from '@funes/core/cache';
import { selectVersions, type CandidateVersion } from './select-versions.js';

const v = (functionDir: string, hexDigit: string, lastUsedMs: number): CandidateVersion => {
  const hash = hexDigit.repeat(64);
  const metadata = { status: 'ok', metadata: {} } as CachedVersion['metadata'];
  return { functionDir, definitionHash: hash, version: { functionDir, name: functionDir, module: null, hash, dir: '', metadata, lastUsedMs, changedMs: 0, createdMs: null } };
};
const candidates = [v('train', 'a', 1), v('train', 'b', 3), v('train', 'c', 2), v('score', 'd', 1), v('Model.fit', 'e', 1)];
const hashes = (chosen: CandidateVersion[]) => chosen.map((c) => c.definitionHash[0]);

describe('selectVersions', () => {
  it('takes the current (most recently used) version of every function by default', () => {
    assert.deepEqual(hashes(selectVersions(candidates, [], false)), ['e', 'd', 'b']);
  });

  it('takes every version with allVersions', () => {
    assert.deepEqual(hashes(selectVersions(candidates, ['train'], true)), ['a', 'b', 'c']);
  });

  it('takes one version by hash prefix, and each version once', () => {
    assert.deepEqual(hashes(selectVersions(candidates, ['train@aa', 'train@A', 'score'], false)), ['d', 'a']);
  });

  it('refuses unknown functions, unmatched or bad prefixes', () => {
    assert.throws(() => selectVersions(candidates, ['nope'], false), { code: 'ENOFUNCTION', message: /no function named "nope"/ });
    assert.throws(() => selectVersions(candidates, ['train@f'], false), { code: 'ENOFUNCTION', message: /no version/ });
    assert.throws(() => selectVersions(candidates, ['train@xyz'], false), { code: 'ENOFUNCTION', message: /not a function selector/ });
  });
});
