#!/usr/bin/env node
/**
 * The `funes` executable as bundled (bundle/bin.cjs, CommonJS): the CLI is bundle/cli.cjs,
 * a script run with its code cache (code-cached-script.ts).
 */
import { fileURLToPath } from 'node:url';
import { compileScript, runScript } from './code-cached-script.js';
import { runExecutable, type LoadedCli } from './executable.js';

void runExecutable(() => {
  const cli = compileScript(fileURLToPath(new URL('./cli.cjs', import.meta.url)));
  // Specifiers the CLI imports resolve from here, the bundle's directory, as from the CLI's own file.
  return runScript(cli, (specifier) => import(specifier)) as LoadedCli;
});
