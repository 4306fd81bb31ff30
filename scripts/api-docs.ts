/**
 * docs/reference, the API reference of `@funes/core`, generated from its TSDoc by typedoc
 * (typedoc.json). `--check` generates it into a temporary directory and fails when that
 * differs from the committed one, naming the files; without it, writes docs/reference.
 *
 *   node --import tsx scripts/api-docs.ts [--check]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const REFERENCE = join(ROOT, 'docs/reference');

function generate(out: string): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out, '--logLevel', 'Error'],
    { cwd: ROOT, stdio: 'inherit' },
  );
}

/** Every file under `dir`, relative to it, with its text. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files.set(relative(dir, file), readFileSync(file, 'utf8'));
  }
  return files;
}

if (!process.argv.includes('--check')) {
  rmSync(REFERENCE, { recursive: true, force: true });
  generate(REFERENCE);
} else {
  const out = mkdtempSync(join(tmpdir(), 'funes-api-docs-'));
  try {
    generate(out);
    const [fresh, committed] = [tree(out), tree(REFERENCE)];
    const drift = [...new Set([...fresh.keys(), ...committed.keys()])]
      .filter((file) => fresh.get(file) !== committed.get(file))
      .sort();
    if (drift.length > 0) {
      console.error(
        [
          `docs/reference differs from what the sources generate: ${drift.join(', ')}`,
          `Run npm run docs:api and commit the result.`,
        ].join('\n'),
      );
      process.exit(1);
    }
    console.log(`docs/reference: ${fresh.size} files, as the sources generate them`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
