/**
 * `funes du [fn..]`
 */
import { defineCommand } from '../command.js';
import { du, type DuResult } from '../operations/du.js';
import type { Style } from '../style.js';
import { formatTable } from '../table.js';
import { countOf, formatBytes, formatCount } from '../units.js';

/** `funes du`'s text: disk usage (like `du -h`) and bytes, functions with their versions indented. Pure. */
export function formatDu(result: DuResult, style: Style): string {
  const rows: string[][] = [['DISK', 'BYTES', 'ENTRIES', 'FUNCTION / VERSION'].map(style.dim)];
  for (const fn of result.functions) {
    rows.push([
      formatBytes(fn.diskBytes),
      formatBytes(fn.bytes),
      formatCount(fn.entries),
      `${style.bold(fn.function)}${fn.module ? `  ${fn.module}` : ''}`,
    ]);
    for (const v of fn.versions) {
      const notes = [v.current ? style.green('current') : '', v.tempFiles > 0 ? style.dim(`${v.tempFiles} temp`) : '']
        .filter(Boolean)
        .join(' ');
      rows.push([
        formatBytes(v.diskBytes),
        formatBytes(v.bytes),
        formatCount(v.entries),
        `  ${style.yellow(v.shortHash)}${notes ? `  ${notes}` : ''}`,
      ]);
    }
  }
  const { leftovers } = result;
  if (leftovers.count > 0) {
    rows.push([
      formatBytes(leftovers.diskBytes),
      formatBytes(leftovers.bytes),
      '',
      style.dim(
        `${countOf(leftovers.count, 'directory', 'directories')} left by interrupted removals (funes gc removes them)`,
      ),
    ]);
  }
  rows.push([
    style.bold(formatBytes(result.diskBytes)),
    formatBytes(result.bytes),
    formatCount(result.entries),
    style.bold('total'),
  ]);
  return formatTable(rows, ['r', 'r', 'r', 'l']).join('\n');
}

/** `funes du`: see docs/cli.md#funes-du. */
export const duCommand = defineCommand({
  command: 'du [fn..]',
  describe: 'Disk usage and bytes per function and version',
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Functions or versions; all when omitted',
      })
      .example('$0 du', 'sizes of every function and version, largest first')
      .example('$0 du train --json', "train's sizes as JSON"),
  async run(context, args) {
    const cache = context.openCache();
    const result = du(cache, args.fn, (label, total) => context.out.progress(label, total));
    context.out.result(result, formatDu);
  },
});
