import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSync } from 'oxc-parser';
import type { AstNode } from '../function-source.js';
import { locateFunction, nameAtSite, writtenAtSite } from './function-location.js';

const text = `const a = memorious(function train(x) { return x; });
const b = memorious((x) => x + 1, { name: 'inc' });
class Model { predict(x) { return x * 2; } }
function declared(y) { return y; }
const c = memorious(declared);
const d = memorious(function train(x) { return x; });
`;
/** Character offset of a 1-based line and column of `text`. */
function offsetOf(line: number, column: number): number {
  return text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0) + column - 1;
}

const program = parseSync('m.js', text, { sourceType: 'module' }).program as unknown as AstNode;

function located(options: {
  fnText?: string;
  fnName: string;
  line?: number;
  column?: number;
  transpiled: boolean;
}): string | undefined {
  const siteOffset = options.line === undefined ? undefined : offsetOf(options.line, options.column ?? 1);
  const node = locateFunction({
    text,
    program,
    fnText: options.fnText ?? '',
    fnName: options.fnName,
    siteOffset,
    transpiled: options.transpiled,
  });
  return node && text.slice(node.start, node.end);
}

test('untranspiled: the exact text of fn.toString(), the occurrence nearest the call site', () => {
  const fnText = 'function train(x) { return x; }';
  assert.equal(located({ fnText, fnName: 'train', line: 6, column: 11, transpiled: false }), fnText);
  const found = locateFunction({
    text,
    program,
    fnText,
    fnName: 'train',
    siteOffset: offsetOf(6, 11),
    transpiled: false,
  });
  assert.equal(found!.start, text.lastIndexOf(fnText));
  assert.equal(
    located({ fnText: 'predict(x) { return x * 2; }', fnName: 'predict', transpiled: false }),
    '(x) { return x * 2; }',
  );
  assert.equal(located({ fnText: 'function other() {}', fnName: 'other', transpiled: false }), undefined);
});

test('transpiled: the function passed at the call site, then a unique function of that name', () => {
  assert.equal(located({ fnName: '', line: 2, column: 11, transpiled: true }), '(x) => x + 1');
  assert.equal(
    located({ fnName: 'declared', line: 5, column: 11, transpiled: true }),
    'function declared(y) { return y; }',
  );
  assert.equal(located({ fnName: 'predict', transpiled: true }), '(x) { return x * 2; }');
});

test('transpiled: a name that disagrees, or is not unique, finds nothing rather than the wrong function', () => {
  assert.equal(located({ fnName: 'somethingElse', line: 2, column: 11, transpiled: true }), undefined);
  assert.equal(located({ fnName: 'train', transpiled: true }), undefined);
});

test('transpiled: a function written inline at the call site, when its name and arity agree', () => {
  const at = (fnName: string, fnLength: number | undefined, line: number) => {
    const node = writtenAtSite({
      text,
      program,
      fnText: '',
      fnName,
      fnLength,
      siteOffset: offsetOf(line, 11),
      transpiled: true,
    });
    return node && text.slice(node.start, node.end);
  };
  assert.equal(at('train', 1, 6), 'function train(x) { return x; }');
  assert.equal(at('', 1, 2), '(x) => x + 1');
  assert.equal(at('train', 2, 6), undefined);
  assert.equal(at('other', 1, 6), undefined);
  // A function passed by name is not written at the call site.
  assert.equal(at('declared', 1, 5), undefined);
});

test('an anonymous function written in the call is named by what the code gives the result', () => {
  const named = (code: string, lang: 'js' | 'ts' = 'js', fnLength = 1) => {
    const tree = parseSync(`m.${lang}`, code, { sourceType: 'module' }).program as unknown as AstNode;
    return nameAtSite(tree, code.indexOf('memorious('), fnLength);
  };
  assert.equal(named('const train = memorious(async (lr) => lr);'), 'train');
  assert.equal(named('let fit; fit = memorious((x) => x);'), 'fit');
  assert.equal(named('exports.train = memorious((x) => x);'), 'train');
  assert.equal(named("module.exports['odd-name'] = memorious((x) => x);"), 'odd-name');
  assert.equal(named("const ops = { scale: memorious((x) => x), 'b': 1 };"), 'scale');
  assert.equal(named("const ops = { 'odd-name': memorious(function (x) { return x; }) };"), 'odd-name');
  assert.equal(named('class M { predict = memorious((x) => x); }'), 'predict');
  assert.equal(named('class M { static make = memorious((x) => x); }'), 'make');
  assert.equal(named('const fit = memorious((c: Cfg) => c.lr) as Memorious<F>;', 'ts'), 'fit');
  assert.equal(named('const fit = memorious((c: Cfg) => c.lr)!;', 'ts'), 'fit');
  // Nowhere a name is given, or not to this call's result, or not for this function: none.
  for (const code of [
    'export default memorious((x) => x);',
    'register(memorious((x) => x));',
    'const [a] = [memorious((x) => x)];',
    'const { a } = memorious((x) => x);',
    'total += memorious((x) => x);',
    'const ops = { [key]: memorious((x) => x) };',
    'class M { #own = memorious((x) => x); }',
    'const train = memorious(named);',
    'const train = memorious(function named(x) { return x; });',
  ]) {
    assert.equal(named(code), undefined, code);
  }
  assert.equal(named('const train = memorious((a, b) => a);'), undefined, 'another arity: another function');
});
