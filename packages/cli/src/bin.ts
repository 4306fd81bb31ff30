#!/usr/bin/env node
/**
 * The `funes` executable as tsc builds it (dist/bin.js), loading the CLI as modules; the
 * one users run is bundled from bundle-bin.ts.
 */
import { runExecutable } from './executable.js';

await runExecutable(() => import('./cli.js'));
