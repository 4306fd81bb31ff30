import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noStyle } from '../style.js';
import { isRemoteUrl } from '@funes/sync';
import { formatTransfer, splitTargets } from './push-pull.js';

test('the first argument is a remote only when it names one or is a URL', () => {
  const split = (words: string[], names: string[]) => splitTargets(words, names, isRemoteUrl);
  assert.deepEqual(split([], ['origin']), { remote: undefined, functions: [] });
  assert.deepEqual(split(['origin', 'train'], ['origin']), { remote: 'origin', functions: ['train'] });
  assert.deepEqual(split(['train', 'eval'], ['origin']), { remote: undefined, functions: ['train', 'eval'] });
  assert.deepEqual(split(['s3://bkt/p', 'train'], []), { remote: 's3://bkt/p', functions: ['train'] });
  // A URL in any case, or of another scheme (refused as a URL when opened), is never a function's name.
  assert.deepEqual(split(['S3://bkt/p', 'train'], []), { remote: 'S3://bkt/p', functions: ['train'] });
  assert.deepEqual(split(['gs://bkt/p'], []), { remote: 'gs://bkt/p', functions: [] });
});

test('reports what moved, what would move and what was damaged', () => {
  const base = {
    remote: 'origin',
    url: 's3://bkt/p',
    present: 2,
    missing: 3,
    missingBytes: 3000,
    transferred: 3,
    bytes: 3000,
    damaged: [],
    refused: [],
    unaddressed: [],
  };
  assert.equal(
    formatTransfer({ ...base, direction: 'push', dryRun: false }, noStyle),
    'pushed 3 files (2.93 KiB) to origin (s3://bkt/p); 2 files already there',
  );
  assert.equal(
    formatTransfer(
      { ...base, direction: 'pull', dryRun: true, transferred: 0, bytes: 0, keys: ['f/a/definition.json'] },
      noStyle,
    ),
    'would pull 3 files (2.93 KiB) from origin (s3://bkt/p); 2 files already there\n  f/a/definition.json',
  );
  const damaged = formatTransfer(
    { ...base, remote: 's3://bkt/p', direction: 'pull', dryRun: false, transferred: 2, damaged: ['f/a/b'] },
    noStyle,
  );
  assert.equal(
    damaged,
    'damaged, not transferred f/a/b\npulled 2 files (2.93 KiB) from s3://bkt/p; 2 files already there',
  );
  const refused = formatTransfer(
    { ...base, direction: 'pull', dryRun: false, transferred: 2, refused: ['f/a/c'] },
    noStyle,
  );
  assert.equal(
    refused,
    'unsigned or wrongly signed, not transferred f/a/c\npulled 2 files (2.93 KiB) from ' +
        'origin (s3://bkt/p); 2 files already there',
  );
});

test('a remote given as a URL with a query is named once', () => {
  const result = {
    remote: 's3://bkt/p?endpoint=http://127.0.0.1:9000',
    url: 's3://bkt/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000',
    direction: 'push' as const,
    dryRun: false,
    present: 0,
    missing: 1,
    missingBytes: 10,
    transferred: 1,
    bytes: 10,
    damaged: [],
    refused: [],
    unaddressed: [],
  };
  assert.equal(
    formatTransfer(result, noStyle),
    'pushed 1 file (10 bytes) to s3://bkt/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000; 0 files already there',
  );
});
