/**
 * The `funes show` command the page offers to copy for an entry (pure). Names come from
 * the cache, which may have been pulled or unpacked from someone else: the command is
 * quoted for a POSIX shell, so pasting it runs `funes show` and nothing else.
 */

/** Characters a shell word may hold unquoted. */
const PLAIN = /^[A-Za-z0-9_.%/:+=,@-]+$/;

/** Characters a terminal does not show as they are: controls, line breaks and direction marks. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A word quoted for a POSIX shell: as it is when plain, else in single quotes. */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * `funes show <name>@<hash> <argument hash>` for one entry, with 12 hex digits of each hash.
 * A name the command line would not read as a name (one beginning with `-`) or that shows
 * other than it is (controls, direction marks) is left out: the hash alone names the version.
 */
export function showCommand(name: string, versionHash: string, argumentHash: string): string {
  const version = `@${versionHash.slice(0, 12)}`;
  const spec = name.startsWith('-') || HIDDEN.test(name) ? version : shellWord(`${name}${version}`);
  return `funes show ${spec} ${argumentHash.slice(0, 12)}`;
}
