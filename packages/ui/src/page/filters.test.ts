import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../table.js';
import { parseFilter } from './filters.js';

function column(kind: ColumnInfo['kind']): ColumnInfo {
  return { name: 'c', group: 'input', kind, min: null, max: null, distinct: 2, values: null };
}

const [numbers, mixed, text] = [column('number'), column('mixed'), column('string')];

test('a header filter writes a range, a bound, one value or text', () => {
  assert.deepEqual(parseFilter(numbers, '0.1..0.2'), { filter: { column: 'c', min: 0.1, max: 0.2 } });
  assert.deepEqual(parseFilter(numbers, '..3'), { filter: { column: 'c', max: 3 } });
  assert.deepEqual(parseFilter(numbers, '> 0.5'), { filter: { column: 'c', above: 0.5 } });
  assert.deepEqual(parseFilter(numbers, '<=-1e-3'), { filter: { column: 'c', max: -0.001 } });
  assert.deepEqual(parseFilter(numbers, '-0'), { filter: { column: 'c', values: [-0] } });
  assert.deepEqual(parseFilter(numbers, '=NaN'), { filter: { column: 'c', values: [Number.NaN] } });
  assert.deepEqual(parseFilter(text, '=adam'), { filter: { column: 'c', values: ['adam'] } });
  assert.deepEqual(parseFilter(text, 'ad'), { filter: { column: 'c', text: 'ad' } });
  assert.equal(parseFilter(numbers, '  '), undefined);
});

test('a filter that cannot mean what it says is an error, not a filter keeping no row', () => {
  const error = (column: ColumnInfo, typed: string) => {
    const parsed = parseFilter(column, typed);
    assert.ok(parsed && 'error' in parsed, `${typed} is no filter`);
    return parsed.error;
  };
  assert.match(error(numbers, '1.2.3..5'), /^1\.2\.3 is not a number/);
  assert.match(error(mixed, '0.1..x'), /^x is not a number/);
  assert.match(error(numbers, '>1e'), /^1e is not a number/);
  assert.match(error(numbers, '>'), /^nothing is not a number/);
  assert.match(error(numbers, '..'), /needs an end/);
  assert.match(error(numbers, '5..1'), /keeps nothing/);
  // Number('abc') is NaN, and `=abc` kept the rows holding NaN; Number('') is 0.
  assert.match(error(numbers, '=abc'), /holds numbers only/);
  assert.match(error(numbers, '='), /holds numbers only/);
  assert.match(error(numbers, '=0x10'), /holds numbers only/);
});

test('a column holding numbers and text, or numbers as text (a BigInt), is filtered by value', () => {
  assert.deepEqual(parseFilter(mixed, '>0.15'), { filter: { column: 'c', above: 0.15 } });
  assert.deepEqual(parseFilter(mixed, '=0.2'), { filter: { column: 'c', values: ['0.2', 0.2] } });
  assert.deepEqual(parseFilter(mixed, '0.2'), { filter: { column: 'c', values: ['0.2', 0.2] } });
  assert.deepEqual(parseFilter(mixed, '=auto'), { filter: { column: 'c', values: ['auto'] } });
  assert.deepEqual(parseFilter(text, '2..10'), { filter: { column: 'c', min: 2, max: 10 } });
  assert.deepEqual(parseFilter(text, '>5'), { filter: { column: 'c', above: 5 } });
  assert.deepEqual(parseFilter(column('boolean'), '=true'), { filter: { column: 'c', values: ['true', true] } });
  // Text that only looks like a range or a bound stays text in a column of text.
  assert.deepEqual(parseFilter(text, '1.2..1.3.0'), { filter: { column: 'c', text: '1.2..1.3.0' } });
  assert.deepEqual(parseFilter(text, '../data'), { filter: { column: 'c', text: '../data' } });
  assert.deepEqual(parseFilter(text, '<unk>'), { filter: { column: 'c', text: '<unk>' } });
});

test('a bound beyond 2^53 (a BigInt) is kept as its digits, not rounded to the number beside it', () => {
  assert.deepEqual(parseFilter(text, '>9007199254740993'), { filter: { column: 'c', above: '9007199254740993' } });
  assert.deepEqual(parseFilter(mixed, '9007199254740993..9007199254740993'), {
    filter: { column: 'c', min: '9007199254740993', max: '9007199254740993' },
  });
  assert.deepEqual(parseFilter(text, '9007199254740993..9007199254740992'), {
    error: '9007199254740993..9007199254740992 keeps nothing: write the smaller end first',
  });
  // Numbers that round anyway (a fraction, an exponent) stay numbers.
  assert.deepEqual(parseFilter(numbers, '<1e300'), { filter: { column: 'c', below: 1e300 } });
  assert.deepEqual(parseFilter(numbers, '..9007199254740991'), { filter: { column: 'c', max: 9007199254740991 } });
});
