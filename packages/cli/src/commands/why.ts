/**
 * `funes why <function> | <module>:<function> [--args <json>]`
 */
import type { ConfigurationRead, DefinitionChange, NearEntry } from '@funes/core';
import { resolveVersion } from '@funes/core/cache';
import { shortHash, versionLabel, warnOtherFunctionsNamed } from '../cache.js';
import { defineCommand } from '../command.js';
import { colorPatchLine } from './diff.js';
import {
  moduleWithoutFunction,
  parseTarget,
  whyFromCache,
  whyFromModule,
  type WhyResult,
} from '../operations/why.js';
import { preview } from '../record-values.js';
import type { Style } from '../style.js';
import { formatTable } from '../table.js';

const VALUE_WIDTH = 32;

/** How each kind of configuration read is named in an explanation. */
const CONFIGURATION_KINDS: Record<ConfigurationRead['kind'], string> = {
  arguments: 'the command line,',
  environment: 'environment variable',
  file: 'file',
  files: 'files',
};

/** Why a stored call is computed again, by why its record was refused. */
const REFUSED_BECAUSE = {
  damaged: 'its object is damaged',
  expired: 'older than maxAge',
  invalid: 'refused by validate',
} as const;

function inputText(input: Readonly<Record<string, unknown>>): string {
  return Object.entries(input)
    .map(([name, value]) => `${name}=${preview(value, VALUE_WIDTH)}`)
    .join(', ');
}

function changeRows(changes: readonly DefinitionChange[], style: Style): string[] {
  const rows = changes.map((c) => [
    c.change === 'added'
      ? style.green(c.change)
      : c.change === 'removed'
        ? style.red(c.change)
        : style.yellow(c.change),
    c.kind,
    style.bold(c.name),
    c.before !== undefined || c.after !== undefined ? `${c.before ?? '(none)'} → ${c.after ?? '(none)'}` : '',
    c.file ? `${c.file}${c.line ? `:${c.line}` : ''}` : '',
  ]);
  return formatTable(rows).map((line) => `  ${line}`);
}

function patchLines(diff: string, style: Style): string[] {
  return diff
    .trimEnd()
    .split('\n')
    .map((line) => colorPatchLine(line, style));
}

function nearRows(nearest: readonly NearEntry[], style: Style): string[] {
  const rows = nearest.map((entry) => [
    style.yellow(shortHash(entry.argumentHash)),
    entry.differences
      .map((d) => `${d.name}=${preview(d.stored, VALUE_WIDTH)} (now ${preview(d.now, VALUE_WIDTH)})`)
      .join(', '),
  ]);
  return formatTable(rows).map((line) => `  ${line}`);
}

/** `funes why`'s text: the cause first, then what supports it. Pure. */
export function formatWhy(result: WhyResult, style: Style): string {
  const label = versionLabel({ name: result.function, hash: result.version });
  const call = result.input ? `${result.function}(${inputText(result.input)})` : result.function;
  switch (result.cause) {
    case 'stored':
      return `${call} is stored in ${label} (${shortHash(result.argumentHash!)}): a call returns it without computing.`;
    case 'refused':
      return `${call} is stored in ${label}, but ${REFUSED_BECAUSE[result.reason]}: a call computes it again.`;
    case 'first':
      return `${label} is the first version of ${result.function} in this cache: every call computes.`;
    case 'version-stored':
      return `${label} is stored, with ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}: calls with ` +
          `stored arguments are hits. Ask about one call with --args.`;
    case 'configuration': {
      const named = (reads: readonly ConfigurationRead[]) =>
        reads.map((r) => `${CONFIGURATION_KINDS[r.kind]} ${r.name}`).join(', ');
      return [
        `${call}: ${label} holds these arguments, under another configuration (${shortHash(result.storedAs)}).`,
        result.changed.length > 0
          ? `Changed since it was stored: ${named(result.changed)}.`
          : result.reads.length > 0
            ? `The code reads ${named(result.reads)}: one of them has changed since it was stored.`
            : 'Something the call is keyed by and its record does not show has changed since it was stored.',
      ].join('\n');
    }
    case 'arguments': {
      const lines = [
        `${call} has no entry in ${label} (${result.entries} stored` +
          `${result.argumentHash ? `; its argument hash is ${shortHash(result.argumentHash)}` : ''}). ` +
          'The definition is unchanged.',
      ];
      if (result.nearest.length > 0) {
        lines.push('Nearest stored inputs (what differs):', ...nearRows(result.nearest, style));
      }
      return lines.join('\n');
    }
    case 'definition': {
      const before = versionLabel({ name: result.function, hash: result.comparedWith.version });
      const lines = [
        `${label} is a new version of ${result.function}: its definition differs from ${before} (stored ` +
            `${result.comparedWith.createdAt}), so its results are not used.`,
      ];
      if (result.changes.length === 0) {
        lines.push('The definitions list the same code: what differs is how it was hashed (another Funes version).');
      } else {
        lines.push(...changeRows(result.changes, style));
      }
      for (const change of result.changes) if (change.diff) lines.push('', ...patchLines(change.diff, style));
      return lines.join('\n');
    }
  }
}

/** `funes why`: see docs/cli.md#funes-why. */
export const whyCommand = defineCommand({
  command: 'why <target>',
  describe: 'Say why a call computes instead of returning a stored result',
  builder: (yargs) =>
    yargs
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 'The function, or <module>:<function> to compare the current code',
      })
      .option('args', {
        type: 'string',
        describe: 'The call\'s arguments as JSON: an array with a module, named ({"lr": 0.3}) without',
      })
      .example('$0 why train', 'what changed between the current version of train and the one used before it')
      .example('$0 why src/experiment.mjs:train', 'the current code of train against the cache')
      .example(
        `$0 why src/experiment.mjs:train --args '[0.3]'`,
        'one call: a changed definition, or the nearest stored inputs',
      ),
  async run(context, args) {
    const target = parseTarget(args.target, process.cwd());
    if (target.module) {
      const cacheDir = args.cache === undefined && !process.env.FUNES_CACHE_DIR ? undefined : context.cacheDir;
      const result = await whyFromModule(target.module, target.name, args.args, cacheDir, process.cwd());
      context.out.result(result, formatWhy);
      return;
    }
    const { versions } = context.openCache();
    if (target.moduleAlone && !versions.some((v) => v.name === target.name)) {
      throw moduleWithoutFunction(versions, target.name);
    }
    const result = whyFromCache(versions, target.name, args.args);
    context.out.result(result, formatWhy);
    warnOtherFunctionsNamed(context.out, versions, target.name, resolveVersion(versions, target.name), 'why');
  },
});
