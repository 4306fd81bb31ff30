import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { isHash } from '../layout.js';
import { memorious } from '../memorious.js';
import { inThreadReader, type ObjectReader } from './read-objects.js';
import { verifyCache } from './verify.js';
import { listCache } from './versions.js';

let cache: string;
let squareDir: string;
let cubeDir: string;

/** The version directory of a function with one version. */
function versionOf(name: string): string {
  const functionDir = join(cache, name);
  return join(functionDir, readdirSync(functionDir)[0]!);
}

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'funes-verify-'));
  const square = memorious((x: number) => x * x, { name: 'square', version: 'v1', cacheDir: cache });
  const cube = memorious((x: number) => x * x * x, { name: 'cube', version: 'v1', cacheDir: cache });
  for (let i = 0; i < 3; i++) {
    square(i);
    cube(i);
  }
  squareDir = versionOf('square');
  cubeDir = versionOf('cube');
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

test('a sound cache verifies: every object read, no problems', async () => {
  const ticks: number[] = [];
  const result = await verifyCache(listCache(cache), {
    functions: [],
    fix: false,
    progress: (label, total) => ({
      tick: (count = 1) => ticks.push(count),
      done: () => assert.equal(`${label} ${total}`, 'Verifying 6'),
    }),
  });
  assert.deepEqual(
    { versions: result.versions, objects: result.objects, problems: result.problems, ok: result.ok },
    { versions: 2, objects: 6, problems: [], ok: true },
  );
  assert.equal(ticks.reduce((a, b) => a + b, 0), 6);
});

test('reports a damaged object and definition.json, and removes them with fix', async () => {
  const object = join(squareDir, readdirSync(squareDir).filter(isHash)[0]!);
  writeFileSync(object, 'not an object');
  writeFileSync(join(cubeDir, 'definition.json'), '{ damaged');
  const found = await verifyCache(listCache(cache), { functions: [], fix: false });
  assert.equal(found.ok, false);
  assert.deepEqual(found.problems.map((p) => [p.kind, p.function, p.fixed]).sort(), [
    ['damaged-metadata', 'cube', false],
    ['damaged-object', 'square', false],
  ]);
  assert.ok(existsSync(object));
  const onlyCube = await verifyCache(listCache(cache), { functions: ['cube'], fix: false });
  assert.deepEqual(onlyCube.problems.map((p) => p.kind), ['damaged-metadata']);
  const fixed = await verifyCache(listCache(cache), { functions: [], fix: true });
  assert.equal(fixed.ok, true);
  assert.ok(fixed.problems.every((p) => p.fixed));
  assert.equal(existsSync(object), false);
  assert.equal(existsSync(join(cubeDir, 'definition.json')), false);
  const after = await verifyCache(listCache(cache), { functions: [], fix: false });
  assert.deepEqual(after.problems.map((p) => p.kind), ['missing-metadata']);
});

test('reports a version directory holding no object nor a valid definition.json, and removes it with fix', async () => {
  const empty = join(cache, 'square', 'ab'.repeat(32));
  mkdirSync(empty);
  const onlyDamagedMetadata = join(cache, 'cube', 'cd'.repeat(32));
  mkdirSync(onlyDamagedMetadata);
  writeFileSync(join(onlyDamagedMetadata, 'definition.json'), '{ damaged');
  writeFileSync(join(onlyDamagedMetadata, '.used'), '');
  const found = await verifyCache(listCache(cache), { functions: [], fix: false });
  assert.equal(found.ok, false);
  assert.deepEqual(found.problems.map((p) => [p.kind, p.file, p.fixed]).sort(), [
    ['empty-version', onlyDamagedMetadata, false],
    ['empty-version', empty, false],
  ]);
  assert.match(found.problems.find((p) => p.file === empty)!.reason, /no object and no definition\.json/);
  const fixed = await verifyCache(listCache(cache), { functions: [], fix: true });
  assert.equal(fixed.ok, true);
  assert.equal(existsSync(empty) || existsSync(onlyDamagedMetadata), false);
  assert.deepEqual(readdirSync(join(cache, 'square')), [squareDir.slice(squareDir.lastIndexOf('/') + 1)]);
  const after = await verifyCache(listCache(cache), { functions: [], fix: false });
  assert.deepEqual({ problems: after.problems, objects: after.objects }, { problems: [], objects: 6 });
});

test('fix keeps an object stored again under its name after it was found damaged', async () => {
  const object = join(squareDir, readdirSync(squareDir).filter(isHash)[0]!);
  const sound = readFileSync(object);
  writeFileSync(object, 'not an object');
  // Between the read and the removal, a call that met the same damage stores its result again (atomically).
  const reader = (): ObjectReader => {
    const inner = inThreadReader('whole');
    return {
      read: (files) => inner.read(files),
      close: () => inner.close(),
      readAll: (jobs, onRead) =>
        inner.readAll(jobs, (read, job) => {
          if (read.problems.length > 0) {
            writeFileSync(join(squareDir, 'stored-again'), sound);
            renameSync(join(squareDir, 'stored-again'), object);
          }
          onRead(read, job);
        }),
    };
  };
  const result = await verifyCache(listCache(cache), { functions: ['square'], fix: true, reader });
  assert.deepEqual(result.problems.map((p) => [p.kind, p.file, p.fixed]), [['damaged-object', object, true]]);
  assert.deepEqual(readFileSync(object), sound, 'the result stored again is kept');
  assert.deepEqual(readdirSync(squareDir).filter((name) => name.startsWith('.tmp-')), []);
  const gone = await verifyCache(listCache(cache), { functions: ['square'], fix: false });
  assert.deepEqual(gone.problems, []);
});
