/**
 * What core uses of `@funes/sync`, its optional peer dependency. Core's own build reads
 * this in place of sync's types (tsconfig `paths`): sync depends on core, so it is built
 * after it. The repository's typecheck checks sync's real exports against the same use.
 */
import type { RemoteStore } from './remote-store.js';

/** Opens a remote by configured name or URL for live sharing. */
export declare function openRemoteStore(spec: string, options: { cacheDir: string }): Promise<RemoteStore>;
