import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionScript, completionsFor, type CompletionContext } from './completion.js';

const base: Omit<CompletionContext, 'words' | 'proposed'> = {
  valueOptions: new Set(['format', 'f', 'cache', 'since']),
  commands: ['log [fn..]', 'show <fn> [argument]', 'export <fn>', 'gc', 'completion [shell]'],
  functionNames: () => ['train', 'square', 'train'],
};
const complete = (words: string[], proposed: string[]) => completionsFor({ ...base, words, proposed });

test('offers only what is valid where the cursor is', () => {
  assert.deepEqual(complete(['gc', '--'], ['--json', '--quiet', '--q', '--dry-run', '--n']), [
    '--json',
    '--quiet',
    '--dry-run',
  ]);
  assert.deepEqual(complete(['export', 'train', '--format', ''], ['csv', 'jsonl', 'json']), ['csv', 'jsonl', 'json']);
  assert.deepEqual(complete(['log', '--since', ''], ['--json', '--oneline']), [], 'a value without choices');
  assert.deepEqual(complete(['show', ''], ['--json', 'log', 'gc']), ['square', 'train']);
  assert.deepEqual(complete(['show', 'train', ''], ['--json']), [], 'an argument hash, not a function');
  assert.deepEqual(complete(['log', 'train', 's'], []), ['square'], 'log takes many functions');
  assert.deepEqual(complete(['--cache', 'c', 'log', 't'], []), ['train']);
  assert.deepEqual(complete(['completion', ''], ['bash', 'zsh', 'log']), ['bash', 'zsh']);
  assert.deepEqual(complete(['l'], ['log', 'gc']), ['log']);
});

test('the scripts complete funes and npx funes with the project-local funes', () => {
  for (const shell of ['bash', 'zsh'] as const) {
    const script = completionScript(shell);
    assert.match(script, /node_modules\/\.bin\/funes/);
    assert.match(script, /--get-yargs-completions/);
    assert.match(script, /npx/);
  }
});
