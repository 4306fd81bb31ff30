/**
 * A file a command writes in full or not at all, outside the cache (a bundle, an export, a
 * report): written
 * under `<file>.tmp-<pid>` beside it and renamed over it once complete. The temp file
 * is removed when writing fails and when the process is interrupted (SIGINT, SIGTERM,
 * SIGHUP); one a killed process left (SIGKILL, a crash) is removed by the next write
 * of the same file, once its process is gone.
 */
import {
  createWriteStream,
  existsSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { isProcessAlive } from '@funes/core/cache';
import { CliError, hintForErrno, UsageError } from './errors.js';
import type { Sink } from './operations/export.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The pid in a temp name of `file` (`<file>.tmp-<pid>`), or undefined for any other name. */
function writerOf(name: string, file: string): number | undefined {
  const prefix = `${basename(file)}.tmp-`;
  if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) return undefined;
  return Number(name.slice(prefix.length));
}

/** Removes the temp files of `file` whose writing process is gone. */
function removeAbandoned(file: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return; // No such directory: the write itself will say so.
  }
  for (const name of names) {
    const pid = writerOf(name, file);
    if (pid !== undefined && pid !== process.pid && !isProcessAlive(pid)) {
      rmSync(join(dirname(file), name), { force: true });
    }
  }
}

/**
 * Writes `file` whole through `write`, which resolves once the stream it is given is
 * finished. A directory at `file` is refused before anything is written (its temp file
 * would go in the directory above, only for the rename to fail), with a hint naming
 * `fileName` inside it. What is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO)
 * is written as it is: renamed over, it would be replaced by a file. Through a symbolic
 * link, the file it names is replaced and the link stays.
 */
export async function writeWholeFile(
  file: string,
  fileName: string,
  write: (stream: WriteStream) => Promise<void>,
): Promise<void> {
  checkOutputPath(file, fileName);
  const target = statSync(file, { throwIfNoEntry: false });
  if (target?.isDirectory()) {
    throw new CliError('EISDIR', `${file} is a directory`, { hint: `name a file in it, e.g. ${join(file, fileName)}` });
  }
  if (target && !target.isFile()) {
    await write(createWriteStream(file));
    return;
  }
  await replaceWhole(target ? realpathSync(file) : file, write);
}

/**
 * Refuses, before anything is written, a path written as a directory (`out/`), existing or
 * not, which would otherwise become a file named `out`, and a file in a directory that does
 * not exist. `file` is the path as given, before it is resolved.
 */
export function checkOutputPath(file: string, fileName: string): void {
  if (file.endsWith('/') || file.endsWith(sep)) {
    throw new CliError('EISDIR', `${file} names a directory, not a file`, {
      hint: `name a file in it, e.g. ${join(file, fileName)}`,
    });
  }
  const parent = dirname(resolve(file));
  if (!existsSync(parent)) {
    throw new CliError('ENOENT', `cannot write ${file} (ENOENT): there is no directory ${parent}`, {
      hint: `create it first (mkdir -p ${parent}), or name a file in a directory that exists`,
    });
  }
}

/**
 * Whether an `-o` (or other `option`'s) value names stdout (`-`) rather than a file.
 * @throws UsageError when it names nothing (`-o ''`, `-o "$UNSET"`): a script that lost its file name would
 * otherwise see its output go by on stdout, or into a pipe meant for something else.
 */
export function isStdoutOutput(output: string, option = '-o'): boolean {
  if (output === '') {
    throw new UsageError(`${option} needs a file name`, `give a file name, or - for stdout (${option} -)`);
  }
  return output === '-';
}

/** Writes the regular file `file` (or where it will be) through a temp file renamed over it. */
async function replaceWhole(file: string, write: (stream: WriteStream) => Promise<void>): Promise<void> {
  removeAbandoned(file);
  const temp = `${file}.tmp-${process.pid}`;
  const interrupted = (signal: NodeJS.Signals) => {
    rmSync(temp, { force: true });
    stopListening();
    // The signal's usual end (and exit status), now that nothing is left behind.
    process.kill(process.pid, signal);
  };
  const stopListening = () => {
    for (const signal of SIGNALS) process.off(signal, interrupted);
  };
  for (const signal of SIGNALS) process.on(signal, interrupted);
  try {
    await write(createWriteStream(temp));
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    stopListening();
  }
}

/**
 * Writes the text `work` sends to `file` with {@link writeWholeFile}: a command that fails
 * leaves the file as it was, a previous output included. A failure to write is an `EEXPORT`.
 */
export async function writeWholeText<T>(file: string, fileName: string, work: (sink: Sink) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await writeWholeFile(file, fileName, async (stream) => {
      const failed = once(stream, 'error').then(([error]) => Promise.reject(error));
      const sink: Sink = {
        write: (chunk) =>
          stream.write(chunk) ? Promise.resolve() : Promise.race([once(stream, 'drain').then(() => undefined), failed]),
      };
      try {
        result = await Promise.race([work(sink), failed]);
        stream.end();
        await Promise.race([once(stream, 'finish'), failed]);
      } catch (error) {
        stream.destroy();
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError('EEXPORT', `cannot write ${file} (${code ?? (error as Error).message})`, {
      hint: hintForErrno(code) ?? 'check the output path',
      cause: error,
    });
  }
  return result as T;
}
