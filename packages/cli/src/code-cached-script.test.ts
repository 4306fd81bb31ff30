import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileScript, runScript, writeCodeCache } from './code-cached-script.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-code-cache-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A script answering `answer`, reporting what it was run with, importing through `importModule`. */
function source(answer: string): string {
  return `'use strict';
module.exports.answer = () => '${answer}';
module.exports.where = [__filename, __dirname, typeof require('node:path').join];
module.exports.imported = () => importModule('node:path').then((path) => path.sep);
`;
}

interface Exports {
  answer(): string;
  where: [string, string, string];
  imported(): Promise<string>;
}

/**
 * Whether V8 turned down the cache given for `file`, in a fresh process: in this one V8
 * may find the source in its own cache of what it compiled, and not read the data at all.
 */
function rejectedInFreshProcess(file: string): boolean | undefined {
  const code = `import { compileScript } from ${JSON.stringify(import.meta.resolve('./code-cached-script.ts'))};
    process.stdout.write(String(compileScript(${JSON.stringify(file)}).script.cachedDataRejected));`;
  const tsx = import.meta.resolve('tsx');
  const output = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', code]);
  return output.toString() === 'undefined' ? undefined : output.toString() === 'true';
}

function run(file: string): { exports: Exports; cacheRejected: boolean | undefined } {
  const compiled = compileScript(file);
  const exports = runScript(compiled, (specifier) => import(specifier)) as Exports;
  return { exports, cacheRejected: compiled.script.cachedDataRejected };
}

test('a script runs as a CommonJS module, with its code cache once one is written', async () => {
  const file = join(dir, 'script.cjs');
  writeFileSync(file, source('first'));
  const uncached = run(file);
  assert.equal(uncached.cacheRejected, undefined, 'no cache yet');
  assert.equal(uncached.exports.answer(), 'first');
  assert.deepEqual(uncached.exports.where, [file, dir, 'function']);
  assert.equal(await uncached.exports.imported(), '/');

  const compiled = compileScript(file);
  runScript(compiled, (specifier) => import(specifier));
  writeCodeCache(compiled);
  assert.equal(rejectedInFreshProcess(file), false, 'V8 took the cache');
  const cached = run(file);
  assert.equal(cached.exports.answer(), 'first');
  assert.equal(await cached.exports.imported(), '/');
});

test('a cache made from another source, even one of the same length, is not used', () => {
  const file = join(dir, 'edited.cjs');
  writeFileSync(file, source('AAAA'));
  const compiled = compileScript(file);
  runScript(compiled, (specifier) => import(specifier));
  writeCodeCache(compiled);

  writeFileSync(file, source('BBBB'));
  const edited = run(file);
  assert.equal(edited.cacheRejected, undefined, 'the cache was not given to V8');
  assert.equal(edited.exports.answer(), 'BBBB');
});

test('a damaged cache file is ignored, and V8 turns down data that is not its own', () => {
  const file = join(dir, 'damaged.cjs');
  writeFileSync(file, source('kept'));
  for (const damaged of [Buffer.alloc(0), Buffer.from([1, 2]), Buffer.alloc(64, 0xff)]) {
    writeFileSync(`${file}.cache`, damaged);
    const { exports, cacheRejected } = run(file);
    assert.equal(cacheRejected, undefined);
    assert.equal(exports.answer(), 'kept');
  }
  const text = Buffer.from(source('kept'));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(text.length);
  writeFileSync(`${file}.cache`, Buffer.concat([length, text, Buffer.alloc(256, 0x5a)]));
  assert.equal(rejectedInFreshProcess(file), true);
  assert.equal(run(file).exports.answer(), 'kept');
});

test('the bundled CLI comes with a code cache this Node takes (npm run build)', () => {
  const taken = rejectedInFreshProcess(fileURLToPath(new URL('../bundle/cli.cjs', import.meta.url))) === false;
  assert.ok(taken, 'bundle/cli.cjs.cache does not fit this Node (restored by turbo?): npm run build -- --force');
});
