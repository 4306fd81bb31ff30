/**
 * What the real-server test helpers share: a check that a server's binaries are
 * installed (by `npm run setup:servers`, a set-up step of `npm test`), free ports on
 * 127.0.0.1, and the S3 servers one test run shares (test/setup/with-servers.ts).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** A server's packages are missing: its tests fail (CI) or skip loudly. */
export class ServerUnavailableError extends Error {}

/** An S3 server of the tests, on 127.0.0.1. */
export interface S3Server {
  /** The S3 endpoint, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Environment variables a child process needs to reach the server as the test user. */
  readonly env: Record<string, string>;
  stop(): void;
  /** The server's latest warnings, where it keeps them: what a failed run prints to explain itself. */
  recentLog?(): string;
}

/** What a test file needs to reach a run's shared server, as the value of its environment variable. */
export function sharedServerValue(server: S3Server): string {
  return JSON.stringify({ endpoint: server.endpoint, env: server.env });
}

/**
 * The run's shared server held in environment variable `variable` (stopping it is left to
 * the run), else `start`'s own for this test file through {@link startOrExplain}.
 */
export function sharedOrStart(
  variable: string,
  what: string,
  start: () => Promise<S3Server>,
): Promise<S3Server | undefined> {
  const shared = process.env[variable];
  if (!shared) return startOrExplain(what, start);
  const { endpoint, env } = JSON.parse(shared) as Pick<S3Server, 'endpoint' | 'env'>;
  return Promise.resolve({ endpoint, env, stop: () => undefined });
}

function hasBinaries(binaries: readonly string[]): boolean {
  return binaries.every((binary) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0);
}

/** Throws {@link ServerUnavailableError} unless every one of `binaries` is on the PATH. */
export function ensureInstalled(what: string, packages: readonly string[], binaries: readonly string[]): void {
  if (hasBinaries(binaries)) return;
  throw new ServerUnavailableError(
    `${what} is not installed (Debian: ${packages.join(' ')}); run \`npm run setup:servers\` ` +
      '(as root, with apt reachable), which `npm test` runs first',
  );
}

/** A port nothing listens on at 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `start`; when its server cannot be installed outside CI,
 * says so loudly on stderr and returns undefined so the tests skip.
 */
export async function startOrExplain<T>(what: string, start: () => Promise<T>): Promise<T | undefined> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof ServerUnavailableError) || process.env.CI === 'true') throw error;
    process.stderr.write(`\n${'!'.repeat(78)}\n!! ${what} TESTS NOT RUN: ${error.message}\n${'!'.repeat(78)}\n\n`);
    return undefined;
  }
}

/**
 * The function that stops a server's daemons (each by its pid, with `signal`) and removes
 * its temp directory; it also runs when the test process exits without its `after` hook
 * (a crash, a failed `before`), so no server outlives its test file.
 */
export function stopperOf(children: readonly ChildProcess[], dir: string, signal: NodeJS.Signals): () => void {
  const stop = () => {
    for (const child of [...children].reverse()) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, signal);
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
  };
  process.on('exit', stop);
  return stop;
}

/**
 * Whether an HTTP server answers on 127.0.0.1:`port` with any status below 500 (403 for an unsigned S3 request counts).
 */
export function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
