import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeOptions, switchValueError, usageErrorOf, type ParseState } from './usage-errors.js';

const log: ParseState = {
  argv: ['log', '--onelin'],
  command: 'log [fn..]',
  options: ['help', 'json', 'quiet', 'q', 'oneline', 'max-count', 'n'],
};

test("yargs' messages become usage errors naming the option, with the closest ones as hint", () => {
  const unknown = usageErrorOf('Unknown argument: onelin', log);
  assert.deepEqual(
    [unknown.code, unknown.message, unknown.hint],
    ['EUSAGE', 'unknown option --onelin for funes log', 'did you mean --oneline?'],
  );
  // A negated option the command lacks is reported as typed, not as an argument named by the rest of it.
  const negated = usageErrorOf('Unknown argument: onelin', { ...log, argv: ['log', '--no-onelin'] });
  assert.deepEqual(
    [negated.message, negated.hint],
    ['unknown option --no-onelin for funes log', 'did you mean --no-oneline?'],
  );
  const positional = usageErrorOf('Unknown argument: extra', { ...log, argv: ['log', 'a', 'extra'] });
  assert.equal(positional.message, "unexpected argument 'extra'");
  assert.equal(positional.hint, 'usage: funes log [fn..] [options]; see `funes log --help`');
  // A lone `-` after short switches is an argument, not an option `--` read within `-n`.
  const dash = usageErrorOf('Unknown argument: -', { ...log, command: 'gc', argv: ['gc', '-n', '-'] });
  assert.equal(dash.message, "unexpected argument '-'");
  const missing = usageErrorOf('Not enough non-option arguments: got 0, need at least 1', {
    argv: ['show'],
    command: 'show <fn> [argument]',
    options: [],
  });
  assert.equal(missing.message, 'funes show needs <fn>');
  const choice = usageErrorOf('Invalid values:\n  Argument: format, Given: "xml", Choices: "csv", "json"', log);
  assert.deepEqual([choice.message, choice.hint], ["--format 'xml' is not a choice", 'choose one of csv, json']);
  const action = usageErrorOf('Invalid values:\n  Argument: action, Given: "rm", Choices: "list", "add", "remove"', {
    argv: ['remote', 'rm', 'origin'],
    command: 'remote [action] [name] [url]',
    options: [],
  });
  assert.deepEqual(
    [action.message, action.hint],
    ["funes remote action 'rm' is not a choice", 'choose one of list, add, remove'],
  );
  assert.equal(
    usageErrorOf('Arguments list and verify are mutually exclusive', log).message,
    '--list and --verify cannot be used together',
  );
  assert.equal(usageErrorOf('Something new\n  on two lines', log).message, 'Something new on two lines');
});

test('close options: a few edits away, or the typed text extended; never one-letter aliases', () => {
  assert.deepEqual(closeOptions('onelin', log.options), ['oneline']);
  assert.deepEqual(closeOptions('max', log.options), ['max-count']);
  assert.deepEqual(closeOptions('x', log.options), []);
  assert.deepEqual(closeOptions('frobnicate', log.options), []);
});

test('a switch given a value other than true or false is refused, as typed: long, camel-cased, short', () => {
  const switches = new Set(['dry-run', 'n', 'force', 'f', 'json']);
  const refused = (...argv: string[]) => {
    const error = switchValueError(['rm', 'train', ...argv], switches);
    return error && [error.code, error.message, error.hint];
  };
  assert.deepEqual(refused('--dry-run=yes'), [
    'EUSAGE',
    "--dry-run is on or off: 'yes' is neither true nor false",
    'write --dry-run alone to turn it on, or --dry-run=false to leave it off',
  ]);
  assert.equal(refused('--dryRun=1')?.[1], "--dryRun is on or off: '1' is neither true nor false");
  assert.equal(refused('--dry-run=TRUE')?.[1], "--dry-run is on or off: 'TRUE' is neither true nor false");
  assert.equal(refused('--dry-run=')?.[1], "--dry-run is on or off: '' is neither true nor false");
  // In a group of short switches the value goes to the letter before it.
  assert.equal(refused('-fn=yes')?.[1], "-n is on or off: 'yes' is neither true nor false");
  assert.equal(refused('-nf=on')?.[1], "-f is on or off: 'on' is neither true nor false");
  for (const fine of [['--dry-run=true'], ['--dry-run=false'], ['-n=false'], ['-fn'], ['--json'], ['--cache=a=b']]) {
    assert.equal(refused(...fine), undefined, fine.join(' '));
  }
});
