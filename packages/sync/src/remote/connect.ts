/**
 * Opening a remote for a cache directory: resolve its name or URL, connect, and keep what
 * the capability probe finds about a configured remote's server in the configuration, so
 * the probe runs once per remote (at `funes remote add`, else at first use).
 */
import { recordConditionalWrites, resolveRemote } from './remote-config.js';
import { isRemoteUrl } from './remote-url.js';
import { S3Remote, type ConditionalWritesVerdict } from './s3-client.js';

/** Connects to a remote configured for `cacheDir` (or given as an `s3://` URL). */
export function connectRemote(cacheDir: string, spec: string | undefined): Promise<S3Remote> {
  const resolved = resolveRemote(cacheDir, spec);
  const configured = !isRemoteUrl(spec);
  return S3Remote.connect(resolved, {
    ...(configured && {
      onProbed: (verdict: ConditionalWritesVerdict) =>
        recordConditionalWrites(cacheDir, resolved.name, verdict.conditionalWrites),
    }),
  });
}

/**
 * Asks a remote's server whether it honours conditional writes (see
 * {@link S3Remote.probeConditionalWrites}) and, for a configured remote, records the verdict.
 *
 * @example
 * ```ts
 * const { conditionalWrites, detail } = await probeRemote('./cache', 'origin');
 * ```
 */
export async function probeRemote(cacheDir: string, spec: string | undefined): Promise<ConditionalWritesVerdict> {
  const remote = await connectRemote(cacheDir, spec);
  try {
    return await remote.probeConditionalWrites();
  } finally {
    remote.close();
  }
}
