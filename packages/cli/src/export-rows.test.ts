import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CachedRecord } from '@funes/core';
import { csvField, csvLine, recordRow, rowJson } from './export-rows.js';

function record(input: Record<string, unknown>, output: unknown): CachedRecord {
  return { input, output, time: 1.5, createdAt: new Date('2026-11-25T00:00:00Z'), async: false, node: 'v20', host: 'h', platform: 'linux-x64', funes: '0.1.0' };
}

test('inputs and an object of scalars become columns, then time, createdAt, version and hash', () => {
  const row = recordRow(record({ lr: 0.1, epochs: 3 }, { loss: 0.2, acc: 0.9 }), 'ab'.repeat(32), 'cd'.repeat(32));
  assert.deepEqual([...row.keys()], ['lr', 'epochs', 'loss', 'acc', 'time', 'createdAt', 'version', 'argumentHash']);
  assert.deepEqual(rowJson(row).createdAt, '2026-11-25T00:00:00.000Z');
});

test('a taken column name gets its group as prefix', () => {
  const row = recordRow(record({ lr: 0.1, time: 5 }, { lr: 0.2, output: 1 }), 'ab'.repeat(32), undefined);
  assert.deepEqual([...row.keys()], ['lr', 'time', 'output.lr', 'output', 'record.time', 'createdAt', 'argumentHash']);
});

test('a nested output stays one column', () => {
  const row = recordRow(record({ x: 1 }, { curve: [1, 2] }), 'ab'.repeat(32), undefined);
  assert.deepEqual(row.get('output'), { curve: [1, 2] });
  assert.equal(csvField(row.get('output')), '"{""curve"":[1,2]}"');
});

test('CSV fields follow RFC 4180 and keep what pandas reads', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(' padded'), '" padded"');
  assert.equal(csvField(Number.NaN), 'NaN');
  assert.equal(csvField(10n), '10');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(true), 'true');
  assert.equal(csvField(new Map([['a', 1]])), '"{""a"":1}"');
  assert.equal(csvLine(['a', 'b,c'], undefined), 'a,"b,c"\r\n');
  assert.equal(csvLine(['a', 'b'], new Map([['b', 2]])), ',2\r\n');
});
