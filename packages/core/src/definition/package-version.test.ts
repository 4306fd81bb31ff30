import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { packageName, packageOfFile, resolveBareImport } from './package-version.js';
import { isInside, projectRoot, relativePath, workspaceRoot } from './project-root.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-packages-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, content: string): string {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

write('package.json', JSON.stringify({ name: 'root', workspaces: ['packages/*'] }));
const app = write('packages/app/src/main.js', '');
write('packages/app/package.json', JSON.stringify({ name: 'app' }));
write('packages/utils/package.json', JSON.stringify({ name: 'utils', exports: { '.': { import: './src/index.js' } } }));
const utilsEntry = write('packages/utils/src/index.js', '');
write(
  'node_modules/left-pad/package.json',
  JSON.stringify({ name: 'left-pad', version: '1.3.0', dependencies: { '@scope/thing': '^2', 'not-installed': '^1' } }),
);
write('node_modules/@scope/thing/package.json', JSON.stringify({ name: '@scope/thing', version: '2.0.0' }));
symlinkSync(join(dir, 'packages/utils'), join(dir, 'node_modules/utils'), 'dir');

test('package names of specifiers', () => {
  assert.equal(packageName('lodash/fp'), 'lodash');
  assert.equal(packageName('@scope/thing/sub/path'), '@scope/thing');
});

test('bare imports: builtins by name, installed packages by version, linked workspace packages as local files', () => {
  const workspace = workspaceRoot(projectRoot(app));
  assert.equal(workspace, dir);
  assert.deepEqual(resolveBareImport(app, 'fs', workspace), { kind: 'builtin', name: 'node:fs' });
  assert.deepEqual(resolveBareImport(app, 'node:path', workspace), { kind: 'builtin', name: 'node:path' });
  assert.deepEqual(resolveBareImport(app, 'left-pad', workspace), {
    kind: 'package',
    name: 'left-pad',
    version: '1.3.0',
    closure: ['@scope/thing@2.0.0', 'left-pad@1.3.0'],
  });
  assert.deepEqual(resolveBareImport(app, '@scope/thing/x', workspace), {
    kind: 'package',
    name: '@scope/thing',
    version: '2.0.0',
    closure: ['@scope/thing@2.0.0'],
  });
  assert.deepEqual(resolveBareImport(app, 'utils', workspace), { kind: 'local', name: 'utils', file: utilsEntry });
  assert.deepEqual(resolveBareImport(app, 'absent', workspace), { kind: 'missing', name: 'absent' });
});

test('the package a file belongs to', () => {
  assert.deepEqual(packageOfFile(join(dir, 'node_modules/@scope/thing/lib/a.js')), {
    name: '@scope/thing',
    version: '2.0.0',
    closure: ['@scope/thing@2.0.0'],
    path: 'lib/a.js',
  });
  assert.equal(packageOfFile(app), undefined);
});

test('project and workspace roots, and paths relative to them', () => {
  assert.equal(projectRoot(app), join(dir, 'packages/app'));
  assert.equal(relativePath(projectRoot(app), app), 'src/main.js');
  assert.equal(relativePath(projectRoot(app), utilsEntry), '../utils/src/index.js');
  assert.ok(isInside(dir, app));
  assert.ok(!isInside(join(dir, 'packages/app'), utilsEntry));
});

test('pnpm-workspace.yaml marks a workspace root', () => {
  write('pnpm/pnpm-workspace.yaml', "packages:\n  - 'packages/*'\n");
  write('pnpm/package.json', JSON.stringify({ name: 'pnpm-root' }));
  const file = write('pnpm/packages/app/index.js', '');
  write('pnpm/packages/app/package.json', JSON.stringify({ name: 'pnpm-app' }));
  assert.equal(workspaceRoot(projectRoot(file)), join(dir, 'pnpm'));
});
