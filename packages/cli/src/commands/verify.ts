/**
 * `funes verify [fn..] [--fix]`
 */
import { versionLabel } from '../cache.js';
import { defineCommand } from '../command.js';
import { ExitCode } from '../errors.js';
import { verify, type VerifyResult } from '../operations/verify.js';
import type { Style } from '../style.js';
import { countOf } from '../units.js';

/** `funes verify`'s text: one line per problem, then a summary. Pure. */
export function formatVerify(result: VerifyResult, style: Style): string {
  const lines = result.problems.map((p) => {
    const what = p.kind === 'damaged-metadata' ? 'damaged definition.json' : p.kind === 'unreadable-object' ? 'unreadable object' : 'damaged object';
    const fate = p.fixed ? style.green(' (removed)') : '';
    return `${style.red(what)} ${versionLabel({ name: p.function, hash: p.hash })} ${p.file}: ${p.reason}${fate}`;
  });
  const checked = `checked ${countOf(result.objects, 'object')} in ${countOf(result.versions, 'version')}`;
  const open = result.problems.filter((p) => !p.fixed).length;
  if (result.problems.length === 0) lines.push(style.green(`${checked}: all ok`));
  else if (open === 0) lines.push(style.green(`${checked}: removed ${countOf(result.problems.length, 'damaged file')}; they are recomputed on their next call`));
  else lines.push(style.red(`${checked}: ${countOf(open, 'problem')}`), style.dim(result.problems.some((p) => p.kind !== 'unreadable-object' && !p.fixed) ? 'run `funes verify --fix` to remove damaged files' : 'check the permissions of the files listed'));
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
