/**
 * Runs a command — the test runner — with one Swift server for the whole run: started
 * here, handed to every test file through `FUNES_TEST_SWIFT`, stopped when the command
 * ends. Test files then share one server instead of each starting its own.
 * Usage: node --import tsx test/setup/with-swift.ts <command> [args...]
 */
import { spawn } from 'node:child_process';
import { ServerUnavailableError } from '../helpers/servers.js';
import { SHARED_SWIFT, startSwift, type SwiftServer } from '../helpers/swift-server.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) throw new Error('usage: with-swift.ts <command> [args...]');

let server: SwiftServer | undefined;
try {
  server = await startSwift();
} catch (error) {
  // Not installed: the test files that need it say so (and fail in CI).
  if (!(error instanceof ServerUnavailableError)) throw error;
}

const shared = server && JSON.stringify({ endpoint: server.endpoint, env: server.env });
const env = shared ? { ...process.env, [SHARED_SWIFT]: shared } : process.env;
const child = spawn(command, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  server?.stop();
  process.exitCode = code ?? (signal ? 1 : 0);
});
