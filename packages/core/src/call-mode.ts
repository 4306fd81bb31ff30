/**
 * FUNES_DISABLE and FUNES_REFRESH: switches for debugging a sweep without editing it.
 * `disable` runs every wrapped function itself, reading and writing nothing;
 * `refresh` computes every call again and replaces what is stored.
 */
import { InvalidUsageError } from './errors.js';

/** `why`: `funes why` runs the module to explain a call (see why-request.ts). */
export type CallMode = 'disable' | 'refresh' | 'why' | undefined;

/**
 * Whether a switch in the environment is on: `1` or `true`; off when unset, empty, `0` or
 * `false`. Any other value is refused, so a typo never turns a switch off unnoticed;
 * `others` names the further values a switch takes, for the message.
 */
export function isOn(name: string, env: NodeJS.ProcessEnv, others = ''): boolean {
  const value = env[name];
  if (value === undefined || /^(|0|false)$/i.test(value)) return false;
  if (/^(1|true)$/i.test(value)) return true;
  throw new InvalidUsageError(
    `${name} is '${value}': set it to 1 (or true) to turn it on, ${others}0 or nothing to leave it off`,
  );
}

/** The mode the environment asks for; `funes why` wins, then FUNES_DISABLE over FUNES_REFRESH. */
export function callMode(env: NodeJS.ProcessEnv = process.env): CallMode {
  if (env.FUNES_WHY) return 'why';
  if (isOn('FUNES_DISABLE', env)) return 'disable';
  if (isOn('FUNES_REFRESH', env)) return 'refresh';
  return undefined;
}
