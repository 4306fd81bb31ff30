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

/** An escape sequence {@link createStyle} writes, at the position it is tried at. */
// eslint-disable-next-line no-control-regex
const OWN_SGR = /\x1b\[(?:1|2|22|31|32|33|36|39)m/y;
/** C0 controls but tab and newline, DEL and C1 controls: characters a terminal may act on. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text as a terminal shows it without acting on it: a control character in a name or
 * a source (a cache can come from another machine) is written as `\xNN`, so it cannot
 * move the cursor, retitle the window or hide what is printed. `styled`: the text holds
 * {@link createStyle}'s own colors, which are kept.
 */
export function printable(text: string, styled: boolean): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (char: string, offset: number) => {
    OWN_SGR.lastIndex = offset;
    if (styled && OWN_SGR.test(text)) return char;
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** No styles: for `--json`, files and tests. */
export const noStyle: Style = createStyle(false);

/** Whether to color a stream (see https://no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, colorOption: boolean, env: NodeJS.ProcessEnv): boolean {
  return colorOption && stream.isTTY === true && !env.NO_COLOR;
}
