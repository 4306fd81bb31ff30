import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSync } from 'oxc-parser';
import type { AstNode } from '../function-source.js';
import { localBindings } from './binding-names.js';
import { normalizedCode } from './code-normalization.js';

function code(source: string, file = 'x.ts'): string {
  const result = parseSync(file, source, { sourceType: 'module' });
  assert.deepEqual(result.errors, []);
  return normalizedCode(result.program as unknown as AstNode);
}

test('comments, whitespace, quotes and number spellings do not change the normal form', () => {
  assert.equal(
    code(`function f(x) { return x * 2 + 'a'.length + 16; }`),
    code(`// doubles\nfunction f( x ){\n  /* twice */ return x*2+"a".length + 0x10 ;\n}`),
  );
});

test('type annotations, assertions, type declarations and type-only imports do not change it', () => {
  const plain = code(`import { g } from './g.js';\nfunction f(x, o) { const y = x; return g(y); }`);
  const typed = code(
    [
      `import { g, type H } from './g.js';`,
      `import type { K } from './k.js';`,
      `interface O { a: number }`,
      `type T = string;`,
      ``,
    ].join('\n') +
      `function f<U>(x: number | U, o?: O): number { const y = x as number; return g(y!) satisfies number; }`,
  );
  assert.equal(plain, typed);
});

test('class members that exist only for the type checker do not change it', () => {
  assert.equal(
    code(`class A { constructor(w) { this.w = w; } m() { return this.w; } }`),
    code(
      `class A { declare z: string; private constructor(w: number) { this.w = w; ` +
          `} m(): number; m(): number { return this.w; } }`,
    ),
  );
});

test('code changes do change it, including optional chaining and literal values', () => {
  const base = code(`function f(x) { return x.a.b * 2; }`);
  assert.notEqual(base, code(`function f(x) { return x.a.b * 3; }`));
  assert.notEqual(base, code(`function f(x) { return x.a?.b * 2; }`));
  assert.notEqual(code(`const n = 10n;`), code(`const n = 11n;`));
  assert.notEqual(code(`const r = /a/g;`), code(`const r = /a/i;`));
});

/** The normal form with local bindings spelled by position, as definition hashes use it. */
function meaning(source: string): string {
  const program = parseSync('x.js', source, { sourceType: 'module' }).program as unknown as AstNode;
  const node = (program.body as AstNode[])[0]!;
  return normalizedCode(node, localBindings(node));
}

test("renaming locals and parameters, let for a const never assigned, " +
    "o['k'] for o.k and { x: x } for { x } keep the meaning", () => {
  const base = meaning(
    `function f(x) { const doubled = x * 2; const o = { k: doubled, doubled }; ` +
        `return o.k + o['doubled'] + helper(doubled); }`,
  );
  assert.equal(
    base,
    meaning(
      `function f(value) { let twice = value * 2; const o = { 'k': twice, doubled: twice }; ` +
          `return o['k'] + o.doubled + helper(twice); }`,
    ),
  );
  assert.notEqual(
    base,
    meaning(
      `function f(x) { const doubled = x * 2; const o = { k: doubled, doubled }; ` +
          `return o.k + o['doubled'] + other(doubled); }`,
    ),
    'a free name is a dependency: not renamed',
  );
  assert.notEqual(
    base,
    meaning(
      `function f(x) { const doubled = x * 2; const o = { key: doubled, doubled }; ` +
          `return o.key + o['doubled'] + helper(doubled); }`,
    ),
    'property names are not renamed',
  );
  assert.notEqual(meaning(`function f(a, b) { return a - b; }`), meaning(`function f(a, b) { return b - a; }`));
  assert.notEqual(
    meaning(`function f() { let n = 1; n++; return n; }`),
    meaning(`function f() { const n = 1; n++; return n; }`),
    'a const assigned throws: not the same',
  );
  assert.notEqual(
    meaning(`function f(x) { const helper = 1; return x + helper; }`),
    meaning(`function f(x) { const helper2 = 1; return x + helper; }`),
  );
});
