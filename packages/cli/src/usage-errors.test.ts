import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeOptions, usageErrorOf, type ParseState } from './usage-errors.js';

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
  const missing = usageErrorOf('Not enough non-option arguments: got 0, need at least 1', {
    argv: ['show'],
    command: 'show <fn> [argument]',
    options: [],
  });
  assert.equal(missing.message, 'funes show needs <fn>');
  const choice = usageErrorOf('Invalid values:\n  Argument: format, Given: "xml", Choices: "csv", "json"', log);
  assert.deepEqual([choice.message, choice.hint], ["--format 'xml' is not a choice", 'choose one of csv, json']);
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
