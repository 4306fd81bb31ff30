/**
 * The CLI's version, from its package.json (one directory up from `dist/` and
 * `bundle/` alike).
 */
import { createRequire } from 'node:module';

export const CLI_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
