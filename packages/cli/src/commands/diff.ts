/**
 * `funes diff <fn> [hashA] [hashB]`
 */
import { resolveVersion } from '@funes/core/cache';
import { versionLabel, warnOtherFunctionsNamed } from '../cache.js';
import { defineCommand } from '../command.js';
import { diffVersions, type DiffResult } from '../operations/diff.js';
import type { Style } from '../style.js';

/** A line of a unified diff, colored as git colors it. */
export function colorPatchLine(line: string, style: Style): string {
  if (line.startsWith('---') || line.startsWith('+++')) return style.bold(line);
  if (line.startsWith('@@')) return style.cyan(line);
  if (line.startsWith('-')) return style.red(line);
  if (line.startsWith('+')) return style.green(line);
  return line;
}

/** `funes diff`'s text: a git-style header, then one unified diff per changed text. Pure. */
export function formatDiff(result: DiffResult, style: Style): string {
  const from = versionLabel({ name: result.from.function, hash: result.from.hash });
  const to = versionLabel({ name: result.to.function, hash: result.to.hash });
  const lines = [style.bold(`diff ${from} ${to}`)];
  if (result.from.module !== result.to.module) {
    lines.push(`module ${result.from.module ?? '(unknown)'} → ${result.to.module ?? '(unknown)'}`);
  }
  if (result.files.length === 0) {
    lines.push(
      result.identical
        ? 'same version'
        : 'no difference in source or dependencies (the hash covers something else, e.g. a pinned version)',
    );
    return lines.join('\n');
  }
  for (const file of result.files) {
    lines.push(
      ...file.patch
        .trimEnd()
        .split('\n')
        .map((line) => colorPatchLine(line, style)),
    );
  }
  return lines.join('\n');
}

/** `funes diff`: see docs/cli.md#funes-diff. */
export const diffCommand = defineCommand({
  command: 'diff <fn> [hashA] [hashB]',
  describe: 'Show how two versions differ in source and dependencies',
  builder: (yargs) =>
    yargs
      .positional('fn', { type: 'string', demandOption: true, describe: 'The function' })
      .positional('hashA', {
        type: 'string',
        describe: 'The older version (hash prefix); default: the one used before the current',
      })
      .positional('hashB', { type: 'string', describe: 'The newer version; default: the current one' })
      .example('$0 diff train', 'the current version of train against the one used before it')
      .example('$0 diff train 7e8f4427 6beb', 'two given versions'),
  async run(context, args) {
    const { versions } = context.openCache();
    const result = diffVersions(versions, args.fn, args.hashA, args.hashB);
    context.out.result(result, formatDiff);
    // With a hash given, the version it names decides the function; with none, the name did, and may name several.
    if (args.hashA === undefined) {
      warnOtherFunctionsNamed(context.out, versions, args.fn, resolveVersion(versions, args.fn), 'diff');
    }
  },
});
