/**
 * A bundle's tar stream cut into gzip members (pure): for each member, which bytes go
 * where — header blocks and the manifest as bytes, objects as ranges of their files —
 * so that members can be filled and compressed independently, in any thread, and
 * concatenated in order. What no part covers is zeros: padding and the end of the archive.
 */
import type { PinnedFile } from './pinned-files.js';
import { END_OF_ARCHIVE, tarHeaderLength, tarPadding } from './tar-header.js';

/** A file to copy into the bundle, with what it must still be when it is read. */
export interface FileSource {
  readonly file: string;
  readonly size: number;
  /** Hex digest it must still have: the seal its header records (objects), or its SHA-256 (metadata). */
  readonly digest: string;
  readonly kind: 'object' | 'metadata';
  /** The file as planning opened it, kept open: read instead of `file`. */
  readonly pinned?: PinnedFile;
}

/** An entry's header blocks (tar-header.ts), made where the member is written. */
export interface HeaderSource {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Bytes of a member starting at `at`: given ones, or bytes `from` to `to` of an
 * entry's header blocks or of a file.
 */
export type MemberPart =
  | { readonly at: number; readonly bytes: Uint8Array }
  | { readonly at: number; readonly header: HeaderSource; readonly from: number; readonly to: number }
  | { readonly at: number; readonly source: FileSource; readonly from: number; readonly to: number };

/** One gzip member's share of the tar stream. */
export interface MemberJob {
  /** Bytes of tar it holds. */
  length: number;
  readonly parts: MemberPart[];
  /** Sizes of the entries (the manifest aside) whose last byte it holds. */
  readonly finished: number[];
}

/** An entry of the bundle, in stream order. */
export interface TarEntry {
  readonly name: string;
  readonly mtimeMs: number;
  readonly content: Uint8Array | FileSource;
  /** Whether it counts in progress (every entry but the manifest). */
  readonly counted: boolean;
}

const emptyJob = (): MemberJob => ({ length: 0, parts: [], finished: [] });

/** Lays bytes one after another and cuts them into members of `memberBytes`. */
class MemberCutter {
  private job = emptyJob();
  private lastFull: MemberJob | undefined;

  constructor(private readonly memberBytes: number) {}

  /** Lays `length` bytes (zeros without `part`); returns the members this filled. */
  lay(length: number, part?: (at: number, from: number, to: number) => MemberPart): MemberJob[] {
    const full: MemberJob[] = [];
    for (let from = 0; from < length; ) {
      const to = Math.min(length, from + this.memberBytes - this.job.length);
      if (part) this.job.parts.push(part(this.job.length, from, to));
      this.job.length += to - from;
      from = to;
      if (this.job.length === this.memberBytes) {
        full.push(this.job);
        this.lastFull = this.job;
        this.job = emptyJob();
      }
    }
    return full;
  }

  /** Records that an entry of `size` bytes ended with the last byte laid. */
  finish(size: number): void {
    (this.job.length > 0 ? this.job : this.lastFull!).finished.push(size);
  }

  /** The last member, if it holds anything. */
  rest(): MemberJob[] {
    return this.job.length > 0 ? [this.job] : [];
  }
}

/** The members of a tar archive of `entries`, each of at most `memberBytes` bytes, in order. */
export function* tarMembers(entries: Iterable<TarEntry>, memberBytes: number): Generator<MemberJob> {
  const cutter = new MemberCutter(memberBytes);
  for (const entry of entries) {
    const { content } = entry;
    const size = content instanceof Uint8Array ? content.length : content.size;
    const header = { name: entry.name, size, mtimeMs: entry.mtimeMs };
    yield* cutter.lay(tarHeaderLength(entry.name), (at, from, to) => ({ at, header, from, to }));
    // Copies of their own: a view would take all of its buffer along to another thread.
    yield* cutter.lay(size, (at, from, to) =>
      content instanceof Uint8Array ? { at, bytes: content.slice(from, to) } : { at, source: content, from, to },
    );
    yield* cutter.lay(tarPadding(size));
    if (entry.counted) cutter.finish(size);
  }
  yield* cutter.lay(END_OF_ARCHIVE);
  yield* cutter.rest();
}
