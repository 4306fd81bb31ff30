/**
 * The S3 side of live sharing: `memorious(fn, { remote: 'origin' })` and
 * `FUNES_REMOTE` reach this through a dynamic import from @funes/core, which only
 * knows the `RemoteStore` interface.
 */
import type { RemoteStore } from '@funes/core';
import { connectRemote } from './connect.js';

/**
 * Opens a remote for memorious: a name configured for `cacheDir` (`funes remote add`)
 * or an `s3://bucket/prefix[?endpoint=…&region=…]` URL.
 *
 * @example
 * ```ts
 * const train = memorious(async function train(lr: number) { … }, { remote: await openRemoteStore('origin', { cacheDir: './cache' }) });
 * ```
 */
export async function openRemoteStore(spec: string, options: { readonly cacheDir: string }): Promise<RemoteStore> {
  const remote = await connectRemote(options.cacheDir, spec);
  return {
    name: remote.url,
    readOnly: remote.remote.readOnly === true,
    get: (key) => remote.get(key),
    put: async (key, bytes) => {
      await remote.create(key, bytes);
    },
  };
}
