/**
 * A real Redis for the lease tests: Debian's `redis-server`, installed with apt when
 * missing, started by hand (the packaged service does not start here) on a free
 * 127.0.0.1 port with nothing saved to disk, and stopped by its pid.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { ensureInstalled, freePort, startOrExplain } from './servers.js';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  stop(): void;
}

/** Whether the server answers PING. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.end();
    });
  });
}

/** Starts Redis on a free port, installing it first when missing; resolves once it answers PING. */
export async function startRedis(): Promise<RedisServer> {
  ensureInstalled('Redis', ['redis-server'], ['redis-server']);
  // A free port can be taken by another server starting at the same moment; a second
  // port is tried before giving up.
  try {
    return await startOnFreePort();
  } catch {
    return await startOnFreePort();
  }
}

async function startOnFreePort(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    process.off('exit', stop);
  };
  process.on('exit', stop);
  const deadline = Date.now() + 20_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`Redis did not answer PING on 127.0.0.1:${port}: ${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/** {@link startRedis}, or a loud skip outside CI when Redis cannot be installed. */
export function startRedisOrExplain(): Promise<RedisServer | undefined> {
  return startOrExplain('REDIS LEASE', startRedis);
}
