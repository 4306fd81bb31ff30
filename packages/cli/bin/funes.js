#!/usr/bin/env node
// The `funes` command. This file exists before the build, so that npm links the command
// when it installs a fresh checkout of the monorepo too; the CLI itself is bundled into bundle/.
try {
  await import('../bundle/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/bundle/bin.js')) throw error;
  process.stderr.write('funes: the CLI is not built yet; run `npm run build` first\n');
  process.exitCode = 1;
}
