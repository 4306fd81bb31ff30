/**
 * The CLI's errors and the one mapping from errors to exit codes. Every error the
 * user can cause is a {@link CliError}: a stable code, a one-line message saying what
 * is wrong and a hint saying what to do. Anything else is a bug and is reported as one.
 */
import { FunesError } from '@funes/core';

/** Process exit codes, as documented in docs/cli.md. */
export const ExitCode = {
  /** The command did what was asked and found nothing wrong. */
  ok: 0,
  /** Problems were found (damaged objects) or the operation failed (no such function, unreadable cache). */
  failure: 1,
  /** The command line was wrong: unknown command or option, malformed duration or size. */
  usage: 2,
} as const;
/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the user can act on; a {@link FunesError} like every error Funes raises, so callers branch on `code` alike.
 */
export class CliError extends FunesError {
  readonly exitCode: ExitCode;

  /** `code` is stable, e.g. `ENOFUNCTION`, and part of `--json` error output. */
  constructor(code: string, message: string, options: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(code, message, options);
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }
}

/** The command line cannot be understood (exit 2). */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super('EUSAGE', message, { hint, exitCode: ExitCode.usage });
  }
}

/** What a failed run reports: the exit code and the lines for stderr (or the `--json` error object). */
export interface ErrorReport {
  readonly exitCode: ExitCode;
  readonly code: string;
  readonly message: string;
  readonly hint: string | undefined;
}

/** Codes of errors raised by other packages that mean the command line was wrong. */
const USAGE_CODES = new Set(['EBADSPEC', 'EREMOTECONFIG']);

/** Maps any thrown value to its report; unexpected errors keep their message and exit 1, never a stack trace. */
export function errorReport(error: unknown): ErrorReport {
  if (error instanceof FunesError) {
    const exitCode =
      error instanceof CliError ? error.exitCode : USAGE_CODES.has(error.code) ? ExitCode.usage : ExitCode.failure;
    return { exitCode, code: error.code, message: error.message, hint: error.hint ?? hintForErrno(error.code) };
  }
  const errno = error as NodeJS.ErrnoException;
  const code = typeof errno?.code === 'string' ? errno.code : 'EINTERNAL';
  const hint =
    code === 'EINTERNAL' ? 'this is a bug in funes; please report it with the command you ran' : hintForErrno(code);
  return { exitCode: ExitCode.failure, code, message: errnoMessage(error), hint };
}

/**
 * A filesystem error in the CLI's words: `mkdir /data/cache/train failed: read-only
 * file system` rather than Node's `EROFS: read-only file system, mkdir '/data/cache/train'`.
 * An error of a call on a descriptor (`write`) names no path in its message: it is named by
 * the `path` its thrower gave it.
 */
function errnoMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  const pattern = code && syscall && path ? new RegExp(`^${code}: (.*), ${syscall}(?: '|$)`) : undefined;
  const described = pattern?.exec(error.message);
  return described ? `${syscall} ${path} failed: ${described[1]}` : error.message;
}

/** Advice for filesystem failures met while reading or changing a cache, or writing a file. */
export function hintForErrno(code: string | undefined): string | undefined {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'check the permissions of the cache directory';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free disk space, then run the command again';
    case 'EFBIG':
      return 'the file is larger than this process may write (`ulimit -f`) or the filesystem holds';
    case 'EROFS':
      return 'the filesystem is read-only: use a directory on a writable one (--cache or ' +
          'FUNES_CACHE_DIR for the cache, -o for a file)';
    default:
      return undefined;
  }
}
