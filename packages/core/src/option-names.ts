/**
 * The names `memorious` options may have: a misspelt one (`cacheDirr`) is refused with
 * the name it most likely meant, rather than silently ignored.
 */
import { InvalidUsageError } from './errors.js';
import { nearest } from './nearest-name.js';
import type { MemoriousOptions } from './options.js';

/** Every option, checked against {@link MemoriousOptions} by the compiler: an option added there must be added here. */
const OPTION_NAMES = Object.keys({
  cacheDir: true,
  name: true,
  deps: true,
  files: true,
  version: true,
  thisKey: true,
  onEvent: true,
  lock: true,
  remote: true,
  retries: true,
  maxAge: true,
  validate: true,
  ignore: true,
  key: true,
} satisfies Record<keyof MemoriousOptions, true>);

/** Throws EINVALID for an own property of `options` that is no option, naming the nearest one. */
export function refuseUnknownOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if (OPTION_NAMES.includes(key)) continue;
    const near = nearest(key, OPTION_NAMES);
    throw new InvalidUsageError(
      `memorious has no option '${key}'${near ? `; did you mean '${near}'?` : '.'} Options: ${OPTION_NAMES.join(', ')}`,
    );
  }
}
