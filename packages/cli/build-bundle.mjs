/**
 * Bundles the `funes` executable into `bundle/`: one file per entry script and shared
 * chunks, so a run loads a few files instead of hundreds of modules, and each command's
 * code (split at its dynamic import) only when it runs. The library (`dist/`, from tsc)
 * is what other packages import; the bundle is only the command.
 *
 * Left out and loaded from node_modules when needed: the native parser, and the
 * packages a few commands load (sync for pack/push/pull, ui for `funes ui`). yargs'
 * translation files stay behind too: its English messages are the strings in its code.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bin.ts', 'src/object-reader-worker.ts', 'src/why-runner.ts'],
  outdir: 'bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['oxc-parser', '@funes/sync', '@funes/ui'],
  // CommonJS dependencies bundled into ES modules still call `require` for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
