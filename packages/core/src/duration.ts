/**
 * The duration grammar every part of Funes accepts — `maxAge`, `gc --unused-for`,
 * `log --since`: a number and a unit (`90s`, `12h`, `7d`, `1.5h`), or several in a row
 * (`1d12h`), case-insensitive. Pure.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The grammar in words, for error messages. */
export const DURATION_FORMS = "a number with a unit (ms, s, m, h, d, w) such as '7d', '12h' or '1d12h'";

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
  let total = 0;
  let matched = 0;
  while (matched < trimmed.length) {
    part.lastIndex = matched;
    const found = part.exec(trimmed);
    if (!found) return undefined;
    total += Number(found[1]) * UNIT_MS[found[2]];
    matched = part.lastIndex;
  }
  return total;
}
