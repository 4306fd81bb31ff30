/**
 * The duration grammar every part of Funes accepts — `maxAge`, `gc --unused-for`,
 * `log --since`: a number and a unit (`90s`, `12h`, `7d`, `1.5h`), or several in a row
 * (`1d12h`), case-insensitive but for `M`, which is not a unit. Pure.
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
export const DURATION_FORMS =
  "a number with a unit (ms, s, m for minutes, h, d, w; no months) such as '7d', '12h' or '1d12h'";

/**
 * `M` alone as a unit: months where `6M` is written for six months (ISO 8601, systemd, date libraries), which
 * read as minutes would make `gc --unused-for 6M` remove all but the last minutes' versions.
 */
const MONTH_LIKE = /\dM(?![Ss])/;

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '' || MONTH_LIKE.test(text)) return undefined;
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
