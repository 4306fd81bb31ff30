import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FunesError } from '@funes/core';
import { CliError, errorReport, ExitCode, UsageError } from './errors.js';

test('CLI errors are FunesErrors with stable codes, and map to exit codes', () => {
  const missing = new CliError('ENOFUNCTION', 'no function named trian', { hint: "did you mean 'train'?" });
  assert.ok(missing instanceof FunesError);
  assert.equal(missing.name, 'CliError');
  assert.deepEqual(errorReport(missing), {
    exitCode: ExitCode.failure,
    code: 'ENOFUNCTION',
    message: 'no function named trian',
    hint: "did you mean 'train'?",
  });
  const usage = new UsageError('--since takes a duration such as 7d');
  assert.ok(usage instanceof FunesError && usage.name === 'UsageError');
  assert.equal(errorReport(usage).exitCode, ExitCode.usage);
  const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  assert.deepEqual(errorReport(denied), {
    exitCode: ExitCode.failure,
    code: 'EACCES',
    message: 'EACCES: permission denied',
    hint: 'check the permissions of the cache directory',
  });
  assert.equal(errorReport(new TypeError('boom')).code, 'EINTERNAL');
  // A write on a descriptor names no path: the path its thrower tagged it with is named instead.
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    syscall: 'write',
    path: '/data/cache/train/.tmp-1-ab',
  });
  assert.equal(errorReport(full).message, 'write /data/cache/train/.tmp-1-ab failed: no space left on device');
});
