/**
 * Runs a command — the test runner — with one of each shared S3 server for the whole run:
 * Swift and Ceph RGW, started here side by side, handed to every test file through
 * `FUNES_TEST_SWIFT` and `FUNES_TEST_CEPH`, stopped when the command ends. Test files then
 * share one server of each kind instead of each starting its own.
 * Usage: node --import tsx test/setup/with-servers.ts <command> [args...]
 */
import { spawn } from 'node:child_process';
import { SHARED_CEPH, startCeph } from '../helpers/ceph-server.js';
import { ServerUnavailableError, sharedServerValue, type S3Server } from '../helpers/servers.js';
import { SHARED_SWIFT, startSwift } from '../helpers/swift-server.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) throw new Error('usage: with-servers.ts <command> [args...]');

interface SharedServer {
  readonly name: string;
  readonly variable: string;
  readonly start: () => Promise<S3Server>;
}

const SHARED: readonly SharedServer[] = [
  { name: 'Swift', variable: SHARED_SWIFT, start: startSwift },
  { name: 'Ceph RGW', variable: SHARED_CEPH, start: startCeph },
];

const started = await Promise.allSettled(SHARED.map(({ start }) => start()));
const servers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
// Not installed: the test files that need it say so (and fail in CI). Any other failure ends the run.
const failure = started.find(
  (outcome): outcome is PromiseRejectedResult =>
    outcome.status === 'rejected' && !(outcome.reason instanceof ServerUnavailableError),
);
if (failure) {
  for (const server of servers) server.stop();
  throw failure.reason;
}

const env = { ...process.env };
started.forEach((outcome, i) => {
  if (outcome.status === 'fulfilled') env[SHARED[i].variable] = sharedServerValue(outcome.value);
});
const child = spawn(command, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  // A failed run shows what the servers warned of: a test's error alone cannot tell a server's hiccup from Funes'.
  if (code !== 0) {
    started.forEach((outcome, i) => {
      const log = outcome.status === 'fulfilled' ? outcome.value.recentLog?.() : undefined;
      if (log) process.stderr.write(`\nthe shared ${SHARED[i].name} server's latest warnings:\n${log}\n`);
    });
  }
  for (const server of servers) server.stop();
  process.exitCode = code ?? (signal ? 1 : 0);
});
