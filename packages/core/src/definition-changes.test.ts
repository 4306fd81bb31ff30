import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dependency } from './definition/index.js';
import { definitionChanges } from './definition-changes.js';

const dep = (kind: Dependency['kind'], name: string, hash: string, extra: Partial<Dependency> = {}): Dependency => ({
  kind,
  name,
  hash,
  ...extra,
});

test('changes come most telling first: own code, helpers, captured values, packages', () => {
  const before = {
    source: 'function f(x) { return g(x); }',
    dependencies: [
      dep('package', '@scope/pkg@1.0.0', 'p1', { version: '1.0.0' }),
      dep('local', 'g', 'g1', { source: 'function g(x) { return x; }', file: 'src/g.mjs', line: 1 }),
      dep('function', 'f', 'f1'),
      dep('import', 'node:fs', 'i'),
    ],
  };
  const after = {
    source: 'function f(x) { return g(x) + 1; }',
    dependencies: [
      dep('function', 'f', 'f2'),
      dep('local', 'g', 'g2', { source: 'function g(x) { return x * 2; }', file: 'src/g.mjs', line: 3 }),
      dep('package', '@scope/pkg@1.1.0', 'p2', { version: '1.1.0' }),
      dep('closure', 'k', 'k1'),
    ],
  };
  const changes = definitionChanges(before, after);
  assert.deepEqual(
    changes.map((c) => `${c.change} ${c.kind} ${c.name}`),
    [
      'changed function f',
      'changed local g',
      'added closure k',
      'changed package @scope/pkg',
      'removed import node:fs',
    ],
  );
  assert.match(changes[0].diff!, /^\+function f\(x\) \{ return g\(x\) \+ 1; \}$/m);
  assert.equal(changes[1].line, 3, 'where the helper is now');
  assert.match(changes[1].diff!, /^-function g\(x\) \{ return x; \}$/m);
  assert.deepEqual([changes[3].before, changes[3].after], ['1.0.0', '1.1.0']);
});

test('a pinned version is the first change; identical definitions have none', () => {
  const same = { source: 'f', dependencies: [dep('function', 'f', 'a')] };
  assert.deepEqual(definitionChanges(same, same), []);
  const [pin] = definitionChanges({ ...same, pinnedVersion: 'v1' }, { ...same, pinnedVersion: 'v2' });
  assert.deepEqual(pin, { change: 'changed', kind: 'version', name: 'version', before: 'v1', after: 'v2' });
});

test('of several dependencies of one name, each is paired with its own: a statement added is added', () => {
  const declaration = dep('local', 'config', 'c1', { source: 'const config = { scale: 2 }', file: 'c.mjs', line: 1 });
  const before = { source: 'f', dependencies: [dep('function', 'f', 'f1'), declaration] };
  const statement = dep('local', 'config', 's1', { source: 'config.scale = 4;', file: 'main.mjs', line: 3 });
  const after = { source: 'f', dependencies: [dep('function', 'f', 'f1'), statement, declaration] };
  assert.deepEqual(
    definitionChanges(before, after).map((c) => `${c.change} ${c.kind} ${c.name} ${c.file}:${c.line}`),
    ['added local config main.mjs:3'],
  );
  const edited = { ...statement, hash: 's2', source: 'config.scale = 5;' };
  const now = { source: 'f', dependencies: [dep('function', 'f', 'f1'), declaration, edited] };
  const changes = definitionChanges(after, now);
  assert.deepEqual(
    changes.map((c) => `${c.change} ${c.kind} ${c.name} ${c.file}:${c.line}`),
    ['changed local config main.mjs:3'],
  );
  assert.match(changes[0]!.diff!, /^-config\.scale = 4;$/m);
});
