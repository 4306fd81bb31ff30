import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStyle } from './style.js';
import { formatTable, visibleWidth } from './table.js';

test('columns line up, colored or not', () => {
  const red = createStyle(true).red;
  assert.equal(visibleWidth(red('abc')), 3);
  assert.deepEqual(
    formatTable(
      [
        ['a', red('1'), 'x'],
        ['bbb', '22', ''],
      ],
      ['l', 'r', 'l'],
    ),
    [`a     ${red('1')}  x`, 'bbb  22'],
  );
});
