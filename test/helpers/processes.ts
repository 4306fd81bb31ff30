/**
 * Child processes for the store's end-to-end tests: many at once, killed at chosen
 * moments, with the project's environment (see temp-project.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A running `node` child in `cwd`, FUNES_CACHE_DIR and NODE_OPTIONS unset unless given; `as` runs it as another user.
 */
export function startNode(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  as?: { readonly uid: number; readonly gid: number },
): { child: ChildProcess; finished: Promise<Finished> } {
  const base = { ...process.env };
  delete base.FUNES_CACHE_DIR;
  delete base.FUNES_LOCK;
  delete base.NODE_OPTIONS;
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const finished = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
  return { child, finished };
}

/** Resolves when the child has printed `line` on stdout; false when it ended first. */
export function printed(child: ChildProcess, line: string): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (text: string) => {
      seen += text;
      if (seen.includes(`${line}\n`)) {
        child.stdout!.off('data', onData);
        resolve(true);
      }
    };
    child.stdout!.on('data', onData);
    child.once('close', () => resolve(false));
  });
}

/** Runs `tasks` with at most `limit` at a time. */
export async function inParallel<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

/**
 * A JavaScript expression, for a child's script, of the child's own peak resident memory
 * in bytes. Linux's VmHWM, not `process.resourceUsage().maxRSS`: getrusage's figure
 * carries over from the process that spawned the child, so a test runner holding a large
 * buffer would be measured instead of the code under test.
 */
export const PEAK_RSS_BYTES =
  "Number(/VmHWM:\\s*(\\d+)/.exec(process.getBuiltinModule('node:fs').readFileSync('/proc/self/status', 'utf8'))[1])" +
  ' * 1024';
