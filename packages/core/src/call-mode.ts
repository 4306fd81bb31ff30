/**
 * FUNES_DISABLE and FUNES_REFRESH: switches for debugging a sweep without editing it.
 * `disable` runs every wrapped function itself, reading and writing nothing;
 * `refresh` computes every call again and replaces what is stored.
 */
import { InvalidUsageError } from './errors.js';

/** `why`: `funes why` runs the module to explain a call (see why-request.ts). */
export type CallMode = 'disable' | 'refresh' | 'why' | undefined;

function isOn(name: string, env: NodeJS.ProcessEnv): boolean {
  const value = env[name];
  if (value === undefined || /^(|0|false)$/i.test(value)) return false;
  if (/^(1|true)$/i.test(value)) return true;
  throw new InvalidUsageError(
    `${name} is '${value}': set it to 1 (or true) to turn it on, 0 or nothing to leave it off`,
  );
}

/** The mode the environment asks for; `funes why` wins, then FUNES_DISABLE over FUNES_REFRESH. */
export function callMode(env: NodeJS.ProcessEnv = process.env): CallMode {
  if (env.FUNES_WHY) return 'why';
  if (isOn('FUNES_DISABLE', env)) return 'disable';
  if (isOn('FUNES_REFRESH', env)) return 'refresh';
  return undefined;
}
