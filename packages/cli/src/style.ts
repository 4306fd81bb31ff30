/**
 * Terminal colors as a few ANSI helpers (no dependency for six escape codes).
 * Color is on only when the stream is a TTY, `NO_COLOR` is unset and `--no-color`
 * was not given, so piped output and files never contain escape codes.
 */

/** Wraps text in one style each; all identities when color is off. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\x1b[${open}m${text}\x1b[${close}m`;
}

const plain = (text: string) => text;

/** The styles for one stream. */
export function createStyle(enabled: boolean): Style {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/** No styles: for `--json`, files and tests. */
export const noStyle: Style = createStyle(false);

/** Whether to color a stream (see https://no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, colorOption: boolean, env: NodeJS.ProcessEnv): boolean {
  return colorOption && stream.isTTY === true && !env.NO_COLOR;
}
