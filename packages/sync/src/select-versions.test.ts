import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectVersions, type CandidateVersion } from './select-versions.js';

const v = (functionDir: string, hexDigit: string, createdAtMs: number): CandidateVersion => ({ functionDir, definitionHash: hexDigit.repeat(64), createdAtMs });
const candidates = [v('train', 'a', 1), v('train', 'b', 3), v('train', 'c', 2), v('score', 'd', 1), v('Model.fit', 'e', 1)];
const hashes = (chosen: CandidateVersion[]) => chosen.map((c) => c.definitionHash[0]);

describe('selectVersions', () => {
  it('takes the newest version of every function by default', () => {
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
