import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { isRemoving, removeVersionDir } from './remove.js';

let functionDir: string;
let dir: string;

beforeEach(() => {
  functionDir = join(mkdtempSync(join(tmpdir(), 'funes-remove-')), 'fn');
  dir = join(functionDir, 'a'.repeat(64));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'definition.json'), 'metadata');
  writeFileSync(join(dir, '1'.repeat(64)), 'stored before the removal');
});

afterEach(() => rmSync(join(functionDir, '..'), { recursive: true, force: true }));

test('a version not in use once renamed away is removed, and its emptied function directory too', () => {
  let seen: string[] = [];
  assert.equal(removeVersionDir(dir, (renamed) => ((seen = readdirSync(renamed).sort()), false)), true);
  assert.deepEqual(seen, ['1'.repeat(64), 'definition.json']);
  assert.equal(existsSync(functionDir), false);
});

test('a version found in use once renamed away is put back whole', () => {
  assert.equal(removeVersionDir(dir, () => true), false);
  assert.deepEqual(readdirSync(dir).sort(), ['1'.repeat(64), 'definition.json']);
  assert.deepEqual(readdirSync(functionDir), ['a'.repeat(64)], 'nothing left beside it');
});

test("put back beside a writer that made the directory again meanwhile: both kept, " +
    "the writer's files never replaced", () => {
  const kept = removeVersionDir(dir, () => {
    // A writer found its directory gone and made it again, with its own definition.json.
    mkdirSync(dir);
    writeFileSync(join(dir, 'definition.json'), "the writer's metadata");
    writeFileSync(join(dir, '2'.repeat(64)), 'stored by the writer');
    return true;
  });
  assert.equal(kept, false);
  assert.deepEqual(readdirSync(dir).sort(), ['1'.repeat(64), '2'.repeat(64), 'definition.json']);
  assert.equal(readFileSync(join(dir, 'definition.json'), 'utf8'), "the writer's metadata");
  assert.deepEqual(readdirSync(functionDir), ['a'.repeat(64)], 'nothing left beside it');
});

test('a version renamed away carries the pid of the process removing it: no other gc takes it for a leftover', () => {
  let name = '';
  removeVersionDir(dir, (renamed) => ((name = basename(renamed)), false));
  assert.match(name, new RegExp(`^\\.removing-${'a'.repeat(64)}-${process.pid}-[0-9a-f]{8}$`));
  assert.equal(isRemoving(name), true);
  assert.equal(isRemoving(`.removing-${'a'.repeat(64)}-0123abcd`), true, 'a name without a pid is still one');
  const hash = 'a'.repeat(64);
  for (const loose of ['.removing-drafts', `.removing-${hash}-0-0123abcd`, `.removing-${hash}-12-`]) {
    assert.equal(isRemoving(loose), false, loose);
  }
});
