import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, splitLines, unifiedDiff } from './unified-diff.js';

test('equal texts have no diff', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'source'), '');
});

test('a changed line shows as removal then addition with context', () => {
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
  const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
  const expected = [
    '--- a/source',
    '+++ b/source',
    '@@ -2,7 +2,7 @@',
    ' 2',
    ' 3',
    ' 4',
    '-5',
    '+five',
    ' 6',
    ' 7',
    ' 8',
    '',
  ].join('\n');
  assert.equal(unifiedDiff(before, after, 'source'), expected);
});

test('distant changes make separate hunks; additions and removals at the edges count lines right', () => {
  const before = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  const after = [...before];
  after[1] = 'changed 1';
  after[18] = 'changed 18';
  const patch = unifiedDiff(before.join('\n'), after.join('\n'), 'f');
  assert.deepEqual(patch.match(/^@@.*@@$/gm), ['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  assert.match(unifiedDiff('', 'new\n', 'f'), /@@ -0,0 \+1 @@\n\+new\n$/);
  assert.match(unifiedDiff('old\n', '', 'f'), /@@ -1 \+0,0 @@\n-old\n$/);
});

test('the edit script is a shortest one and replays to the new text', () => {
  const a = splitLines('a\nb\nc\nd\ne\n');
  const b = splitLines('a\nc\nd\nx\ne\ny\n');
  const script = diffLines(a, b);
  assert.deepEqual(script.filter((l) => l.op !== '+').map((l) => l.text), a);
  assert.deepEqual(script.filter((l) => l.op !== '-').map((l) => l.text), b);
  assert.equal(script.filter((l) => l.op !== ' ').length, 3);
});
