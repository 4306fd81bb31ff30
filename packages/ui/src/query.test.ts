import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareTables, groupPoints, pageOf, selectRows, type Filter } from './query.js';
import { TableBuilder, cellOf, DISTINCT_LIMIT, SHOWN_TEXT, shownCell, UnreadOutput, type TableData } from './table.js';

function table(rows: readonly Record<string, unknown>[]): TableData {
  const builder = new TableBuilder();
  rows.forEach((row, i) =>
    builder.add(
      `h${i}`,
      Object.entries(row).map(([name, value]) => ({ name, group: name === 'loss' ? 'output' : 'input', value })),
    ),
  );
  return builder.table();
}

const sweep = table([
  { lr: 0.1, opt: 'adam', seed: 0, loss: 0.5 },
  { lr: 0.1, opt: 'adam', seed: 1, loss: 0.7 },
  { lr: 0.2, opt: 'sgd', seed: 0, loss: null },
  { lr: 0.3, opt: 'sgd', seed: 0, loss: 0.2 },
  { lr: 0.3, opt: 'sgd', seed: 1, loss: 0.4 },
]);

test('cells keep scalars and summarize everything else', () => {
  assert.equal(cellOf(1.5), 1.5);
  assert.ok(Number.isNaN(cellOf(Number.NaN)), 'NaN is a result, not an empty cell');
  assert.equal(cellOf(-Infinity), -Infinity);
  assert.equal(cellOf(10n), '10');
  assert.equal(cellOf(new Date('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00.000Z');
  assert.deepEqual(cellOf(new Float64Array(3)), { summary: 'Float64Array(3)' });
  assert.deepEqual(cellOf([1, 2]), { summary: 'Array(2)' });
  assert.deepEqual(cellOf(new Map([[1, 2]])), { summary: 'Map(1)' });
  assert.deepEqual(cellOf({ a: 1 }), { summary: '{1 key}' });
  assert.deepEqual(cellOf(new UnreadOutput(9)), { summary: 'stored output, 9 bytes' });
});

test('columns know their kind, range and values', () => {
  const [lr, opt, , loss] = sweep.columns;
  assert.deepEqual([lr.kind, lr.min, lr.max, lr.distinct, lr.values], ['number', 0.1, 0.3, 3, [0.1, 0.2, 0.3]]);
  assert.deepEqual([opt.kind, opt.values], ['string', ['adam', 'sgd']]);
  assert.equal(loss.kind, 'number');
  const many = table(Array.from({ length: DISTINCT_LIMIT + 5 }, (_, i) => ({ x: i })));
  assert.equal(many.columns[0].values, null);
  assert.equal(many.columns[0].distinct, DISTINCT_LIMIT + 1);
});

test('columns count only the rows held: a row computed again or removed leaves nothing of it behind', () => {
  const builder = new TableBuilder();
  const add = (hash: string, row: Record<string, unknown>) =>
    builder.add(
      hash,
      Object.entries(row).map(([name, value]) => ({ name, group: name === 'loss' ? 'output' : 'input', value })),
    );
  for (const lr of [0.1, 0.2, 0.3]) for (const depth of [1, 2]) add(`${lr}-${depth}`, { lr, depth, loss: lr * depth });
  add('cfg', { lr: 0.9, depth: 1, 'cfg.opt': 'adam', loss: 7 });
  for (const lr of [0.1, 0.2, 0.3]) builder.remove(`${lr}-1`);
  builder.remove('cfg');
  add('0.1-2', { lr: 0.1, depth: 2, loss: 'diverged' });
  const held = builder.table();
  assert.deepEqual(
    held.columns.map((c) => [c.name, c.kind, c.min, c.max, c.distinct, c.values]),
    [
      ['lr', 'number', 0.1, 0.3, 3, [0.1, 0.2, 0.3]],
      ['depth', 'number', 2, 2, 1, [2]],
      ['loss', 'mixed', 0.4, 0.6, 3, [0.4, 0.6, 'diverged']],
    ],
    'as if only the rows held had been added',
  );
  assert.deepEqual(
    held.rows.map((row) => [row.argumentHash, row.cells]),
    [
      ['0.1-2', [0.1, 2, 'diverged']],
      ['0.2-2', [0.2, 2, 0.4]],
      ['0.3-2', [0.3, 2, 0.6]],
    ],
  );
});

test('rows are filtered by range, values and text, sorted with empty cells last either way, and paged', () => {
  const keep = (query: Parameters<typeof selectRows>[1]) => selectRows(sweep, query).map((row) => row.argumentHash);
  assert.deepEqual(keep({ filters: [{ column: 'lr', min: 0.15 }] }), ['h2', 'h3', 'h4']);
  assert.deepEqual(keep({ filters: [{ column: 'opt', values: ['adam'] }] }), ['h0', 'h1']);
  assert.deepEqual(keep({ filters: [{ column: 'opt', text: 'SG' }, { column: 'lr', max: 0.25 }] }), ['h2']);
  assert.deepEqual(keep({ filters: [{ column: 'nope', min: 0 }] }), []);
  assert.deepEqual(keep({ filters: [{ column: 'lr', above: 0.2 }] }), ['h3', 'h4'], 'above leaves the bound out');
  assert.deepEqual(keep({ filters: [{ column: 'lr', below: 0.2 }] }), ['h0', 'h1'], 'below leaves the bound out');
  assert.deepEqual(keep({ filters: [{ column: 'lr', min: 0.2, max: 0.2 }] }), ['h2'], 'min and max keep it');
  assert.deepEqual(keep({ sort: 'loss' }), ['h3', 'h4', 'h0', 'h1', 'h2']);
  assert.deepEqual(keep({ sort: 'loss', descending: true }), ['h1', 'h0', 'h4', 'h3', 'h2']);
  assert.deepEqual(keep({ sort: 'opt', descending: true }), ['h2', 'h3', 'h4', 'h0', 'h1']);
  const page = pageOf(sweep, selectRows(sweep, { sort: 'loss' }), 3, 10);
  assert.deepEqual(
    [page.total, page.matched, page.offset, page.rows.map((row) => row.argumentHash)],
    [5, 5, 3, ['h1', 'h2']],
  );
});

test('a page shows a long text as its beginning and length, and the table keeps it whole to sort and filter', () => {
  const long = (word: string) => `${word} `.repeat(200_000);
  const texts = table([
    { prompt: 'a', text: long('beta') },
    { prompt: 'b', text: long('alpha') },
    { prompt: 'c', text: `🙂${'x'.repeat(SHOWN_TEXT - 2)}🙂` },
    { prompt: 'd', text: 'short' },
  ]);
  assert.equal(texts.columns[1].values, null, 'a column of documents lists none of them');
  assert.equal(texts.columns[1].distinct, 4);
  const page = pageOf(texts, selectRows(texts, { sort: 'text' }), 0, 10);
  assert.deepEqual(
    page.rows.map((row) => row.argumentHash),
    ['h1', 'h0', 'h3', 'h2'],
    'sorted by the whole text',
  );
  const [alpha, beta, short, emoji] = page.rows.map((row) => row.cells[1]);
  assert.deepEqual(alpha, { summary: `${long('alpha').slice(0, SHOWN_TEXT)}… (1,200,000 characters)` });
  assert.deepEqual(beta, { summary: `${long('beta').slice(0, SHOWN_TEXT)}… (1,000,000 characters)` });
  assert.equal(short, 'short');
  const cut = `🙂${'x'.repeat(SHOWN_TEXT - 2)}… (${SHOWN_TEXT + 2} characters)`;
  assert.deepEqual(emoji, { summary: cut }, 'not cut between the halves of a surrogate pair');
  const found = selectRows(texts, { filters: [{ column: 'text', text: 'alpha alpha' }] });
  assert.deepEqual(
    found.map((row) => row.cells[1]),
    [long('alpha')],
  );
});

test('the seeds of one point become one group with mean and spread', () => {
  const groups = groupPoints(sweep, sweep.rows, ['lr'], 'loss');
  assert.deepEqual(
    groups.map((g) => [g.keys, g.n, Number(g.mean.toFixed(6)), Number(g.sd.toFixed(6))]),
    [
      [[0.1], 2, 0.6, 0.1],
      [[0.3], 2, 0.3, 0.1],
    ],
  );
  assert.deepEqual(groupPoints(sweep, sweep.rows, ['nope'], 'loss'), []);
});

test('one point holds any number of rows: every seed of a large sweep at one grid point', () => {
  const seeds = 200_000;
  const builder = new TableBuilder();
  for (let seed = 0; seed < seeds; seed++) {
    builder.add(`h${seed}`, [
      { name: 'lr', group: 'input', value: 0.1 },
      { name: 'loss', group: 'output', value: seed % 2 },
    ]);
  }
  const large = builder.table();
  assert.deepEqual(groupPoints(large, large.rows, ['lr'], 'loss'), [
    { keys: [0.1], n: seeds, mean: 0.5, sd: 0.5, min: 0, max: 1 },
  ]);
});

test('points are ordered by their keys column by column, values that compare equal (-0, 0) by the next', () => {
  const signed = table([
    { x: 0, y: 2, loss: 1 },
    { x: -0, y: 1, loss: 2 },
    { x: 0, y: 2, loss: 3 },
    { x: 'b', y: 0, loss: 4 },
    { x: 10n, y: 0, loss: 5 },
    { x: 2, y: 0, loss: 6 },
  ]);
  const points = groupPoints(signed, signed.rows, ['x', 'y'], 'loss');
  assert.deepEqual(
    points.map((point) => [point.keys, point.n, point.mean]),
    [
      [[-0, 1], 1, 2],
      [[0, 2], 2, 2],
      [[2, 0], 1, 6],
      [['10', 0], 1, 5],
      [['b', 0], 1, 4],
    ],
  );
  assert.ok(Object.is(points[0].keys[0], -0), 'f(-0) and f(0) are two points');
});

test('points of many columns with many values each: as many groups as rows, in order', () => {
  // Six columns of 1,000 values: more combinations than a number counts exactly.
  const rows = Array.from({ length: 1000 }, (_, i) => ({
    a: i,
    b: 999 - i,
    c: -i,
    d: i / 2,
    e: `t${i}`,
    f: i % 2 === 0,
    loss: i,
  }));
  const wide = table(rows.reverse());
  const points = groupPoints(wide, wide.rows, ['a', 'b', 'c', 'd', 'e', 'f'], 'loss');
  assert.equal(points.length, 1000);
  assert.deepEqual(
    points.map((point) => point.keys[0]),
    rows.map((row) => row.a).reverse(),
  );
  assert.deepEqual(points[7], { keys: [7, 992, -7, 3.5, 't7', false], n: 1, mean: 7, sd: 0, min: 7, max: 7 });
});

test('a long text a point is grouped by is sent cut, as its cell shows, and texts cut alike stay apart', () => {
  const beginning = 'lorem ipsum '.repeat(20);
  const [a, b, other] = [`${beginning}${'a'.repeat(500)}`, `${beginning}${'b'.repeat(500)}`, 'x'.repeat(300)];
  const docs = table([
    { doc: b, loss: 1 },
    { doc: a, loss: 2 },
    { doc: 'short', loss: 3 },
    { doc: other, loss: 4 },
    { doc: a, loss: 4 },
  ]);
  const points = groupPoints(docs, docs.rows, ['doc'], 'loss');
  const cut = (text: string) => (shownCell(text) as { summary: string }).summary;
  assert.deepEqual(
    points.map((point) => [point.keys[0], point.n, point.mean]),
    [
      [`${cut(a)} #1`, 2, 3],
      [`${cut(b)} #2`, 1, 1],
      ['short', 1, 3],
      [cut(other), 1, 4],
    ],
  );
  assert.ok(points.every((point) => String(point.keys[0]).length < SHOWN_TEXT + 40));
});

test('two versions compare on the argument hashes both hold, largest difference first', () => {
  const after = table([
    { lr: 0.1, opt: 'adam', seed: 0, loss: 0.5 },
    { lr: 0.1, opt: 'adam', seed: 1, loss: 0.9 },
    { lr: 0.2, opt: 'sgd', seed: 0, loss: 0.1 },
  ]);
  const comparison = compareTables(sweep, after, 'loss');
  assert.deepEqual(comparison.pairs, [
    { argumentHash: 'h1', a: 0.7, b: 0.9 },
    { argumentHash: 'h0', a: 0.5, b: 0.5 },
  ]);
  // h1 changed its loss, and h2 has one where it had none.
  assert.deepEqual([comparison.shared, comparison.onlyA, comparison.onlyB, comparison.changed], [3, 2, 0, 2]);
});

test('NaN and ±Infinity are numbers of their column: shown, sorted (NaN last either way) and compared', () => {
  const diverged = table([
    { lr: 0.1, loss: 0.5 },
    { lr: 0.2, loss: Number.NaN },
    { lr: 0.3, loss: Infinity },
    { lr: 0.4, loss: -Infinity },
    { lr: 0.5, loss: null },
  ]);
  const loss = diverged.columns[1];
  assert.deepEqual([loss.kind, loss.min, loss.max], ['number', 0.5, 0.5]);
  const keep = (query: Parameters<typeof selectRows>[1]) => selectRows(diverged, query).map((row) => row.argumentHash);
  assert.deepEqual(keep({ sort: 'loss' }), ['h3', 'h0', 'h2', 'h1', 'h4']);
  assert.deepEqual(keep({ sort: 'loss', descending: true }), ['h2', 'h0', 'h3', 'h1', 'h4']);
  assert.deepEqual(keep({ filters: [{ column: 'loss', min: 1 }] }), ['h2']);
  const before = table([
    { lr: 0.1, loss: 0.5 },
    { lr: 0.2, loss: 0.6 },
    { lr: 0.3, loss: 0.7 },
    { lr: 0.4, loss: -Infinity },
    { lr: 0.5, loss: 0.9 },
  ]);
  const comparison = compareTables(before, diverged, 'loss');
  assert.equal(comparison.changed, 3, 'NaN, Infinity and a missing value where numbers were are changes');
  assert.deepEqual(
    comparison.pairs.map((pair) => pair.argumentHash),
    ['h1', 'h2', 'h0', 'h3'],
    'a number that became NaN or infinite is the largest difference',
  );
  assert.equal(compareTables(diverged, diverged, 'loss').changed, 0, 'NaN stayed NaN: no change');
});

test('numbers written as text — a BigInt output, a "0.5" input — sort by value, before other text', () => {
  const big = table([
    { n: 21, big: 10n ** 21n + 1n, tag: 'b' },
    { n: 20, big: 10n ** 20n + 1n, tag: '10' },
    { n: 0, big: 1n, tag: '9' },
    { n: 22, big: 9n * 10n ** 20n + 1n, tag: '0.5' },
    { n: 23, big: -(10n ** 30n), tag: 'a' },
  ]);
  const keep = (query: Parameters<typeof selectRows>[1]) => selectRows(big, query).map((row) => row.argumentHash);
  assert.deepEqual(keep({ sort: 'big' }), ['h4', 'h2', 'h1', 'h3', 'h0'], 'by value, exactly beyond 2^53');
  assert.deepEqual(keep({ sort: 'big', descending: true }), ['h0', 'h3', 'h1', 'h2', 'h4']);
  assert.deepEqual(keep({ sort: 'tag' }), ['h3', 'h2', 'h1', 'h4', 'h0'], '0.5, 9, 10, then a, b');
  assert.deepEqual(big.columns[1].values, ['-1000000000000000000000000000000', '1', ...[
    '100000000000000000001', '900000000000000000001', '1000000000000000000001',
  ]]);
});

test('a bound given as an integer\'s digits keeps BigInts beyond 2^53 exactly', () => {
  const big = table([{ n: 2n ** 53n }, { n: 2n ** 53n + 1n }, { n: 2n ** 53n + 2n }, { n: 5 }]);
  const keep = (filter: Filter) => selectRows(big, { filters: [filter] }).map((row) => row.argumentHash);
  assert.deepEqual(keep({ column: 'n', above: '9007199254740993' }), ['h2']);
  assert.deepEqual(keep({ column: 'n', min: '9007199254740993', max: '9007199254740993' }), ['h1']);
  assert.deepEqual(keep({ column: 'n', below: '9007199254740993' }), ['h0', 'h3']);
  assert.deepEqual(keep({ column: 'n', max: '-1' }), []);
});

test('a range keeps numbers, and text writing one (a BigInt) by its value, in a column of numbers and text', () => {
  const mixed = table([
    { lr: 'auto', n: 2n },
    { lr: 0.1, n: 10n },
    { lr: 0.2, n: 12n },
    { lr: 0.3, n: 10n ** 20n },
    { lr: Number.NaN, n: 'many' },
  ]);
  const keep = (filter: Filter) => selectRows(mixed, { filters: [filter] }).map((row) => row.argumentHash);
  assert.deepEqual(keep({ column: 'lr', above: 0.15 }), ['h2', 'h3'], "neither 'auto' nor NaN is above 0.15");
  assert.deepEqual(keep({ column: 'lr', max: 0.2 }), ['h1', 'h2']);
  assert.deepEqual(keep({ column: 'n', min: 3, max: 12 }), ['h1', 'h2'], '10 and 12, not 2 (after 12 as text)');
  assert.deepEqual(keep({ column: 'n', above: 1e19 }), ['h3']);
  assert.deepEqual(keep({ column: 'lr', values: ['0.2', 0.2] }), ['h2']);
});

test('NaN, ±Infinity and -0 are values of their own: a plot point, a filter value and a column value each', () => {
  const odd = table([
    { x: 1, loss: 1 },
    { x: Number.NaN, loss: 100 },
    { x: Infinity, loss: 200 },
    { x: -Infinity, loss: 300 },
    { x: null, loss: 500 },
    { x: -0, loss: 400 },
    { x: 0, loss: 0 },
  ]);
  const points = groupPoints(odd, odd.rows, ['x'], 'loss');
  assert.deepEqual(
    points.map((point) => [point.keys[0], point.n, point.mean]),
    [
      [-Infinity, 1, 300],
      [-0, 1, 400],
      [0, 1, 0],
      [1, 1, 1],
      [Infinity, 1, 200],
      [Number.NaN, 1, 100],
      [null, 1, 500],
    ],
    'f(NaN), f(±Infinity) and f(null) are not one point, nor f(-0) and f(0)',
  );
  const keep = (values: (number | null)[]) =>
    selectRows(odd, { filters: [{ column: 'x', values }] }).map((row) => row.argumentHash);
  assert.deepEqual(keep([Number.NaN]), ['h1']);
  assert.deepEqual(keep([Infinity, -Infinity]), ['h2', 'h3']);
  assert.deepEqual(keep([null]), ['h4']);
  assert.deepEqual(keep([-0]), ['h5']);
  assert.deepEqual(keep([0]), ['h6']);
  assert.equal(odd.columns[0].distinct, 7);
  assert.ok(odd.columns[0].values!.some((value) => Object.is(value, -0)), '-0 is listed beside 0');
});

test('an offset past the last row gives the last page', () => {
  const rows = table(Array.from({ length: 250 }, (_, i) => ({ x: i })));
  const at = (offset: number, limit: number) => {
    const page = pageOf(rows, rows.rows, offset, limit);
    return [page.offset, page.rows.length];
  };
  assert.deepEqual(at(1000, 100), [200, 50]);
  assert.deepEqual(at(250, 100), [200, 50]);
  assert.deepEqual(at(199, 100), [199, 51], 'an offset within the rows is kept');
  assert.deepEqual(at(-5, 100), [0, 100]);
  assert.deepEqual(at(1000, 0), [1000, 0], 'no rows asked for (the columns only)');
  const none = pageOf(rows, [], 300, 100);
  assert.deepEqual([none.offset, none.rows.length], [300, 0]);
});
