/**
 * Fails on comments in the packages' src directories that carry measured figures or narrate history.
 * Comments say why, in a clause; figures belong in the bench's output and
 * docs/performance.md (dated), history in each package's CHANGELOG.md.
 *
 * A figure is a number with a unit of time, speed or ratio (`3 ms`, `82 MB/s`, `11×`,
 * `20 %`), or an approximate size (`≈ 80 MB`); sizes alone are often limits and formats,
 * not measurements. Inline code (`` `12h` ``) and quoted text are examples of input and
 * output, not figures, and are left out. Run: node --import tsx scripts/check-comments.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const TIME_OR_RATIO =
  /(?<![\w.])\d[\d,._]*\s?(?:ns|µs|us|ms|s|secs?|seconds?|min|minutes?|h|hours?|[kKMGT]i?B\/s|×|x|%)(?![\w/])/;
const APPROXIMATE_SIZE = /[~≈]\s?\d[\d,._]*\s?(?:bytes|[kKMGT]i?B)(?![\w/])/;
const FIGURE = new RegExp(`${TIME_OR_RATIO.source}|${APPROXIMATE_SIZE.source}`);
const HISTORY_WORDS = [
  'used to',
  'previously',
  'formerly',
  'anymore',
  'originally',
  'nowadays',
  'these days',
  'no longer',
  'as (?:it|they|we) did before',
  'as before',
  'older Funes',
  'legacy',
  'backwards? compat\\w*',
  '(?:was|were) changed',
];
const HISTORY = new RegExp(`\\b(?:${HISTORY_WORDS.join('|')})\\b`, 'i');

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly kind: 'figure' | 'history';
  readonly text: string;
}

/** Every comment of a file, once, with the line it starts on. */
function commentsOf(file: string, text: string): { readonly line: number; readonly text: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const seen = new Set<number>();
  const comments: { line: number; text: string }[] = [];
  const collect = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      comments.push({
        line: source.getLineAndCharacterOfPosition(range.pos).line + 1,
        text: text.slice(range.pos, range.end),
      });
    }
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return comments;
}

/** A comment line without its inline code and quoted text. */
function prose(line: string): string {
  return line.replace(/`[^`]*`/g, '``').replace(/"[^"]*"/g, '""');
}

function check(file: string): Finding[] {
  const findings: Finding[] = [];
  for (const comment of commentsOf(file, readFileSync(file, 'utf8'))) {
    comment.text.split('\n').forEach((line, i) => {
      const words = prose(line);
      for (const [kind, pattern] of [['figure', FIGURE], ['history', HISTORY]] as const) {
        if (pattern.test(words)) findings.push({ file, line: comment.line + i, kind, text: line.trim() });
      }
    });
  }
  return findings;
}

const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', 'packages/*/src/**.ts', 'packages/*/src/*.ts'],
  { encoding: 'utf8' },
)
  .split('\n')
  .filter((file, i, all) => file.endsWith('.ts') && all.indexOf(file) === i);
const findings = files.flatMap(check);
for (const { file, line, kind, text } of findings) console.error(`${file}:${line}: ${kind} in a comment: ${text}`);
if (findings.length > 0) {
  console.error(
    [
      ``,
      `${findings.length} comment line(s) carry measured figures or history: say why in a clause; ` +
          `figures go to docs/performance.md, history to CHANGELOG.md.`,
    ].join('\n'),
  );
  process.exit(1);
}
console.log(`comments: ${files.length} files checked, no figures or history`);
