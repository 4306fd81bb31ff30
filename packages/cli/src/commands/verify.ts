/**
 * `funes verify [fn..] [--fix]`, and `funes verify --remote [name] [--sample N] [--fix]` for the
 * objects on a remote.
 */
import type { ProgressFor } from '@funes/core/cache';
import type { RemoteVerifyResult } from '@funes/sync';
import { versionLabel } from '../cache.js';
import { defineCommand } from '../command.js';
import { ExitCode } from '../errors.js';
import { verify, type VerifyProblem, type VerifyResult } from '../operations/verify.js';
import type { Style } from '../style.js';
import { checkCount, countOf } from '../units.js';
import { loadSync } from '../sync-package.js';
import { remoteLabel } from '../remote-label.js';

/** What to do about the problems left. */
function hintFor(open: readonly VerifyProblem[]): string {
  if (open.some((p) => p.fixRefused !== undefined)) {
    return 'what --fix could not remove stays: each line says why (a read-only cache, files Funes does not write)';
  }
  if (open.some((p) => p.kind === 'damaged-object' || p.kind === 'damaged-metadata')) {
    return 'run `funes verify --fix` to remove damaged files';
  }
  if (open.some((p) => p.kind === 'empty-version')) {
    return 'run `funes verify --fix` to remove empty versions (`funes gc` also removes them after an hour)';
  }
  if (open.some((p) => p.kind === 'missing-metadata')) {
    return "a version's next call writes its definition.json again; `funes rm <fn@hash>` removes the version";
  }
  return 'check the permissions of the files listed';
}

/** What `--fix` removed: damaged files, empty version directories. */
function removedCount(problems: readonly VerifyProblem[]): string {
  const empty = problems.filter((p) => p.kind === 'empty-version').length;
  const files = problems.length - empty;
  const counts = [];
  if (files > 0 || empty === 0) counts.push(countOf(files, 'damaged file'));
  if (empty > 0) counts.push(countOf(empty, 'empty version'));
  return counts.join(' and ');
}

/** `funes verify`'s text: one line per problem, then a summary. Pure. */
export function formatVerify(result: VerifyResult, style: Style): string {
  const lines = result.problems.map((p) => {
    const what = {
      'damaged-metadata': 'damaged definition.json',
      'missing-metadata': 'no definition.json',
      'unreadable-object': 'unreadable object',
      'unreadable-version': 'unreadable version',
      'damaged-object': 'damaged object',
      'empty-version': 'empty version',
    }[p.kind];
    const fate = p.fixed ? style.green(' (removed)') : '';
    return `${style.red(what)} ${versionLabel({ name: p.function, hash: p.hash })} ${p.file}: ${p.reason}${fate}`;
  });
  const checked = `checked ${countOf(result.objects, 'object')} in ${countOf(result.versions, 'version')}`;
  const open = result.problems.filter((p) => !p.fixed).length;
  if (result.problems.length === 0) lines.push(style.green(`${checked}: all ok`));
  else if (open === 0) {
    lines.push(
      style.green(
        `${checked}: removed ${removedCount(result.problems)}; ` +
            `each comes back at its next use (an object recomputed, a definition.json written again)`,
      ),
    );
  } else {
    lines.push(
      style.red(`${checked}: ${countOf(open, 'problem')}`),
      style.dim(hintFor(result.problems.filter((p) => !p.fixed))),
    );
  }
  return lines.join('\n');
}

/** `funes verify --remote`'s text: one line per bad object, then a summary and what to do. Pure. */
export function formatVerifyRemote(result: RemoteVerifyResult, style: Style): string {
  const removed = new Set(result.removed);
  const newer = new Set(result.newerFormat);
  const fate = (key: string) =>
    removed.has(key)
      ? style.green(' (removed)')
      : newer.has(key)
        ? style.yellow(' (in a format newer than this Funes reads: kept)')
        : '';
  const lines = [
    ...result.damaged.map((key) => `${style.red('damaged object')} ${key}${fate(key)}`),
    ...result.refused.map((key) => `${style.red('unsigned or wrongly signed')} ${key}`),
  ];
  const where = remoteLabel(result);
  const checked = `checked ${countOf(result.checked, 'object')} of ${result.listed} on ${where}`;
  const open = result.damaged.length - removed.size + result.refused.length;
  if (result.damaged.length + result.refused.length === 0) lines.push(style.green(`${checked}: all ok`));
  else if (open === 0) {
    lines.push(
      style.green(`${checked}: removed ${countOf(removed.size, 'damaged object')}; \`funes push\` sends them again`),
    );
  } else {
    lines.push(style.red(`${checked}: ${countOf(open, 'problem')}`));
    if (newer.size > 0) lines.push(style.dim('upgrade Funes to check the objects in a newer format'));
    if (result.damaged.length > removed.size + newer.size) {
      lines.push(
        style.dim(
          'run `funes verify --remote --fix` to delete the damaged objects, then `funes push` ' +
              'from a machine whose copies are intact',
        ),
      );
    }
  }
  return lines.join('\n');
}

/** `funes verify`: see docs/cli.md#funes-verify. */
export const verifyCommand = defineCommand({
  command: 'verify [fn..]',
  describe: "Check every object's integrity; exit 1 when any is damaged",
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Functions or versions to check; all when omitted',
      })
      .option('fix', {
        type: 'boolean',
        default: false,
        describe: 'Remove damaged objects (they are recomputed on their next call; with --remote, pushed again)',
      })
      .option('remote', {
        type: 'string',
        describe: 'Check objects on this remote instead (name or s3:// URL; the default remote when given no value)',
      })
      .option('sample', {
        type: 'number',
        default: 100,
        describe: 'With --remote: how many objects to check, picked at random (0: all)',
      })
      .example('$0 verify --remote origin --sample 0', 'download and check every object on origin')
      .example('$0 verify', 'check the whole cache')
      .example('$0 verify train --fix', "check train's versions and remove what is damaged"),
  async run(context, args) {
    if (args.remote !== undefined) {
      const sync = await loadSync();
      const checked = await sync.verifyRemote({
        cacheDir: context.cacheDir,
        remote: args.remote || undefined,
        functions: args.fn,
        sample: checkCount(args.sample, '--sample'),
        fix: args.fix,
      });
      const ok = checked.damaged.length === checked.removed.length && checked.refused.length === 0;
      if (ok) context.out.report(checked, formatVerifyRemote);
      else {
        context.out.result(checked, formatVerifyRemote);
      }
      return ok ? ExitCode.ok : ExitCode.failure;
    }
    // No bar to show, no count of the objects before reading them.
    const progress: ProgressFor | undefined = context.out.showsProgress
      ? (label, total) => context.out.progress(label, total)
      : undefined;
    const result = await verify(context.openCache(), { functions: args.fn, fix: args.fix }, progress);
    // Problems are the point of verify: print them even with --quiet.
    if (result.ok) context.out.report(result, formatVerify);
    else {
      context.out.result(result, formatVerify);
    }
    return result.ok ? ExitCode.ok : ExitCode.failure;
  },
});
