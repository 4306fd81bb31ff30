/**
 * `funes why <module>:<function>` runs the module as the function's own process would,
 * with FUNES_WHY naming the function: its first call (or, when the module makes none,
 * the CLI after importing it) is explained instead of computed, and the explanation is
 * written as JSON to the file descriptor FUNES_WHY_FD, after which the process exits.
 */
import { writeSync } from 'node:fs';
import { InvalidUsageError } from './errors.js';

export interface WhyRequest {
  /** The function to explain. */
  readonly name: string;
  /** The arguments to explain (FUNES_WHY_ARGS, a JSON array); else those of the first call. */
  readonly args?: readonly unknown[];
  /** Where the explanation goes. */
  readonly fd: number;
}

/** The request the environment makes, if any. */
export function whyRequest(env: NodeJS.ProcessEnv = process.env): WhyRequest | undefined {
  const name = env.FUNES_WHY;
  if (!name) return undefined;
  const fd = Number(env.FUNES_WHY_FD);
  if (!Number.isInteger(fd) || fd < 3) {
    throw new InvalidUsageError(
      'FUNES_WHY is set without FUNES_WHY_FD: run `funes why <module>:<function>` instead of setting it by hand',
    );
  }
  if (env.FUNES_WHY_ARGS === undefined) return { name, fd };
  const args: unknown = JSON.parse(env.FUNES_WHY_ARGS);
  if (!Array.isArray(args)) {
    throw new InvalidUsageError(`FUNES_WHY_ARGS must be a JSON array of arguments; got ${env.FUNES_WHY_ARGS}`);
  }
  return { name, args, fd };
}

/** Writes an answer to `fd` as JSON: BigInts as `12n`, binary data as `Float64Array(1000)`. */
export function writeWhyAnswer(fd: number, answer: object): void {
  writeSync(
    fd,
    JSON.stringify(answer, (_key, value: unknown) =>
      typeof value === 'bigint'
        ? `${value}n`
        : ArrayBuffer.isView(value)
          ? `${value.constructor.name}(${value.byteLength} bytes)`
          : value,
    ),
  );
}

/** Writes the answer and ends the process: what was asked is answered, and nothing is computed. */
export function answerWhy(request: WhyRequest, answer: object): never {
  writeWhyAnswer(request.fd, answer);
  process.exit(0);
}
