import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLocalHost } from './local-host.js';

test('a request to 127.0.0.1 or localhost with the port is answered; any other name or port is not', () => {
  assert.ok(isLocalHost('127.0.0.1:8700', 8700));
  assert.ok(isLocalHost('localhost:8700', 8700));
  const others = ['evil.example:8700', '127.0.0.1:8701', '127.0.0.1', 'localhost.evil.example:8700', '', undefined];
  for (const host of others) {
    assert.equal(isLocalHost(host, 8700), false, String(host));
  }
});

test('on port 80 a browser sends the name alone, and is answered', () => {
  assert.ok(isLocalHost('127.0.0.1', 80));
  assert.ok(isLocalHost('localhost', 80));
  assert.ok(isLocalHost('localhost:80', 80));
  assert.equal(isLocalHost('evil.example', 80), false);
});
