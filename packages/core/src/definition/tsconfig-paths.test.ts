import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { aliasCandidates, pathAliases, stripJsonComments } from './tsconfig-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-tsconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const files: Record<string, string> = {
  'base/tsconfig.base.json': `{ "compilerOptions": { "paths": { "@shared/*": ["./shared/*"] } } }`,
  'app/tsconfig.json': `{ "extends": "../base/tsconfig.base.json", "compilerOptions": { "baseUrl": "./src" } }`,
  'app/src/deep/main.ts': '',
  'own/tsconfig.json': `{ "compilerOptions": { "paths": { "@lib/*": ["src/lib/*", ` +
      `"vendor/*"], "@lib/special": ["special.ts"] } } }`,
  'own/src/main.ts': '',
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

test('tsconfig text: comments and trailing commas are dropped, strings kept', () => {
  const text = `{ // a comment\n "a": "http://x/*y*/", /* block */ "b": [1, 2,], }`;
  assert.deepEqual(JSON.parse(stripJsonComments(text)), { a: 'http://x/*y*/', b: [1, 2] });
});

test('aliases of the nearest tsconfig.json, extends followed, ' +
    'targets relative to baseUrl or the declaring config', () => {
  const aliases = pathAliases(join(dir, 'app/src/deep/main.ts'))!;
  assert.equal(aliases.baseUrl, join(dir, 'app/src'));
  assert.deepEqual(aliasCandidates(aliases, '@shared/util'), [
    join(dir, 'base/shared/util'),
    join(dir, 'app/src/@shared/util'),
  ]);

  const own = pathAliases(join(dir, 'own/src/main.ts'))!;
  assert.equal(own.baseUrl, undefined);
  assert.deepEqual(aliasCandidates(own, '@lib/special'), [
    join(dir, 'own/special.ts'),
    join(dir, 'own/src/lib/special'),
    join(dir, 'own/vendor/special'),
  ]);
  assert.deepEqual(aliasCandidates(own, 'lodash'), []);
  assert.equal(pathAliases(join(tmpdir(), 'no-config-here', 'x.ts')), pathAliases(join(tmpdir(), 'x.ts')));
});
