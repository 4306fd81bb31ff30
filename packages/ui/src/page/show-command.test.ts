import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { showCommand, shellWord } from './show-command.js';

const HASH = 'bc77c66f89ea2f42552d2efa8cab625435ea48fa804e585b6411fef1fbd808b2';
const ARGUMENT = 'bd11724c7d24774ff000083b91a5a1a2cf35de53c3da65e0c4343e054019ca47';

/** The words a POSIX shell makes of a command, its first word (`funes`) replaced by a printer. */
function words(command: string): string[] {
  const printed = spawnSync('/bin/sh', ['-c', command.replace(/^funes /, `printf '%s\\n' `)], { encoding: 'utf8' });
  assert.equal(printed.status, 0, printed.stderr);
  return printed.stdout.split('\n').slice(0, -1);
}

test('a name from the cache reaches funes show as one word, and the shell runs nothing else', () => {
  for (const name of ['fit $(touch pwned)', "it's `id`", 'a; rm -rf ~', 'x"y\\z', 'user@host', 'entraîner 训练']) {
    assert.deepEqual(words(showCommand(name, HASH, ARGUMENT)), ['show', `${name}@bc77c66f89ea`, 'bd11724c7d24']);
  }
  assert.equal(showCommand('train', HASH, ARGUMENT), 'funes show train@bc77c66f89ea bd11724c7d24');
  assert.equal(shellWord('a.b-c_d'), 'a.b-c_d');
});

test('a name the command line cannot take, or that shows other than it is, gives way to the hash', () => {
  for (const name of ['-n', 'fit\u202E', 'a\nfunes rm -f x', 'bell\u0007']) {
    assert.equal(showCommand(name, HASH, ARGUMENT), 'funes show @bc77c66f89ea bd11724c7d24');
  }
});
