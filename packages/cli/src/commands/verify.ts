/**
 * `funes verify [fn..] [--fix]`
 */
import { versionLabel } from '../cache.js';
import { defineCommand } from '../command.js';
import { ExitCode } from '../errors.js';
import { verify, type VerifyProblem, type VerifyResult } from '../operations/verify.js';
import type { Style } from '../style.js';
import { countOf } from '../units.js';

/** What to do about the problems left. */
function hintFor(open: readonly VerifyProblem[]): string {
  if (open.some((p) => p.kind === 'damaged-object' || p.kind === 'damaged-metadata')) return 'run `funes verify --fix` to remove damaged files';
  if (open.some((p) => p.kind === 'missing-metadata')) return "a version's next call writes its definition.json again; `funes rm <fn@hash>` removes the version";
  return 'check the permissions of the files listed';
}

/** `funes verify`'s text: one line per problem, then a summary. Pure. */
export function formatVerify(result: VerifyResult, style: Style): string {
  const lines = result.problems.map((p) => {
    const what = { 'damaged-metadata': 'damaged definition.json', 'missing-metadata': 'no definition.json', 'unreadable-object': 'unreadable object', 'unreadable-version': 'unreadable version', 'damaged-object': 'damaged object' }[p.kind];
    const fate = p.fixed ? style.green(' (removed)') : '';
    return `${style.red(what)} ${versionLabel({ name: p.function, hash: p.hash })} ${p.file}: ${p.reason}${fate}`;
  });
  const checked = `checked ${countOf(result.objects, 'object')} in ${countOf(result.versions, 'version')}`;
  const open = result.problems.filter((p) => !p.fixed).length;
  if (result.problems.length === 0) lines.push(style.green(`${checked}: all ok`));
  else if (open === 0) lines.push(style.green(`${checked}: removed ${countOf(result.problems.length, 'damaged file')}; they are recomputed on their next call`));
  else lines.push(style.red(`${checked}: ${countOf(open, 'problem')}`), style.dim(hintFor(result.problems.filter((p) => !p.fixed))));
  return lines.join('\n');
}

/** `funes verify`: see docs/cli.md#funes-verify. */
export const verifyCommand = defineCommand({
  command: 'verify [fn..]',
  describe: "Check every object's integrity; exit 1 when any is damaged",
  builder: (yargs) =>
    yargs
      .positional('fn', { type: 'string', array: true, default: [] as string[], describe: 'Functions or versions to check; all when omitted' })
      .option('fix', { type: 'boolean', default: false, describe: 'Remove damaged objects (they are recomputed on their next call)' })
      .example('$0 verify', 'check the whole cache')
      .example('$0 verify train --fix', "check train's versions and remove what is damaged"),
  async run(context, args) {
    const result = await verify(context.openCache(), { functions: args.fn, fix: args.fix }, (total) => context.out.progress('Verifying', total));
    // Problems are the point of verify: print them even with --quiet.
    if (result.ok) context.out.report(result, formatVerify);
    else context.out.result(result, formatVerify);
    return result.ok ? ExitCode.ok : ExitCode.failure;
  },
});
