import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbeddedSource } from './source.js';

/** A report without versions. */
const EMPTY = {
  cache: '/cache',
  writtenAt: '2026-01-01T00:00:00.000Z',
  functions: [],
  tables: {},
  definitions: {},
};

describe("a report's data", () => {
  it('has no version named as what every object inherits (a link with v=constructor)', async () => {
    const source = new EmbeddedSource(EMPTY);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(await source.definition(name), null, name);
      await assert.rejects(source.rows(name, {}, 0, 10), { message: `version ${name} is not in this report` });
      await assert.rejects(source.points(name, {}, [], 'loss'), { message: `version ${name} is not in this report` });
      assert.equal(await source.diff(name, name), '');
    }
  });
});
