/**
 * Copies the project's docs/ pages into the package's `docs/`, which npm ships: the help
 * points to `docs/cli.md`, whose links lead to the other pages.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = '../../docs';
rmSync('docs', { recursive: true, force: true });
for (const name of readdirSync(SOURCE)) {
  if (name.endsWith('.md')) cpSync(join(SOURCE, name), join('docs', name));
}
