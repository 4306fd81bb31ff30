/**
 * Object files `pack` keeps open from planning to packing, so that the bundle holds the
 * bytes its manifest lists even when a result is written in place of one meanwhile (a
 * refresh renames a new file over it) or its version is removed: the open file is the
 * one planned, whatever the path names by then. As many are kept as half the process's
 * limit of open files allows; the others are opened again when packed.
 */
import { closeSync, readFileSync } from 'node:fs';

/** Files kept open when the limit cannot be read (outside Linux): what any system allows. */
const FALLBACK_LIMIT = 1024;

/** The process's limit of open files (its soft limit, from /proc on Linux). */
function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : FALLBACK_LIMIT;
  } catch {
    return FALLBACK_LIMIT;
  }
}

/** An open object file and the set it is counted in. */
export interface PinnedFile {
  readonly fd: number;
  readonly files: PinnedFiles;
}

/** The object files one pack keeps open; closed as each is packed, and all at once when the pack ends. */
export class PinnedFiles {
  private readonly open = new Set<number>();
  private readonly budget = Math.floor(openFilesLimit() / 2);

  /** Keeps `fd` open for packing when the budget allows; otherwise closes it and returns undefined. */
  keep(fd: number): PinnedFile | undefined {
    if (this.open.size >= this.budget) {
      closeSync(fd);
      return undefined;
    }
    this.open.add(fd);
    return { fd, files: this };
  }

  /** Closes a kept file once it is packed. */
  release(fd: number): void {
    if (this.open.delete(fd)) closeSync(fd);
  }

  /** Closes every file still kept: the pack ended, finished or not. */
  releaseAll(): void {
    for (const fd of this.open) closeSync(fd);
    this.open.clear();
  }
}
