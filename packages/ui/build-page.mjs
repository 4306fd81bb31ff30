// Builds the page `funes ui` serves into dist/page: one bundled script (the page's
// code, Observable Plot and fflate), its stylesheet and the HTML shell.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const out = new URL('./dist/page/', import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('./src/page/main.ts', import.meta.url).pathname],
  outfile: new URL('app.js', out).pathname,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'none',
  // The one function the page takes of @funes/core's cache module (definition-patch.ts), from
  // its own pure module: the rest of that module reads the disk. A name imported from it that
  // the pure module lacks fails the build.
  alias: { '@funes/core/cache': new URL('../core/src/cache/definition-diff.ts', import.meta.url).pathname },
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) {
  copyFileSync(new URL(`./src/page/${file}`, import.meta.url), new URL(file, out));
}
