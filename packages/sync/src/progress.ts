/** How far a pack or unpack has come, reported after each entry. */
export interface Progress {
  /** Entries (objects and metadata files) done. */
  readonly entries: number;
  readonly totalEntries: number;
  /** Bytes of entries done. */
  readonly bytes: number;
  /** Bytes of all entries, from the manifest. */
  readonly totalBytes: number;
}
