/**
 * Opening a remote for a cache directory: resolve its name or URL, connect, and keep what
 * the capability probe finds about its server in the configuration, so the probe runs once
 * per remote (at `funes remote add`, else at first use), or per bucket for one given as a URL.
 */
import { recordBucketConditionalWrites, recordConditionalWrites, resolveRemote } from './remote-config.js';
import { isRemoteUrl } from './remote-url.js';
import { S3Remote, type ConditionalWritesVerdict } from './s3-client.js';

/** Connects to a remote configured for `cacheDir` (or given as an `s3://` URL). */
export function connectRemote(cacheDir: string, spec: string | undefined): Promise<S3Remote> {
  const resolved = resolveRemote(cacheDir, spec);
  const url = isRemoteUrl(spec);
  const onProbed = ({ conditionalWrites }: ConditionalWritesVerdict) => {
    if (!url) return recordConditionalWrites(cacheDir, resolved.name, conditionalWrites);
    try {
      recordBucketConditionalWrites(cacheDir, resolved, conditionalWrites);
    } catch {
      // Unrecorded, the verdict holds for this connection; the next process probes again.
    }
  };
  return S3Remote.connect(resolved, { onProbed });
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
