#!/usr/bin/env node
// The `funes` command. This file exists before the build, so that npm links the command
// when it installs a fresh checkout of the monorepo too; the CLI itself is bundled into bundle/.
// It is CommonJS (bin/package.json), as the bundle is: Node's ES module loader costs every run that starts it.
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file
  require('../bundle/bin.cjs');
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('bundle/bin.cjs')) throw error;
  process.stderr.write('funes: the CLI is not built yet; run `npm run build` first\n');
  process.exitCode = 1;
}
