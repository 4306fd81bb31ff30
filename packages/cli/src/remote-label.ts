/**
 * How output names a remote: a configured remote by its name and URL, one given as an
 * `s3://` URL by that URL once (the query, `?endpoint=…`, makes the typed and the
 * normalized form differ, so comparing them would print it twice). Pure.
 */
export function remoteLabel(result: { readonly remote: string; readonly url: string }): string {
  // A configured name never holds `://`.
  return result.remote.includes('://') ? result.url : `${result.remote} (${result.url})`;
}
