/**
 * Regular expressions too long for one line, written as several: the parts' sources joined
 * in order into one pattern, with the first part's flags.
 */
export function joinedPattern(first: RegExp, ...rest: readonly RegExp[]): RegExp {
  return new RegExp([first, ...rest].map((part) => part.source).join(''), first.flags);
}
