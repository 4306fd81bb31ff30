import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../table.js';
import { choosePlot, numericOutputs, timeColumn } from './plots.js';

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

test('a choice naming no column the plot could use is left out, said, and the default stands in', () => {
  const columns = [
    { ...column('lr', 'input'), distinct: 3 },
    { ...column('depth', 'input'), distinct: 40 },
    { ...column('cfg', 'input'), kind: 'value' as const },
    column('loss', 'output'),
    column('time', 'record'),
  ];
  const spec = choosePlot(columns, { x: 'rate', y: 'lr', color: 'nope', facet: 'depth', mark: 'bars' });
  assert.deepEqual(
    { x: spec?.x, y: spec?.y, color: spec?.color, facet: spec?.facet, mark: spec?.mark },
    { x: 'lr', y: 'loss', color: 'depth', facet: '', mark: 'line' },
  );
  assert.deepEqual(spec?.ignored, ['x=rate', 'y=lr', 'color=nope', 'facet=depth', 'mark=bars']);
  const chosen = choosePlot(columns, { x: 'depth', y: 'time', color: 'none', facet: 'lr', mark: 'scatter' });
  assert.deepEqual(chosen?.ignored, []);
  assert.deepEqual([chosen?.x, chosen?.y, chosen?.color, chosen?.facet], ['depth', 'time', '', 'lr']);
  assert.deepEqual(choosePlot(columns, { x: 'cfg' })?.ignored, ['x=cfg'], 'an object is no axis');
});
