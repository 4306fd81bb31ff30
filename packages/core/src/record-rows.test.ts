import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJsonValue } from './json-value.js';
import type { CachedRecord } from './record.js';
import { csvField, csvLine, recordCells, recordRow, rowJson, SPREAD_ITEMS, SPREAD_KEYS } from './record-rows.js';

function record(input: Record<string, unknown>, output: unknown): CachedRecord {
  return {
    input,
    output,
    time: 1.5,
    createdAt: new Date('2026-11-25T00:00:00Z'),
    async: false,
    node: 'v20',
    host: 'h',
    platform: 'linux-x64',
    funes: '0.1.0',
  };
}

test('inputs and an object of scalars become columns, then time, host, createdAt, version and hash', () => {
  const row = recordRow(record({ lr: 0.1, epochs: 3 }, { loss: 0.2, acc: 0.9 }), 'ab'.repeat(32), 'cd'.repeat(32));
  assert.deepEqual(
    [...row.keys()],
    ['lr', 'epochs', 'loss', 'acc', 'time', 'host', 'createdAt', 'version', 'argumentHash'],
  );
  assert.equal(row.get('host'), 'h');
  assert.deepEqual(rowJson(row).createdAt, '2026-11-25T00:00:00.000Z');
});

test('a configuration read is a column of the hash of what it saw, after the inputs', () => {
  const read = (scale: string) =>
    recordRow(
      {
        ...record({ x: 2 }, 4),
        configuration: { 'environment:SCALE': scale.repeat(64), 'file:data.csv': 'c'.repeat(64) },
      },
      'ab'.repeat(32),
    );
  assert.deepEqual(
    [...read('a').keys()],
    ['x', 'environment:SCALE', 'file:data.csv', 'output', 'time', 'host', 'createdAt', 'argumentHash'],
  );
  assert.equal(read('a').get('environment:SCALE'), 'a'.repeat(12));
  assert.notEqual(read('a').get('environment:SCALE'), read('b').get('environment:SCALE'));
});

test('a taken column name gets its group as prefix', () => {
  const row = recordRow(record({ lr: 0.1, time: 5 }, { lr: 0.2, output: 1 }), 'ab'.repeat(32), undefined);
  assert.deepEqual(
    [...row.keys()],
    ['lr', 'time', 'output.lr', 'output', 'record.time', 'host', 'createdAt', 'argumentHash'],
  );
});

test('a prefixed name that is taken too gets its group again: no two cells share a column', () => {
  const cells = recordCells(record({ time: 5 }, { time: 6, 'record.time': 7, 'output.time': 8 }), 'ab'.repeat(32));
  assert.deepEqual(
    cells.filter((cell) => cell.name.endsWith('time')).map(({ name, value }) => [name, value]),
    [['time', 5], ['output.time', 6], ['record.time', 7], ['output.output.time', 8], ['record.record.time', 1.5]],
  );
  assert.equal(new Set(cells.map((cell) => cell.name)).size, cells.length);
});

test('nested inputs and outputs spread into dotted columns by group; ' +
    'long arrays and other objects stay one cell', () => {
  const long = Array.from({ length: SPREAD_ITEMS + 1 }, (_, i) => i);
  const cells = recordCells(
    record(
      { cfg: { depth: 3, opt: { name: 'adam' } }, layers: [64, 32] },
      { metrics: { f1: 0.5 }, curve: long, table: new Map([['a', 1]]), none: {} },
    ),
    'ab'.repeat(32),
  );
  assert.deepEqual(
    cells.slice(0, 8).map((cell) => [cell.name, cell.group]),
    [
      ['cfg.depth', 'input'],
      ['cfg.opt.name', 'input'],
      ['layers.0', 'input'],
      ['layers.1', 'input'],
      ['metrics.f1', 'output'],
      ['curve', 'output'],
      ['table', 'output'],
      ['none', 'output'],
    ],
  );
  assert.equal(csvField(cells[5].value), `"${JSON.stringify(long)}"`);
});

test('an object of many keys (a count per word) stays one cell: rows of other keys make no table of all', () => {
  const counts = (offset: number, size: number) =>
    Object.fromEntries(Array.from({ length: size }, (_, i) => [`w${offset + i}`, i]));
  const names = (output: unknown) => recordCells(record({ doc: 1 }, output), 'ab'.repeat(32)).map((c) => c.name);
  assert.deepEqual(names({ words: counts(0, SPREAD_KEYS + 1), n: 3 }).slice(0, 3), ['doc', 'words', 'n']);
  assert.deepEqual(names(counts(0, SPREAD_KEYS + 1)).slice(0, 2), ['doc', 'output']);
  const spread = names({ metrics: counts(0, SPREAD_KEYS) }).filter((name) => name.startsWith('metrics.'));
  assert.equal(spread.length, SPREAD_KEYS);
});

test('a scalar output is one output column, a short array output spreads under output, a cycle stops', () => {
  assert.deepEqual([...recordRow(record({ x: 1 }, 2), 'ab'.repeat(32)).keys()].slice(0, 2), ['x', 'output']);
  assert.deepEqual([...recordRow(record({ x: 1 }, [2, 3]), 'ab'.repeat(32)).keys()].slice(0, 3), [
    'x',
    'output.0',
    'output.1',
  ]);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const row = recordRow(record({ x: 1 }, cyclic), 'ab'.repeat(32));
  assert.deepEqual(toJsonValue(row.get('self')), { a: 1, self: '[Circular]' });
});

test('CSV fields follow RFC 4180 and keep what pandas reads', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(' padded'), '" padded"');
  assert.equal(csvField(Number.NaN), 'NaN');
  // -0 and 0 are two arguments with two keys: their rows must not read alike (pandas reads -0 as -0.0).
  assert.equal(csvField(-0), '-0');
  assert.equal(csvField(0), '0');
  assert.equal(csvField(10n), '10');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(true), 'true');
  assert.equal(csvField(new Map([['a', 1]])), '"{""a"":1}"');
  assert.equal(csvLine(['a', 'b,c'], undefined), 'a,"b,c"\r\n');
  assert.equal(csvLine(['a', 'b'], new Map([['b', 2]])), ',2\r\n');
});
