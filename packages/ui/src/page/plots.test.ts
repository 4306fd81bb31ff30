import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../table.js';
import { numericOutputs, timeColumn } from './plots.js';

function column(name: string, group: ColumnInfo['group']): ColumnInfo {
  return { name, group, kind: 'number', min: 0, max: 1, distinct: 2, values: [0, 1] };
}

test("the cost view plots the seconds each call took, not an input named time", () => {
  const columns = [
    column('time', 'input'),
    column('record.time', 'input'),
    column('output', 'output'),
    column('record.record.time', 'record'),
  ];
  assert.equal(timeColumn(columns)?.name, 'record.record.time');
  assert.deepEqual(
    numericOutputs(columns).map((c) => c.name),
    ['output', 'record.record.time'],
  );
  assert.deepEqual(numericOutputs([column('x', 'input'), column('time', 'record')]).map((c) => c.name), ['time']);
});
