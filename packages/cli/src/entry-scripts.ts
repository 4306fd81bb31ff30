/**
 * Scripts the CLI starts in another thread or process. Each is built beside this
 * module, by tsc in `dist/` and by esbuild in `bundle/` alike, so it is found from here
 * whichever build runs.
 */
import { fileURLToPath } from 'node:url';

/** Whether this is a build (not the TypeScript source run under tsx, beside which no script is built). */
const BUILT = !import.meta.url.endsWith('.ts');

/** The worker thread of `createObjectReader`; undefined when run from source. */
export const OBJECT_READER_WORKER = BUILT ? new URL('./object-reader-worker.js', import.meta.url) : undefined;

/** The child process of `funes why <module>:<function>`. */
export const WHY_RUNNER = fileURLToPath(new URL('./why-runner.js', import.meta.url));
