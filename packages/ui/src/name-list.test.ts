import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinNames, splitNames } from './name-list.js';

describe('a list of column names in one parameter', () => {
  it('gives back any name as itself, commas and percent signs included', () => {
    const names = ['cfg.a,b', ',', '100%', '%2C', 'a%25,b', 'lr', 'x y'];
    assert.deepEqual(splitNames(joinNames(names)), names);
    for (const name of names) assert.deepEqual(splitNames(joinNames([name])), [name]);
  });

  it('reads a list of plain names as the comma list links have always held', () => {
    assert.equal(joinNames(['argumentHash', 'createdAt']), 'argumentHash,createdAt');
    assert.deepEqual(splitNames('argumentHash,createdAt'), ['argumentHash', 'createdAt']);
    assert.deepEqual(splitNames('lr,depth'), ['lr', 'depth']);
  });

  it('reads an empty list, and the lone comma that stands for one, as no names', () => {
    assert.deepEqual(splitNames(''), []);
    assert.deepEqual(splitNames(','), []);
    assert.equal(joinNames([]), '');
  });
});
