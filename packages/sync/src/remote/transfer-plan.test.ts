import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planTransfer } from './transfer-plan.js';

const H = (c: string) => c.repeat(64);

test('plans the files the destination lacks, metadata first', () => {
  const source = new Map([
    [`f/${H('a')}/${H('1')}`, 10],
    [`f/${H('a')}/${H('2')}`, 20],
    [`f/${H('a')}/definition.json`, 5],
    [`g/${H('b')}/${H('3')}`, 30],
  ]);
  const plan = planTransfer(source, new Set([`f/${H('a')}/${H('1')}`]));
  assert.equal(plan.present, 1);
  assert.deepEqual(
    plan.missing.map((file) => file.key),
    [`f/${H('a')}/definition.json`, `f/${H('a')}/${H('2')}`, `g/${H('b')}/${H('3')}`],
  );
  assert.deepEqual(planTransfer(source, new Set(source.keys())), { missing: [], present: 4 });
});
