/**
 * `funes rm <fn>[@hash].. [--force] [--dry-run]`
 */
import { selectVersions } from '@funes/core/cache';
import { versionLabel } from '../cache.js';
import { defineCommand } from '../command.js';
import { CliError, ExitCode } from '../errors.js';
import { applyRm, planRm, type RmResult } from '../operations/rm.js';
import type { Style } from '../style.js';
import { countOf, formatBytes } from '../units.js';

/** One line per version, then the total. Pure. */
export function formatRm(result: RmResult, style: Style): string {
  const verb = result.dryRun ? 'would remove' : 'removed';
  const lines = result.removed.map(
    (v) =>
      `${style.red(verb)} ${style.bold(versionLabel({ name: v.function, hash: v.hash }))}` +
      `${v.module ? ` (${v.module})` : ''}: ${countOf(v.entries, 'entry', 'entries')}, ${formatBytes(v.bytes)}`,
  );
  for (const problem of result.problems) {
    lines.push(style.red(`skipped ${problem.dir}: ${problem.code}`));
    if (problem.why) lines.push(`  ${problem.why}`);
  }
  lines.push(style.green(`${result.dryRun ? 'would free' : 'freed'} ${formatBytes(result.bytes)}`));
  return lines.join('\n');
}

/** `funes rm`: see docs/cli.md#funes-rm. */
export const rmCommand = defineCommand({
  command: 'rm <fn..>',
  describe: 'Remove functions or single versions (fn@hash)',
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Functions (all their versions) or fn@hash',
      })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Remove without asking' })
      .option('dry-run', { alias: 'n', type: 'boolean', default: false, describe: 'Show what would be removed' })
      .example('$0 rm train@7e8f4427', 'remove one version (asks first on a terminal)')
      .example('$0 rm train --force', 'remove every version of train, without asking'),
  async run(context, args) {
    const cache = context.openCache();
    const versions = selectVersions(cache.versions, args.fn);
    const plan = planRm(versions, cache.tallies);
    const done = (result: RmResult) => (result.problems.length > 0 ? ExitCode.failure : ExitCode.ok);
    if (args.dryRun) {
      context.out.result(plan, formatRm);
      return done(plan);
    }
    if (!args.force && plan.removed.length > 0) {
      const what =
        `${countOf(plan.removed.length, 'version')} ` +
        `(${countOf(plan.entries, 'entry', 'entries')}, ${formatBytes(plan.bytes)})`;
      if (!context.out.interactive) {
        throw new CliError('ENEEDFORCE', `refusing to remove ${what} without --force`, {
          hint: 'pass --force, or --dry-run to see what would go',
        });
      }
      const listed = plan.removed.map((v) => versionLabel({ name: v.function, hash: v.hash })).join(', ');
      if (!(await context.out.confirm(`Remove ${what}: ${listed}?`))) {
        // Declining is an answer, not a failure: scripts and shells see success.
        context.out.warn('nothing removed');
        return ExitCode.ok;
      }
    }
    const result = applyRm(versions, cache.tallies);
    // Nothing went because the filesystem refused it all (read-only, permissions): one error with its remedy.
    const refused = result.problems[0];
    if (result.removed.length === 0 && refused && !refused.why) throw new CliError(refused.code, refused.message);
    // What stayed is a problem: printed even with --quiet.
    if (result.problems.length > 0) context.out.result(result, formatRm);
    else context.out.report(result, formatRm);
    return done(result);
  },
});
